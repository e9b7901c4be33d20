/**
 * The deployment the example describes, run in Node: the Worker module's `fetch(request, env, ctx)` with
 * real Requests takes leads into a real PostgreSQL (a throwaway server standing in for the database behind
 * Hyperdrive), and a container-style worker (`startWorker`, what `leadkit-webhook worker` runs) delivers
 * them to a loopback receiver that verifies each signature.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSecret, parseConfig, silentLogger, verifyWebhook } from '@leadkit/webhook';
import { type RunningWorker, startWorker } from '@leadkit/webhook/node';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresUnavailable,
  startPostgres,
  type ThrowawayPostgres,
} from '../../packages/webhook/test/postgres.js';
import { handle as vercel } from './api/leadkit.js';
import worker, { type Env } from './src/worker.js';

const ORIGIN = 'https://www.example.com';

function lead(id: string, landing: string) {
  const touch = { source: 'x', medium: 'y', landingPage: landing, timestamp: '2026-11-22T10:00:00Z' };
  return {
    id,
    formId: 'contact',
    fields: { email: 'ada@example.com' },
    attribution: { firstTouch: touch, lastTouch: touch },
  };
}

/** Polls until `check` is truthy (no fixed sleeps in assertions). */
async function until(check: () => unknown | Promise<unknown>, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(postgresUnavailable())('intake on a Worker, delivery in a container, one PostgreSQL', () => {
  let pg: ThrowawayPostgres;
  let sql: postgres.Sql;
  let receiver: Server;
  let container: RunningWorker;
  let env: Env;
  const secret = generateSecret();
  const adminToken = randomBytes(24).toString('hex');
  const received: { id: string; channel?: string }[] = [];
  /** The receiver's next answers; 204 once the list is empty. */
  const answers: number[] = [];
  let waiting: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void waiting.push(p) };
  /** Runs what the Worker left for after the response, as the runtime would. */
  const settle = async () => {
    while (waiting.length) {
      const batch = waiting;
      waiting = [];
      await Promise.all(batch);
    }
  };
  const request = (path: string, init: RequestInit = {}) =>
    worker.fetch(new Request(`https://leads.example.workers.dev${path}`, init), env, ctx);
  const post = (body: unknown) =>
    request('/v1/leads', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.7' },
      body: JSON.stringify(body),
    });
  const admin = (path: string, method = 'GET') =>
    request(path, { method, headers: { authorization: `Bearer ${adminToken}` } });

  beforeAll(async () => {
    pg = await startPostgres();
    const url = await pg.createDatabase();
    sql = postgres(url, { max: 1, onnotice: () => {} });
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const status = answers.shift() ?? 204;
        if (status === 204) {
          const { id, payload } = verifyWebhook<{
            data: { attribution?: { lastTouch: { channel: string } } };
          }>({
            secret,
            headers: req.headers,
            body,
          });
          received.push({ id, channel: payload.data.attribution?.lastTouch.channel });
        }
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    // The same config for both sides, as wrangler.toml and the container would hold it.
    const LEADKIT_CONFIG = JSON.stringify({
      allowedOrigins: [ORIGIN],
      adminToken: { env: 'ADMIN_TOKEN' },
      security: { allowHosts: ['127.0.0.1'] },
      store: { type: 'postgres', url: { env: 'DATABASE_URL' } },
      destinations: [
        {
          type: 'webhook',
          name: 'crm',
          url: { env: 'CRM_URL' },
          secret: { env: 'CRM_SECRET' },
          retry: { delaysMs: [300] },
        },
      ],
      delivery: { jitter: 0, pollMs: 50 },
    });
    const variables = {
      ADMIN_TOKEN: adminToken,
      CRM_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/leadkit`,
      CRM_SECRET: secret,
    };
    // The container starts first: it applies the schema the Worker then writes to.
    container = await startWorker({
      config: parseConfig(JSON.parse(LEADKIT_CONFIG), { env: { ...variables, DATABASE_URL: url } }),
      log: silentLogger,
      handleSignals: false,
    });
    env = { HYPERDRIVE: { connectionString: url }, LEADKIT_CONFIG, ...variables };
  }, 60_000);
  afterAll(async () => {
    await container?.close();
    await sql?.end();
    receiver?.close();
    await pg?.stop();
  });

  it('accepts a lead with CORS, stores it in PostgreSQL, and the container delivers it signed', async () => {
    const res = await post(
      lead('lead_edge_000001', `${ORIGIN}/?utm_source=google&utm_medium=cpc&utm_campaign=brand`),
    );
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    await settle();
    await until(() => received.length === 1, 'the delivery');
    expect(received).toEqual([{ id: 'lead_edge_000001', channel: 'Paid Search' }]);

    const again = await post(lead('lead_edge_000001', `${ORIGIN}/`));
    expect(again.status).toBe(202); // idempotent: the same answer, nothing new
    await settle();
    expect(await sql`SELECT count(*)::int AS n FROM leadkit.leads`).toEqual([{ n: 1 }]);
    expect(await sql`SELECT count(*)::int AS n FROM leadkit.deliveries`).toEqual([{ n: 1 }]);
  });

  it('a failed delivery is retried by the container on schedule and arrives', async () => {
    answers.push(503);
    const res = await post(lead('lead_edge_000002', `${ORIGIN}/?utm_source=newsletter&utm_medium=email`));
    expect(res.status).toBe(202);
    await settle();
    await until(() => received.some((r) => r.id === 'lead_edge_000002'), 'the retried delivery');
    expect(received.at(-1)).toEqual({ id: 'lead_edge_000002', channel: 'Email' });
    const detail = (await (await admin('/v1/leads/lead_edge_000002')).json()) as {
      deliveries: { status: string; attempts: number }[];
    };
    await settle();
    expect(detail.deliveries).toMatchObject([{ status: 'delivered', attempts: 2 }]);
  });

  it('serves health and the inbox from the same handler', async () => {
    const health = await request('/v1/health');
    expect(await health.json()).toEqual({ status: 'ok' });
    const inbox = await request(`/inbox?token=${adminToken}`);
    expect(inbox.status).toBe(200);
    const page = await inbox.text();
    expect(page).toContain('lead_edge_000001');
    expect(page).toContain('crm: delivered');
    await settle();
  });

  it('the Vercel function takes leads into the same database, and the container delivers them', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env, { DATABASE_URL: env.HYPERDRIVE.connectionString });
    try {
      const res = await vercel(
        new Request('https://leads.example.vercel.app/v1/leads', {
          method: 'POST',
          headers: { origin: ORIGIN, 'content-type': 'application/json', 'x-real-ip': '203.0.113.8' },
          body: JSON.stringify(lead('lead_vercel_000001', `${ORIGIN}/?utm_source=bing&utm_medium=cpc`)),
        }),
      );
      expect(res.status).toBe(202);
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      await until(() => received.some((r) => r.id === 'lead_vercel_000001'), 'the delivery');
      expect(received.at(-1)).toEqual({ id: 'lead_vercel_000001', channel: 'Paid Search' });
      expect((await vercel(new Request('https://leads.example.vercel.app/v1/health'))).status).toBe(200);
    } finally {
      process.env = saved;
    }
  });

  it('refuses an origin that is not allowed', async () => {
    const res = await request('/v1/leads', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify(lead('lead_edge_000003', `${ORIGIN}/`)),
    });
    expect(res.status).toBe(403);
    await settle();
  });
});
