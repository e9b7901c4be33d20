/**
 * Crash safety with real processes: the CLI server is killed with SIGKILL between the 202 and the delivery,
 * restarted on the same SQLite file, and the lead must still arrive (once, as far as the receiver can tell).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, fullLead, type Receiver, startReceiver, tempDir, until } from './helpers.js';
import { freePort, type ServerProcess, spawnServe } from './process.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let cli: string;
let tmp: ReturnType<typeof tempDir>;
const running: ServerProcess[] = [];
const receivers: Receiver[] = [];

beforeAll(async () => {
  cli = await buildCli();
});
afterAll(() => rmSync(cli, { force: true }));
afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  }
  for (const r of receivers.splice(0)) await r.close();
  tmp?.cleanup();
});

function writeConfig(receiverPort: number, extra: object = {}) {
  tmp = tempDir();
  const path = join(tmp.dir, 'leadkit.config.json');
  writeFileSync(
    path,
    JSON.stringify({
      security: { allowHosts: ['127.0.0.1'] },
      rateLimit: false,
      delivery: { timeoutMs: 1000, leaseMs: 1500, pollMs: 50, jitter: 0 },
      destinations: [
        {
          type: 'webhook',
          name: 'crm',
          url: `http://127.0.0.1:${receiverPort}/hook`,
          secret: { env: 'KILL_TEST_SECRET' },
          retry: { delaysMs: Array(40).fill(100) },
        },
      ],
      ...extra,
    }),
  );
  return { config: path, db: join(tmp.dir, 'leadkit.db') };
}

async function serve(paths: { config: string; db: string }) {
  const p = await spawnServe(cli, ['--config', paths.config, '--db', paths.db, '--port', '0'], {
    KILL_TEST_SECRET: SECRET,
  });
  running.push(p);
  return p;
}

async function post(url: string, lead: object) {
  const res = await fetch(`${url}/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(lead),
  });
  return [res.status, await res.json()];
}

function deliveries(db: string) {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT lead_id, status, attempts FROM deliveries').all() as {
      lead_id: string;
      status: string;
      attempts: number;
    }[];
  } finally {
    d.close();
  }
}

async function kill9(p: ServerProcess) {
  p.child.kill('SIGKILL');
  expect(await p.exited).toEqual({ code: null, signal: 'SIGKILL' });
}

describe('kill -9 between the 202 and the delivery', () => {
  it('receiver not reachable yet: after a restart on the same DB the lead is delivered once', async () => {
    const port = await freePort();
    const paths = writeConfig(port);
    const first = await serve(paths);
    const lead = fullLead();
    expect(await post(first.url, lead)).toEqual([202, { id: lead.id }]);
    await kill9(first);
    expect(deliveries(paths.db)).toMatchObject([{ lead_id: lead.id, status: 'pending' }]);

    const receiver = await startReceiver(undefined, port);
    receivers.push(receiver);
    const second = await serve(paths);
    await until(() => deliveries(paths.db)[0]?.status === 'delivered', 'delivery after restart');
    // A client retry of the same submission after the crash changes nothing.
    expect(await post(second.url, lead)).toEqual([202, { id: lead.id }]);
    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0]!;
    expect(req.headers['webhook-id']).toBe(lead.id);
    expect(new Webhook(SECRET).verify(req.body, req.headers as Record<string, string>)).toMatchObject({
      data: { id: lead.id },
    });
    expect(deliveries(paths.db)).toHaveLength(1);
  });

  it('receiver slow (killed mid-request): the expired lease is re-claimed and exactly one 2xx lands', async () => {
    let answer = false;
    const receiver = await startReceiver((_req, res) => {
      if (answer) res.writeHead(200).end('ok'); // the first, in-flight request is never answered
    });
    receivers.push(receiver);
    const paths = writeConfig(receiver.port);
    const first = await serve(paths);
    const lead = fullLead();
    expect(await post(first.url, lead)).toEqual([202, { id: lead.id }]);
    await until(() => receiver.requests.length === 1, 'the first (held) request');
    await kill9(first);
    expect(deliveries(paths.db)).toMatchObject([{ status: 'pending', attempts: 0 }]);

    answer = true;
    await serve(paths);
    await until(() => deliveries(paths.db)[0]?.status === 'delivered', 'delivery after the lease expired');
    expect(receiver.requests).toHaveLength(2);
    // At-least-once: the receiver saw the same webhook-id twice and answered 2xx once.
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([lead.id]));
    expect(deliveries(paths.db)).toEqual([{ lead_id: lead.id, status: 'delivered', attempts: 1 }]);
  });

  it('receiver down for a while, then up: delivered after retries, once', async () => {
    const port = await freePort();
    const paths = writeConfig(port);
    const server = await serve(paths);
    const lead = fullLead();
    expect(await post(server.url, lead)).toEqual([202, { id: lead.id }]);
    await until(() => (deliveries(paths.db)[0]?.attempts ?? 0) >= 3, 'three failed attempts');
    const receiver = await startReceiver(undefined, port);
    receivers.push(receiver);
    await until(() => deliveries(paths.db)[0]?.status === 'delivered', 'delivery once the receiver is up');
    expect(receiver.requests).toHaveLength(1);
    const failedAttempts = server.lines.filter((l) => l.event === 'attempt' && l.outcome === 'retry');
    expect(failedAttempts.length).toBeGreaterThanOrEqual(3);
    expect(failedAttempts[0]!.reason).toMatch(/ECONNREFUSED/);
  });

  it('SIGTERM stops gracefully with exit code 0', async () => {
    const paths = writeConfig(await freePort());
    const server = await serve(paths);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.lines.map((l) => l.message)).toEqual(
      expect.arrayContaining(['SIGTERM: stopping', 'stopped']),
    );
  });
});
