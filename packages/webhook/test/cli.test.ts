import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseLead } from '@leadkit/core/lead';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/store/sqlite.js';
import { buildCli, fullLead, smallestLead, tempDir } from './helpers.js';

const run = promisify(execFile);
let cli: string;
let tmp: ReturnType<typeof tempDir>;

async function leadkit(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      cwd: tmp.dir,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const T = Date.UTC(2026, 10, 20, 12);
const ok = parseLead(fullLead());
const failed = parseLead(smallestLead({ formId: 'newsletter' }));
const spam = parseLead(smallestLead({ meta: { honeypot: 'x' } }));

beforeAll(async () => {
  cli = await buildCli();
  tmp = tempDir();
  writeFileSync(join(tmp.dir, 'leadkit.config.json'), JSON.stringify({ store: { path: 'data.db' } }));
  const store = createSqliteStore({ path: join(tmp.dir, 'data.db') });
  if (!ok.ok || !failed.ok || !spam.ok) throw new Error('bad fixtures');
  await store.saveLead({ lead: ok.lead, receivedAt: T, destinations: ['crm'] });
  await store.saveLead({ lead: failed.lead, receivedAt: T + 1000, destinations: ['crm'] });
  await store.saveLead({
    lead: spam.lead,
    receivedAt: T + 2000,
    destinations: ['crm'],
    spamReason: 'honeypot filled',
  });
  const rows = await store.claimDue({ now: T + 5000, limit: 10, leaseMs: 1000, destinations: ['crm'] });
  for (const r of rows) {
    const good = r.leadId === ok.lead.id;
    await store.recordAttempt({
      deliveryId: r.id,
      lease: r.lease,
      startedAt: T + 5000,
      durationMs: 3,
      outcome: good ? 'ok' : 'fail',
      status: good ? 200 : 400,
      reason: good ? undefined : 'HTTP 400: bad email',
    });
  }
  store.close();
});
afterAll(() => {
  tmp.cleanup();
  rmSync(cli, { force: true });
});

describe('leadkit-webhook CLI', () => {
  it('prints help, and exits 2 with a hint on unknown commands and bad flags', async () => {
    const help = await leadkit(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('leadkit-webhook serve [--config leadkit.config.json]');
    const unknown = await leadkit(['frobnicate']);
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.stderr).toBe(
      'leadkit-webhook: Unknown command "frobnicate".\nRun leadkit-webhook --help for usage.\n',
    );
    const flag = await leadkit(['leads', 'list', '--nope']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/Unknown option '--nope'/);
  });

  it('lists leads, the spam list and failed deliveries from the config’s database', async () => {
    const leads = await leadkit(['leads', 'list']);
    expect(leads.code).toBe(0);
    const lines = leads.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^RECEIVED\s+ID\s+FORM\s+CHANNEL\s+FIRST TOUCH$/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(failed.ok && failed.lead.id);
    expect(lines[2]).toContain('2026-11-20T12:00:00.000Z');
    expect(leads.stdout).not.toContain(spam.ok && spam.lead.id);

    const spamList = await leadkit(['leads', 'list', '--spam']);
    expect(spamList.stdout).toContain('honeypot filled');

    const json = await leadkit(['deliveries', 'list', '--failed', '--json']);
    const rows = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toMatchObject([
      {
        leadId: failed.ok && failed.lead.id,
        status: 'failed',
        permanent: true,
        lastError: 'HTTP 400: bad email',
      },
    ]);
    const table = await leadkit(['deliveries', 'list', '--failed']);
    expect(table.stdout).toMatch(/failed \(refused\)\s+1\s+\S+\s+HTTP 400: bad email/);
  });

  it('replays one lead or everything failed since a time, and explains mistakes', async () => {
    const id = failed.ok ? failed.lead.id : '';
    expect(await leadkit(['replay', id])).toMatchObject({
      code: 0,
      stdout: `Queued 1 deliveries of lead ${id} again.\n`,
    });
    expect(await leadkit(['deliveries', 'list', '--status', 'pending', '--json'])).toMatchObject({
      stdout: expect.stringContaining(id),
    });
    const missing = await leadkit(['replay', 'lead_nope_123']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No deliveries for lead lead_nope_123/);
    expect(await leadkit(['replay', '--failed-since', '2026-01-01T00:00:00Z'])).toMatchObject({
      code: 0,
      stdout: 'Queued 0 failed deliveries since 2026-01-01T00:00:00.000Z again.\n',
    });
    const bad = await leadkit(['replay', '--failed-since', 'last tuesday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--failed-since must be an ISO 8601 time \(got "last tuesday"\)/);
  });

  it('refuses to invent a database, and explains config errors with their key paths', async () => {
    const noDb = await leadkit(['leads', 'list', '--db', 'missing.db']);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/No database at missing\.db\. Start the server first/);

    const noConfig = await leadkit(['serve', '--config', 'nope.json']);
    expect(noConfig.code).toBe(2);
    expect(noConfig.stderr).toMatch(/Cannot read the config file nope\.json: ENOENT/);

    writeFileSync(
      join(tmp.dir, 'bad.json'),
      JSON.stringify({
        port: 'eighty',
        destinations: [
          { type: 'webhook', name: 'x', url: 'https://a.example', secret: { env: 'NOPE_SECRET' } },
        ],
      }),
    );
    const bad = await leadkit(['serve', '--config', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid bad.json:');
    expect(bad.stderr).toContain('destinations[0].secret: environment variable NOPE_SECRET is not set');
    writeFileSync(join(tmp.dir, 'bad2.json'), JSON.stringify({ port: 'eighty' }));
    const bad2 = await leadkit(['serve', '--config', 'bad2.json']);
    expect(bad2.stderr).toMatch(/port: Invalid input: expected number, received string/);
  });

  it('prints a fresh whsec_ secret', async () => {
    const a = await leadkit(['secret']);
    const b = await leadkit(['secret']);
    expect(a.stdout).toMatch(/^whsec_[A-Za-z0-9+/]{43}=\n$/);
    expect(a.stdout).not.toBe(b.stdout);
  });
});
