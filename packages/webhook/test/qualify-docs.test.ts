/** The qualify-and-route config examples in the README and the docs page are valid configs as written. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { generateSecret } from '../src/signing.js';
import { PACKAGE_DIR } from './helpers.js';

const env = {
  SALES_HOOK_SECRET: generateSecret(),
  NEWSLETTER_SECRET: generateSecret(),
  SLACK_SALES_WEBHOOK: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
  SALESFORCE_TOKEN: '00D000000000000!token',
};

function jsonBlocks(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((b) => b.includes('"scoring"'));
}

describe('qualify and route examples', () => {
  for (const file of [
    join(PACKAGE_DIR, 'README.md'),
    join(PACKAGE_DIR, '../../docs/content/qualify-and-route.md'),
  ]) {
    it(`${file.split('/').slice(-2).join('/')}: the config parses with scoring, owners and destination filters`, () => {
      const blocks = jsonBlocks(file);
      expect(blocks).toHaveLength(1);
      const config = parseConfig(JSON.parse(blocks[0]!), { env });
      expect(config.scoring!.rules.length).toBeGreaterThan(0);
      expect(config.owners!.reps.length).toBeGreaterThan(1);
      expect(config.destinations.filter((d) => d.when).map((d) => d.when)).toContainEqual({
        field: 'stage',
        eq: 'mql',
      });
    });
  }
});
