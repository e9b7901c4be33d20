/**
 * Erasure by email through the admin API (real HTTP, real SQLite file) and the CLI (a real child process).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseLead } from '@leadkit/core/lead';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../src/log.js';
import { type RunningServer, startServer } from '../src/node.js';
import { createSqliteStore } from '../src/store/sqlite.js';
import { buildCli, fullLead, tempDir } from './helpers.js';

const ADMIN = 'admin-token-0123456789abcdef';
const ADA = 'ada.erase@example.com';
const BOB = 'bob.keep@example.com';

let tmp: ReturnType<typeof tempDir>;
let server: RunningServer;
const logs: LogEntry[] = [];

beforeAll(async () => {
  tmp = tempDir();
  server = await startServer({
    port: 0,
    dbPath: join(tmp.dir, 'leadkit.db'),
    log: (e) => logs.push(e),
    handleSignals: false,
    deliver: false,
    config: { rateLimit: false, adminToken: ADMIN },
  });
});
afterAll(async () => {
  await server?.close();
  tmp?.cleanup();
});

const fileBytes = (path: string) =>
  Buffer.concat(
    ['', '-wal']
      .map((s) => `${path}${s}`)
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f)),
  );

async function postLead(email: string) {
  const body = fullLead({ fields: { email, name: 'Someone' } });
  const res = await fetch(`${server.url}/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return body.id;
}

const auth = { authorization: `Bearer ${ADMIN}` };

describe('DELETE /v1/leads?email=', () => {
  it('erases every lead of the address, answers the count, logs no address, keeps outcomes', async () => {
    const first = await postLead(ADA);
    const second = await postLead(ADA.toUpperCase());
    const kept = await postLead(BOB);
    const won = await fetch(`${server.url}/v1/leads/${first}/outcome`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'won', amount: 500, currency: 'GBP' }),
    });
    expect(won.status).toBe(200);

    expect((await fetch(`${server.url}/v1/leads?email=${ADA}`, { method: 'DELETE' })).status).toBe(401);
    const noEmail = await fetch(`${server.url}/v1/leads?email=`, { method: 'DELETE', headers: auth });
    expect(noEmail.status).toBe(400);

    const res = await fetch(`${server.url}/v1/leads?email=${encodeURIComponent(` ${ADA} `)}`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ erased: 2 });

    for (const id of [first, second]) {
      const got = (await (await fetch(`${server.url}/v1/leads/${id}`, { headers: auth })).json()) as {
        lead: { fields: object };
        erasedAt: string | null;
      };
      expect(got.lead.fields).toEqual({});
      expect(got.erasedAt).not.toBeNull();
    }
    const bob = (await (await fetch(`${server.url}/v1/leads/${kept}`, { headers: auth })).json()) as {
      lead: { fields: { email: string } };
    };
    expect(bob.lead.fields.email).toBe(BOB);
    expect(await server.store.listOutcomes(first)).toEqual([
      expect.objectContaining({ status: 'won', amount: 500, currency: 'GBP' }),
    ]);
    expect((await server.store.getLead(first))!.stage).toBe('customer');

    const sha = createHash('sha256').update(ADA).digest('hex');
    expect(logs).toContainEqual(
      expect.objectContaining({ event: 'admin', action: 'erase', emailSha256: sha, erased: 2 }),
    );
    expect(JSON.stringify(logs).toLowerCase()).not.toContain(ADA);
    expect(await server.store.listErasures()).toEqual([
      expect.objectContaining({ emailSha256: sha, leads: 2 }),
    ]);

    const bytes = fileBytes(join(tmp.dir, 'leadkit.db'));
    expect(bytes.includes(Buffer.from(ADA))).toBe(false);
    expect(bytes.includes(Buffer.from(ADA.toUpperCase()))).toBe(false);
    expect(bytes.includes(Buffer.from(BOB))).toBe(true);
  });
});

describe('leadkit-webhook erase', () => {
  const run = promisify(execFile);
  let cli: string;
  let dir: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    cli = await buildCli();
    dir = tempDir();
  });
  afterAll(() => {
    dir.cleanup();
    rmSync(cli, { force: true });
  });

  it('erases from the store file and says how many leads', async () => {
    const path = join(dir.dir, 'cli.db');
    const store = createSqliteStore({ path });
    const parsed = parseLead(fullLead({ fields: { email: ADA } }));
    if (!parsed.ok) throw new Error('bad fixture');
    await store.saveLead({ lead: parsed.lead, receivedAt: Date.now(), destinations: [] });
    store.close();

    const { stdout } = await run(process.execPath, [cli, 'erase', '--email', ADA, '--db', path]);
    expect(stdout).toBe(
      'Erased the personal data of 1 lead; channels, campaigns, stages and outcomes stay for reports.\n',
    );
    const usage = await run(process.execPath, [cli, 'erase', '--db', path]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(usage).toMatchObject({ code: 2 });
    expect((usage as { stderr: string }).stderr).toMatch(/erase --email person@example.com/);

    const reopened = createSqliteStore({ path, fileMustExist: true });
    try {
      expect((await reopened.getLead(parsed.lead.id))!.lead.fields).toEqual({});
      expect(await reopened.listErasures()).toHaveLength(1);
    } finally {
      reopened.close();
    }
    expect(fileBytes(path).includes(Buffer.from(ADA))).toBe(false);
  });
});
