/**
 * The recipes on docs/content/close-the-loop.md, sent as written (token and address filled in) to a real
 * server: what a HubSpot, Salesforce or Pipedrive workflow sends must be accepted and move the stage.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log.js';
import { type RunningServer, startServer } from '../src/node.js';
import { fullLead, PACKAGE_DIR, tempDir } from './helpers.js';

const page = readFileSync(join(PACKAGE_DIR, '../../docs/content/close-the-loop.md'), 'utf8');
const requests = [...page.matchAll(/```http\n([\s\S]*?)```/g)].map((m) => m[1]!);
const TOKEN = 'crm-outcomes-only-0123456789';

let tmp: ReturnType<typeof tempDir>;
let server: RunningServer;
beforeAll(async () => {
  tmp = tempDir();
  server = await startServer({
    port: 0,
    dbPath: join(tmp.dir, 'leadkit.db'),
    log: silentLogger,
    handleSignals: false,
    deliver: false,
    config: { rateLimit: false, outcomes: { token: TOKEN } },
  });
});
afterAll(async () => {
  await server?.close();
  tmp?.cleanup();
});

/** Parses a documented request and fills in the placeholders. */
function parse(text: string) {
  const [head, body = ''] = text.split(/\n\n/, 2);
  const [requestLine, ...headerLines] = head!.split('\n');
  const [method, target] = requestLine!.split(' ');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    const name = line.slice(0, i).trim().toLowerCase();
    let value = line.slice(i + 1).trim();
    if (name === 'host') continue;
    value = value
      .replace('<outcomes.token>', TOKEN)
      .replace(
        '<base64 of "pipedrive:" + outcomes.token>',
        Buffer.from(`pipedrive:${TOKEN}`).toString('base64'),
      );
    headers[name] = value;
  }
  return { method: method!, target: target!, headers, body: body.trim() };
}

describe('Close the loop recipes', () => {
  it('documents three requests (HubSpot, Salesforce, Pipedrive)', () => {
    expect(requests).toHaveLength(3);
  });

  it.each(requests.map((r, i) => [['HubSpot', 'Salesforce', 'Pipedrive'][i], r]))(
    '%s: the documented request is accepted and moves the stage',
    async (_crm, text) => {
      const req = parse(text!);
      expect(req.headers.authorization).not.toMatch(/</); // every placeholder filled
      const lead = fullLead({ fields: { email: 'ada@example.com', name: 'Ada' } });
      const posted = await fetch(`${server.url}/v1/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(lead),
      });
      expect(posted.status).toBe(202);

      const res = await fetch(`${server.url}${req.target}`, {
        method: req.method,
        headers: req.headers,
        body: req.body,
      });
      const answer = (await res.json()) as { leadId: string; stage: string; created: boolean };
      expect(res.status).toBe(200);
      // The newest lead of the address: the one just posted.
      expect(answer).toMatchObject({ leadId: lead.id, created: true });
      const status =
        new URL(req.target, server.url).searchParams.get('status') ?? JSON.parse(req.body).status;
      expect(answer.stage).toBe({ qualified: 'sql', won: 'customer' }[status as string]);
    },
  );
});
