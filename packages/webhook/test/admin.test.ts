import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LeadkitConfigInput } from '../src/config.js';
import { type RunningServer, startServer } from '../src/node.js';
import { fullLead, type Receiver, smallestLead, startReceiver, tempDir, until } from './helpers.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const TOKEN = 'admin-token-0123456789abcdef';

let server: RunningServer | undefined;
let tmp: ReturnType<typeof tempDir> | undefined;
let hook: Receiver | undefined;
let failing = true;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await hook?.close();
  hook = undefined;
  tmp?.cleanup();
  failing = true;
});

async function start(config: LeadkitConfigInput) {
  tmp = tempDir();
  server = await startServer({
    config,
    port: 0,
    dbPath: join(tmp.dir, 'leadkit.db'),
    log: () => {},
    handleSignals: false,
  });
}

async function startWithHook() {
  hook = await startReceiver((req, res) => {
    res.writeHead(failing && req.url === '/flaky' ? 500 : 204).end();
  });
  await start({
    adminToken: TOKEN,
    rateLimit: false,
    security: { allowHosts: ['127.0.0.1'] },
    delivery: { pollMs: 20 },
    destinations: [
      { type: 'webhook', name: 'crm', url: `${hook.url}/ok`, secret: SECRET },
      { type: 'webhook', name: 'flaky', url: `${hook.url}/flaky`, secret: SECRET, retry: { delaysMs: [] } },
    ],
  });
}

function api(path: string, init: RequestInit = {}, token: string | null = TOKEN) {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(server!.url + path, { ...init, headers });
}

function postLead(lead: object) {
  return fetch(`${server!.url}/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(lead),
  });
}

async function settledAll() {
  await until(async () => {
    const pending = await server!.store.listDeliveries({ status: 'pending' });
    return pending.length === 0;
  }, 'no pending deliveries');
}

describe('admin API', () => {
  it('is disabled without adminToken (403 saying how to enable it); wrong tokens get 401', async () => {
    await start({});
    const res = await api('/v1/leads');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(
      /set "adminToken" in leadkit.config.json/,
    );
    expect((await fetch(`${server!.url}/inbox?token=whatever`)).status).toBe(403);
    await server!.close();
    server = undefined;
    tmp!.cleanup();

    await start({ adminToken: TOKEN });
    for (const t of [null, 'wrong', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const r = await api('/v1/deliveries', {}, t);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="leadkit"');
    }
    expect((await api('/v1/deliveries')).status).toBe(200);
    expect((await fetch(`${server!.url}/inbox?token=wrong`)).status).toBe(401);
  });

  it('lists leads and failed deliveries, retries one, replays by lead and by time', async () => {
    await startWithHook();
    const lead = fullLead();
    expect((await postLead(lead)).status).toBe(202);
    await settledAll();

    const list = (await (await api('/v1/leads')).json()) as {
      leads: { id: string; channel: string; deliveries: { destination: string; status: string }[] }[];
    };
    expect(list.leads).toHaveLength(1);
    expect(list.leads[0]).toMatchObject({ id: lead.id, channel: 'Organic Search' });
    expect(list.leads[0]!.deliveries.map((d) => [d.destination, d.status]).sort()).toEqual([
      ['crm', 'delivered'],
      ['flaky', 'failed'],
    ]);

    const one = (await (await api(`/v1/leads/${lead.id}`)).json()) as {
      deliveries: { destination: string; history: { outcome: string; status: number }[] }[];
    };
    const flakyHistory = one.deliveries.find((d) => d.destination === 'flaky')!.history;
    expect(flakyHistory).toMatchObject([{ outcome: 'retry', status: 500 }]);
    expect((await api('/v1/leads/lead_unknown_1')).status).toBe(404);

    const failed = (await (await api('/v1/deliveries?status=failed')).json()) as {
      deliveries: { id: number; destination: string }[];
    };
    expect(failed.deliveries.map((d) => d.destination)).toEqual(['flaky']);
    expect((await api('/v1/deliveries?status=weird')).status).toBe(400);

    failing = false;
    const retry = await api(`/v1/deliveries/${failed.deliveries[0]!.id}/retry`, { method: 'POST' });
    expect(retry.status).toBe(202);
    await settledAll();
    expect(await server!.store.listDeliveries({ status: 'failed' })).toEqual([]);

    const before = hook!.requests.length;
    const replay = await api('/v1/replay', { method: 'POST', body: JSON.stringify({ leadId: lead.id }) });
    expect(await replay.json()).toEqual({ replayed: 2 });
    await until(() => hook!.requests.length === before + 2, 'the replayed deliveries');
    // Replays keep the webhook-id: receivers dedupe on it.
    expect(new Set(hook!.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([lead.id]));

    failing = true;
    const second = smallestLead();
    await postLead(second);
    await settledAll();
    failing = false;
    const since = await api('/v1/replay', {
      method: 'POST',
      body: JSON.stringify({ failedSince: new Date(Date.now() - 60_000).toISOString() }),
    });
    expect(await since.json()).toEqual({ replayed: 1 });
    await settledAll();
    const bad = await api('/v1/replay', {
      method: 'POST',
      body: JSON.stringify({ failedSince: 'yesterday' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ issues: [{ path: 'failedSince' }] });
  });

  it('lists the spam list and releases a lead into delivery', async () => {
    await startWithHook();
    failing = false;
    const spam = smallestLead({ meta: { honeypot: 'autofilled' } });
    await postLead(spam);
    const list = (await (await api('/v1/spam')).json()) as { leads: { id: string; spamReason: string }[] };
    expect(list.leads.map((l) => [l.id, l.spamReason])).toEqual([[spam.id, 'honeypot filled']]);
    expect(hook!.requests).toHaveLength(0);
    expect((await api(`/v1/spam/${spam.id}/release`, { method: 'POST' })).status).toBe(202);
    await until(() => hook!.requests.length === 2, 'the released lead at both destinations');
    expect((await api(`/v1/spam/${spam.id}/release`, { method: 'POST' })).status).toBe(404);
    expect(((await (await api('/v1/spam')).json()) as { leads: unknown[] }).leads).toEqual([]);
  });
});

describe('GET /inbox', () => {
  it('escapes attacker-controlled values and sets a strict CSP', async () => {
    await startWithHook();
    const evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const lead = fullLead({ formId: evil });
    lead.attribution!.firstTouch.campaign = evil;
    await postLead(lead);
    await postLead(smallestLead({ formId: evil, meta: { honeypot: 'x' } }));
    await settledAll();
    const res = await fetch(`${server!.url}/inbox?token=${TOKEN}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(
      /^default-src 'none'; style-src 'nonce-[A-Za-z0-9+/=]+'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/,
    );
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain(
      '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;',
    );
    expect(html).toContain(`<style nonce="${csp.match(/nonce-([^']+)/)![1]}">`);
    expect(html).toContain('<svg role="img" aria-label="Leads by last-touch channel');
    expect(html).toContain('Organic Search');
    expect(html).toMatch(/flaky: dead letter/);
    expect(html).toContain('<form method="post" action="/inbox/release">');
  });

  it('retry and release buttons work with the token in the form body', async () => {
    await startWithHook();
    const lead = smallestLead();
    await postLead(lead);
    await settledAll();
    const [failed] = await server!.store.listDeliveries({ status: 'failed' });
    failing = false;
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      redirect: 'manual' as const,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    const denied = await fetch(
      `${server!.url}/inbox/retry`,
      form({ token: 'nope', delivery: String(failed!.id) }),
    );
    expect(denied.status).toBe(401);
    const res = await fetch(
      `${server!.url}/inbox/retry`,
      form({ token: TOKEN, delivery: String(failed!.id) }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/inbox?token=${TOKEN}`);
    await settledAll();
    expect((await server!.store.getDelivery(failed!.id))!.status).toBe('delivered');

    const spam = smallestLead({ meta: { fillMs: 10 } });
    await postLead(spam);
    const rel = await fetch(`${server!.url}/inbox/release`, form({ token: TOKEN, lead: spam.id }));
    expect(rel.status).toBe(303);
    await settledAll();
    expect((await server!.store.listDeliveries({ leadId: spam.id })).map((d) => d.status)).toEqual([
      'delivered',
      'delivered',
    ]);
  });
});
