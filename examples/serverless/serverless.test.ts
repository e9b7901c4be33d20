/**
 * The Worker module called as Workers call it: `fetch(request, env, ctx)` with real Requests, a D1
 * binding backed by a real SQLite file, and a loopback receiver that verifies the signatures.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSecret, verifyWebhook } from '@leadkit/webhook';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MIGRATIONS } from '../../packages/webhook/src/store/migrations.js';
import worker, { type Env } from './src/worker.js';
import { sqliteD1 } from './test/d1-sqlite.js';

const MIGRATION = fileURLToPath(new URL('migrations/0001_leadkit.sql', import.meta.url));
const ORIGIN = 'https://www.example.com';

let dir: string;
let db: ReturnType<typeof sqliteD1>;
let receiver: Server;
let env: Env;
const secret = generateSecret();
const adminToken = randomBytes(24).toString('hex');
const received: { id: string; channel?: string }[] = [];
/** The receiver's next answers; 204 once the list is empty. */
const answers: number[] = [];
let waiting: Promise<unknown>[] = [];
const ctx = { waitUntil: (p: Promise<unknown>) => void waiting.push(p) };

/** Runs what the Worker left for after the response, as the runtime would. */
async function settle() {
  while (waiting.length) {
    const batch = waiting;
    waiting = [];
    await Promise.all(batch);
  }
}

function lead(id: string, landing: string) {
  const touch = { source: 'x', medium: 'y', landingPage: landing, timestamp: '2026-11-22T10:00:00Z' };
  return {
    id,
    formId: 'contact',
    fields: { email: 'ada@example.com' },
    attribution: { firstTouch: touch, lastTouch: touch },
  };
}

const post = (body: unknown) =>
  worker.fetch(
    new Request('https://leads.example.workers.dev/v1/leads', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.7' },
      body: JSON.stringify(body),
    }),
    env,
    ctx,
  );
const admin = (path: string, method = 'GET') =>
  worker.fetch(
    new Request(`https://leads.example.workers.dev${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}` },
    }),
    env,
    ctx,
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leadkit-serverless-'));
  db = sqliteD1(join(dir, 'd1.sqlite'));
  db.exec(readFileSync(MIGRATION, 'utf8')); // what `wrangler d1 migrations apply` runs
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const status = answers.shift() ?? 204;
      if (status === 204) {
        const { id, payload } = verifyWebhook<{ data: { attribution?: { lastTouch: { channel: string } } } }>(
          {
            secret,
            headers: req.headers,
            body,
          },
        );
        received.push({ id, channel: payload.data.attribution?.lastTouch.channel });
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  env = {
    DB: db,
    LEADKIT_CONFIG: JSON.stringify({
      allowedOrigins: [ORIGIN],
      adminToken: { env: 'ADMIN_TOKEN' },
      security: { allowHosts: ['127.0.0.1'] },
      destinations: [
        { type: 'webhook', name: 'crm', url: { env: 'CRM_URL' }, secret: { env: 'CRM_SECRET' } },
      ],
      delivery: { jitter: 0 },
    }),
    ADMIN_TOKEN: adminToken,
    CRM_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/leadkit`,
    CRM_SECRET: secret,
  };
});
afterAll(() => {
  receiver?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('the D1 migration is the adapter’s own schema', () => {
  const strip = (sql: string) =>
    sql
      .split('\n')
      .filter((line) => !/^-- (Leadkit's tables|Apply with)/.test(line))
      .join('\n')
      .replace(/\s+/g, ' ')
      .trim();
  expect(strip(readFileSync(MIGRATION, 'utf8'))).toBe(strip(MIGRATIONS.join('\n')));
});

it('accepts a lead with CORS, stores it in D1 and delivers it signed, with the channel re-derived', async () => {
  const res = await post(
    lead('lead_edge_000001', `${ORIGIN}/?utm_source=google&utm_medium=cpc&utm_campaign=brand`),
  );
  expect(res.status).toBe(202);
  expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  await settle();
  expect(received).toEqual([{ id: 'lead_edge_000001', channel: 'Paid Search' }]);

  const again = await post(lead('lead_edge_000001', `${ORIGIN}/`));
  expect(again.status).toBe(202); // idempotent: the same answer, nothing new
  await settle();
  expect(received).toHaveLength(1);
  const stored = db.prepare('SELECT count(*) AS n FROM leads');
  expect(await stored.first()).toEqual({ n: 1 });
});

it('a failed delivery waits for its retry; the cron delivers it once it is due', async () => {
  answers.push(503);
  expect(
    (await post(lead('lead_edge_000002', `${ORIGIN}/?utm_source=newsletter&utm_medium=email`))).status,
  ).toBe(202);
  await settle();
  const deliveries = (await (await admin('/v1/leads/lead_edge_000002')).json()) as {
    deliveries: { id: number; status: string; attempts: number; nextAt: string }[];
  };
  const [delivery] = deliveries.deliveries;
  expect(delivery).toMatchObject({ status: 'pending', attempts: 1 });
  expect(Date.parse(delivery!.nextAt)).toBeGreaterThan(Date.now()); // Svix's schedule: 5 s later

  // The cron runs before it is due: nothing happens. Then an admin retries it now, and it arrives.
  await worker.scheduled(undefined, env, ctx);
  await settle();
  expect(received.map((r) => r.id)).not.toContain('lead_edge_000002');
  expect((await admin(`/v1/deliveries/${delivery!.id}/retry`, 'POST')).status).toBeLessThan(300);
  await settle();
  expect(received.at(-1)).toEqual({ id: 'lead_edge_000002', channel: 'Email' });
});

it('serves health and the inbox from the same handler', async () => {
  const health = await worker.fetch(new Request('https://leads.example.workers.dev/v1/health'), env, ctx);
  expect(await health.json()).toEqual({ status: 'ok' });
  const inbox = await worker.fetch(
    new Request(`https://leads.example.workers.dev/inbox?token=${adminToken}`),
    env,
    ctx,
  );
  expect(inbox.status).toBe(200);
  const page = await inbox.text();
  expect(page).toContain('lead_edge_000001');
  expect(page).toContain('crm: delivered');
});

it('refuses an origin that is not allowed', async () => {
  const res = await worker.fetch(
    new Request('https://leads.example.workers.dev/v1/leads', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify(lead('lead_edge_000003', `${ORIGIN}/`)),
    }),
    env,
    ctx,
  );
  expect(res.status).toBe(403);
});
