/**
 * The demo page documents leadkit.config.json and the one edit that sends leads to a real service. Both
 * are checked against the adapter's own config parser, so the page cannot drift from the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '@leadkit/webhook';
import { describe, expect, it } from 'vitest';
import { DOCS } from './build-site.js';

const page = readFileSync(join(DOCS, 'content/demo.md'), 'utf8');
const config = JSON.parse(readFileSync(join(DOCS, '../leadkit.config.json'), 'utf8'));
const blocks = [...page.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!));
// What the demo fills in before it parses the config, plus the variables the snippets name.
const env = {
  LEADKIT_DEMO_SITE_ORIGIN: 'http://127.0.0.1:5180',
  LEADKIT_DEMO_CRM_URL: 'http://127.0.0.1:5181/webhooks/leadkit',
  LEADKIT_DEMO_CRM_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  LEADKIT_ADMIN_TOKEN: 'a-demo-admin-token-of-48-characters-000000000000',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/XXXX',
  MY_APP_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
};

describe('the demo page', () => {
  it('shows leadkit.config.json as it is, and it parses with the demo’s variables', () => {
    expect(blocks[0]).toEqual(config);
    const parsed = parseConfig(config, { env });
    expect(parsed.destinations.map((d) => d.name)).toEqual(['demo-crm']);
    expect(parsed.allowedOrigins).toEqual(['http://127.0.0.1:5180']);
  });

  it('each destination it offers is one valid addition to that config', () => {
    const destinations = blocks.slice(1).filter((b) => typeof b.type === 'string');
    expect(destinations.map((d) => d.type)).toEqual(['slack', 'hubspot', 'webhook']);
    for (const destination of destinations) {
      const edited = { ...config, destinations: [...config.destinations, destination] };
      const parsed = parseConfig(edited, { env });
      expect(parsed.destinations.at(-1)!.name).toBe(destination.name);
    }
  });
});
