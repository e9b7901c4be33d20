/**
 * `leadkit-webhook test <destination>`: the CLI built as shipped, a real receiver on loopback playing the
 * destination, and the exit code and sentence a person setting up a CRM would read.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../src/signing.js';
import { buildCli, type Receiver, startReceiver, tempDir } from './helpers.js';

const run = promisify(execFile);
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let cli: string;
let tmp: ReturnType<typeof tempDir>;
let receiver: Receiver;
let status = 204;

async function leadkit(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: tmp.dir });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  cli = await buildCli();
  tmp = tempDir();
  receiver = await startReceiver((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(status < 300 ? '' : '{"error":"no"}');
  });
  writeFileSync(
    join(tmp.dir, 'leadkit.config.json'),
    JSON.stringify({
      security: { allowHosts: ['127.0.0.1'] },
      destinations: [
        { type: 'webhook', name: 'crm', url: `${receiver.url}/hook`, secret: SECRET },
        // A `when` that no lead meets: the test sends anyway.
        {
          type: 'webhook',
          name: 'sql-only',
          url: `${receiver.url}/sql`,
          secret: SECRET,
          when: { field: 'stage', eq: 'sql' },
        },
      ],
    }),
  );
});

afterAll(async () => {
  await receiver?.close();
  tmp?.cleanup();
});

describe('leadkit-webhook test <destination>', () => {
  it('sends one signed sample lead from a Paid Search click and says it was delivered', async () => {
    status = 204;
    const before = receiver.requests.length;
    const r = await leadkit(['test', 'crm', '--email', 'me@company.example']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Test lead lead_test_\w+ to "crm" in \d+ ms: delivered \(204\)/);
    expect(r.stdout).toContain('It is not stored here');
    const sent = receiver.requests.slice(before);
    expect(sent).toHaveLength(1);
    const body = JSON.parse(sent[0]!.body);
    expect(body.type).toBe('lead.created');
    expect(body.data.fields).toMatchObject({ email: 'me@company.example', lastName: 'Test' });
    expect(body.data.attribution.lastTouch).toMatchObject({
      channel: 'Paid Search',
      source: 'google',
      medium: 'cpc',
      campaign: 'leadkit_test',
    });
    expect(body.data.attribution.firstTouch).toMatchObject({ channel: 'Organic Search', source: 'google' });
    const headers = sent[0]!.headers as Record<string, string>;
    expect(headers['webhook-id']).toBe(body.data.id);
    expect(verifyWebhook({ body: sent[0]!.body, headers, secret: SECRET }).id).toBe(body.data.id);
  });

  it('sends whatever the destination’s `when` says', async () => {
    status = 204;
    const before = receiver.requests.length;
    const r = await leadkit(['test', 'sql-only']);
    expect(r.code).toBe(0);
    expect(receiver.requests.slice(before).map((q) => q.url)).toEqual(['/sql']);
  });

  it('exits 1 and says whether the worker would retry or give up', async () => {
    status = 503;
    const retry = await leadkit(['test', 'crm']);
    expect(retry.code).toBe(1);
    expect(retry.stdout).toMatch(/not delivered, the worker would retry \(503\)/);
    status = 410; // the receiver says the endpoint is gone for good
    const refused = await leadkit(['test', 'crm']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/refused, the worker would not retry \(410\): HTTP 410/);
  });

  it('names the destinations there are when the name is wrong', async () => {
    const r = await leadkit(['test', 'hubspot']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No destination is named "hubspot"; the config has "crm", "sql-only".');
  });
});
