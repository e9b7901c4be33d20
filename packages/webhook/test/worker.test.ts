import { join } from 'node:path';
import { type Lead, parseLead } from '@leadkit/core/lead';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookDestination, type LeadCreatedEvent } from '../src/destinations/webhook.js';
import { generateSecret } from '../src/signing.js';
import { createGuardedFetch } from '../src/ssrf.js';
import { createSqliteStore, type SqliteStore } from '../src/store/sqlite.js';
import { createWorker, type DeliveryWorker, type WorkerDestination } from '../src/worker.js';
import { fullLead, type Receiver, startReceiver, tempDir, until } from './helpers.js';

const secret = generateSecret();
const guarded = createGuardedFetch({ allowHosts: ['127.0.0.1'] });

let tmp: ReturnType<typeof tempDir>;
let store: SqliteStore;
let receiver: Receiver | undefined;
let worker: DeliveryWorker | undefined;

beforeEach(() => {
  tmp = tempDir();
  store = createSqliteStore({ path: join(tmp.dir, 'leadkit.db') });
});
afterEach(async () => {
  await worker?.stop({ graceMs: 0 });
  worker = undefined;
  await receiver?.close();
  receiver = undefined;
  store.close();
  tmp.cleanup();
});

function lead(): Lead {
  const r = parseLead(fullLead());
  if (!r.ok) throw new Error('bad fixture');
  return r.lead;
}

function hook(url: string, extra: Partial<WorkerDestination> = {}): WorkerDestination {
  return { destination: createWebhookDestination({ type: 'webhook', name: 'hook', url, secret }), ...extra };
}

async function queue(l: Lead) {
  await store.saveLead({ lead: l, receivedAt: Date.now(), destinations: ['hook'] });
}

function run(destinations: WorkerDestination[], extra: Partial<Parameters<typeof createWorker>[0]> = {}) {
  worker = createWorker({ store, destinations, fetch: guarded, pollMs: 20, jitter: 0, ...extra });
  worker.start();
  return worker;
}

async function settled(leadId: string) {
  return until(async () => {
    const [row] = await store.listDeliveries({ leadId });
    return row && row.status !== 'pending' ? row : undefined;
  }, `delivery of ${leadId} to settle`);
}

describe('delivery worker + generic webhook destination', () => {
  it('delivers a signed Standard Webhooks request that standardwebhooks verifies', async () => {
    receiver = await startReceiver();
    const l = lead();
    await queue(l);
    run([hook(`${receiver.url}/hooks/leads`)]);
    const row = await settled(l.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 204 });

    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hooks/leads');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['webhook-id']).toBe(l.id);
    expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    const event = new Webhook(secret).verify(
      req.body,
      req.headers as Record<string, string>,
    ) as LeadCreatedEvent;
    expect(event.type).toBe('lead.created');
    expect(event.data).toEqual(l);
    expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);
  });

  it('retries on 5xx with the configured delays, same webhook-id each time, each attempt recorded', async () => {
    let calls = 0;
    receiver = await startReceiver((_req, res) => {
      calls++;
      res
        .writeHead(calls < 3 ? 500 : 200, { 'content-type': 'text/plain' })
        .end(calls < 3 ? 'db down' : 'ok');
    });
    const l = lead();
    await queue(l);
    run([hook(receiver.url, { delaysMs: [30, 30] })]);
    const row = await settled(l.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([l.id]));
    for (const r of receiver.requests) {
      expect(() => new Webhook(secret).verify(r.body, r.headers as Record<string, string>)).not.toThrow();
    }
    const attempts = await store.listAttempts(row.id);
    expect(attempts.map((a) => [a.attempt, a.outcome, a.status, a.reason])).toEqual([
      [1, 'retry', 500, 'HTTP 500: db down'],
      [2, 'retry', 500, 'HTTP 500: db down'],
      [3, 'ok', 200, null],
    ]);
  });

  it('dead-letters after the schedule; 410 and abort-message stop at once', async () => {
    receiver = await startReceiver((req, res) => {
      if (req.url === '/gone') res.writeHead(410).end();
      else if (req.url === '/abort') res.writeHead(400, { 'webhook-delivery': 'abort-message' }).end('no');
      else res.writeHead(502).end();
    });
    const [a, b, c] = [lead(), lead(), lead()];
    await store.saveLead({ lead: a, receivedAt: Date.now(), destinations: ['down'] });
    await store.saveLead({ lead: b, receivedAt: Date.now(), destinations: ['gone'] });
    await store.saveLead({ lead: c, receivedAt: Date.now(), destinations: ['abort'] });
    const d = (name: string, path: string, delaysMs = [10, 10]) => ({
      destination: createWebhookDestination({ type: 'webhook', name, url: receiver!.url + path, secret }),
      delaysMs,
    });
    run([d('down', '/down'), d('gone', '/gone'), d('abort', '/abort')]);
    expect(await settled(a.id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      permanent: false,
      lastStatus: 502,
    });
    expect(await settled(b.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      permanent: true,
      lastStatus: 410,
    });
    expect(await settled(c.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      permanent: true,
      lastError: 'HTTP 400: no (receiver sent webhook-delivery: abort-message)',
    });
    expect(receiver.requests.filter((r) => r.url === '/down')).toHaveLength(3);
  });

  it('never follows a redirect, and honours Retry-After on 429', async () => {
    receiver = await startReceiver((req, res) => {
      if (req.url === '/moved') res.writeHead(301, { location: '/elsewhere' }).end();
      else res.writeHead(429, { 'retry-after': '120' }).end();
    });
    const [a, b] = [lead(), lead()];
    await store.saveLead({ lead: a, receivedAt: Date.now(), destinations: ['moved'] });
    await store.saveLead({ lead: b, receivedAt: Date.now(), destinations: ['busy'] });
    const d = (name: string, path: string) => ({
      destination: createWebhookDestination({ type: 'webhook', name, url: receiver!.url + path, secret }),
      delaysMs: [5, 5],
    });
    const started = Date.now();
    run([d('moved', '/moved'), d('busy', '/busy')]);
    const moved = await until(async () => {
      const [row] = await store.listDeliveries({ leadId: a.id });
      return row && row.attempts >= 1 ? row : undefined;
    }, 'first attempt to /moved');
    expect(moved.lastError).toBe(
      'redirect to /elsewhere not followed; set the destination URL to the final address',
    );
    expect(moved.lastStatus).toBe(301);
    const busy = await until(async () => {
      const [row] = await store.listDeliveries({ leadId: b.id });
      return row && row.attempts === 1 ? row : undefined;
    }, 'first attempt to /busy');
    expect(busy.status).toBe('pending');
    expect(busy.nextAt! - started).toBeGreaterThanOrEqual(120_000);
    expect(receiver.requests.some((r) => r.url === '/elsewhere')).toBe(false);
  });

  it('times out a receiver that never answers, as a retry', async () => {
    receiver = await startReceiver(() => {}); // holds every request
    const l = lead();
    await queue(l);
    run([hook(receiver.url, { delaysMs: [], timeoutMs: 150 })]);
    const row = await settled(l.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, lastError: 'timed out after 150 ms' });
  });

  it('refuses destinations the SSRF guard blocks, permanently', async () => {
    const l = lead();
    await queue(l);
    worker = createWorker({
      store,
      destinations: [hook('https://127.0.0.1:1/hook')],
      fetch: createGuardedFetch({ allowHosts: [] }),
      pollMs: 20,
    });
    worker.start();
    const row = await settled(l.id);
    expect(row).toMatchObject({ status: 'failed', permanent: true, attempts: 1 });
    expect(row.lastError).toMatch(/127\.0\.0\.1/);
  });

  it('a graceful stop gives in-flight rows back unattempted; the next worker delivers them', async () => {
    let hold = true;
    receiver = await startReceiver((_req, res) => {
      if (!hold) res.writeHead(204).end();
    });
    const l = lead();
    await queue(l);
    const first = run([hook(receiver.url)]);
    await until(() => first.inFlight === 1 && receiver!.requests.length === 1, 'the held request');
    await first.stop({ graceMs: 50 });
    const [row] = await store.listDeliveries({ leadId: l.id });
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(store.db.prepare('SELECT lease FROM deliveries WHERE id = ?').get(row!.id)).toEqual({
      lease: null,
    });

    hold = false;
    run([hook(receiver.url)]);
    expect(await settled(l.id)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(receiver.requests).toHaveLength(2);
  });
});
