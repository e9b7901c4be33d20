import { connect } from 'node:net';
import { join } from 'node:path';
import { initCapture } from '@leadkit/core/capture';
import { afterEach, describe, expect, it } from 'vitest';
import type { LeadkitConfigInput } from '../src/config.js';
import type { LogEntry } from '../src/log.js';
import { type RunningServer, type SqliteStore, startServer } from '../src/node.js';
import { fullLead, type Receiver, smallestLead, startReceiver, tempDir, until } from './helpers.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

let server: RunningServer | undefined;
let tmp: ReturnType<typeof tempDir> | undefined;
let receivers: Receiver[] = [];
let logs: LogEntry[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const r of receivers) await r.close();
  receivers = [];
  tmp?.cleanup();
  tmp = undefined;
  logs = [];
});

async function start(config: LeadkitConfigInput = {}) {
  tmp = tempDir();
  server = await startServer({
    config,
    port: 0,
    host: '127.0.0.1',
    dbPath: join(tmp.dir, 'leadkit.db'),
    log: (e) => logs.push(e),
    handleSignals: false,
  });
  return server;
}

async function receiver(respond?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server!.url}/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function rows(sql: string, ...params: unknown[]) {
  return (server!.store as SqliteStore).db.prepare(sql).all(...params) as Record<string, unknown>[];
}
const count = (table: string) => (rows(`SELECT count(*) AS n FROM ${table}`)[0] as { n: number }).n;

describe('POST /v1/leads', () => {
  it('accepts the smallest lead with the default config, committed before the 202', async () => {
    await start();
    const lead = smallestLead();
    const res = await post(lead);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ id: lead.id });
    expect(rows('SELECT id, form_id, spam_reason, ip FROM leads')).toEqual([
      { id: lead.id, form_id: 'contact', spam_reason: null, ip: null },
    ]);
    const health = await fetch(`${server!.url}/v1/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('re-derives channel, source and medium of every touch, keeping the client’s other values', async () => {
    await start({ channelRules: [{ channel: 'Newsletter', source: 'newsletter', medium: 'email' }] });
    const lead = fullLead();
    expect((await post(lead)).status).toBe(202);
    const stored = await server!.store.getLead(lead.id);
    const a = stored!.lead.attribution!;
    expect(a.firstTouch).toMatchObject({
      channel: 'Newsletter',
      source: 'newsletter',
      medium: 'email',
      campaign: 'spring',
    });
    expect(a.touches[0]).toMatchObject({ channel: 'Newsletter', source: 'newsletter' });
    expect(a.lastTouch).toMatchObject({
      channel: 'Organic Search',
      source: 'google',
      medium: 'organic',
      landingPage: 'https://shop.example.com/pricing',
      timestamp: '2026-11-01T10:00:00.000Z',
    });
    expect(stored!.lead.fields).toEqual(lead.fields);
    expect(rows('SELECT channel FROM leads')).toEqual([{ channel: 'Organic Search' }]);
  });

  it('fills the channel of touches captured without the classifier (@leadkit/core/capture)', async () => {
    await start();
    const attribution = initCapture({
      url: 'https://shop.example.com/?utm_source=facebook&utm_medium=paid_social&fbclid=IwAR1',
      referrer: 'https://l.facebook.com/',
    }).attribution();
    expect(attribution.firstTouch.channel).toBeUndefined();
    const lead = fullLead({ attribution });
    expect((await post(lead)).status).toBe(202);
    const a = (await server!.store.getLead(lead.id))!.lead.attribution!;
    const paidSocial = { channel: 'Paid Social', source: 'facebook', medium: 'paid_social' };
    expect(a.firstTouch).toMatchObject({ ...paidSocial, clickIds: { fbclid: 'IwAR1' } });
    expect(a.lastTouch).toMatchObject(paidSocial);
    expect(a.sessionEntry).toMatchObject(paidSocial);
    expect(a.touches).toMatchObject([paidSocial]);
    expect(rows('SELECT channel FROM leads')).toEqual([{ channel: 'Paid Social' }]);
  });

  it('CORS: preflight and posts from listed origins pass; others get 403 and store nothing', async () => {
    await start({ allowedOrigins: ['https://shop.example.com'] });
    const pre = await fetch(`${server!.url}/v1/leads`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type');
    const badPre = await fetch(`${server!.url}/v1/leads`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(badPre.status).toBe(403);
    expect(badPre.headers.get('access-control-allow-origin')).toBeNull();

    const bad = await post(smallestLead(), { origin: 'https://evil.example' });
    expect(bad.status).toBe(403);
    expect(await bad.json()).toEqual({
      error:
        'Origin https://evil.example may not post leads. Add it to "allowedOrigins" in leadkit.config.json.',
    });
    const ok = await post(smallestLead(), { origin: 'https://shop.example.com' });
    expect(ok.status).toBe(202);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect((await post(smallestLead())).status).toBe(202); // no Origin: server-to-server
    expect(count('leads')).toBe(2);
  });

  it('answers wrong types, bad JSON, wrong content type and huge bodies with 4xx and stores nothing', async () => {
    await start();
    const invalid = await post({ id: 'has.dot', formId: 5, fields: [] });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: string; issues: { path: string; message: string }[] };
    expect(body.error).toBe('The lead does not match the schema; see issues.');
    expect(body.issues.map((i) => i.path).sort()).toEqual(['fields', 'formId', 'id']);
    expect(body.issues.find((i) => i.path === 'id')!.message).toMatch(/no dots/);

    const badJson = await post('{"id": ');
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: string }).error).toMatch(/^Body is not valid JSON/);

    const text = await post(smallestLead(), { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);

    const huge = smallestLead({ fields: { message: 'x'.repeat(9000), a: 'y'.repeat(9000) } });
    huge.fields = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, 'z'.repeat(9000)]));
    const big = await post(huge);
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toBe(
      'Body is larger than 65536 bytes; send files as links, not inline.',
    );

    // Chunked, no Content-Length: the cap is enforced while reading.
    const chunk = new TextEncoder().encode(' '.repeat(16_384));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent++ < 10) c.enqueue(chunk);
        else c.close();
      },
    });
    const chunked = await fetch(`${server!.url}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect([count('leads'), count('deliveries')]).toEqual([0, 0]);
  });

  it('limits per IP and per form with 429 + Retry-After, storing only what was accepted', async () => {
    await start({
      rateLimit: { perIp: { points: 5, durationSeconds: 60 }, perForm: { points: 2, durationSeconds: 60 } },
    });
    const statuses: number[] = [];
    for (const formId of ['a', 'a', 'a', 'b', 'b', 'c'])
      statuses.push((await post(smallestLead({ formId }))).status);
    expect(statuses).toEqual([202, 202, 429, 202, 202, 429]);
    const limited = await post(smallestLead({ formId: 'z' }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: string }).error).toMatch(
      /^Too many submissions from this address/,
    );
    expect(rows('SELECT form_id FROM leads ORDER BY form_id')).toEqual([
      { form_id: 'a' },
      { form_id: 'a' },
      { form_id: 'b' },
      { form_id: 'b' },
    ]);
  });

  it('answers spam exactly like success, keeps it in the spam list and never queues it', async () => {
    const hook = await receiver();
    await start({
      security: { allowHosts: ['127.0.0.1'] },
      destinations: [{ type: 'webhook', name: 'crm', url: hook.url, secret: SECRET }],
    });
    const ok = smallestLead({ meta: { fillMs: 9000 } });
    const honeypotMeta = smallestLead({ meta: { honeypot: 'http://spam.example' } });
    const honeypotField = smallestLead({ fields: { email: 'bot@example.com', _gotcha: 'x' } });
    const tooFast = smallestLead({ meta: { fillMs: 300 } });
    const answers = [];
    for (const l of [ok, honeypotMeta, honeypotField, tooFast]) {
      const res = await post(l);
      answers.push({
        status: res.status,
        body: (await res.text()).replace(l.id, 'ID'),
        headers: [...res.headers].filter(([k]) => k !== 'date'),
      });
    }
    expect(answers.slice(1)).toEqual([answers[0], answers[0], answers[0]]);
    expect(
      rows('SELECT id, spam_reason FROM leads WHERE spam_reason IS NOT NULL ORDER BY spam_reason'),
    ).toEqual([
      { id: tooFast.id, spam_reason: 'filled in 300 ms (minimum 2000 ms)' },
      { id: honeypotMeta.id, spam_reason: 'honeypot filled' },
      { id: honeypotField.id, spam_reason: 'honeypot filled' },
    ]);
    expect(rows('SELECT lead_id FROM deliveries')).toEqual([{ lead_id: ok.id }]);
    const stored = await server!.store.getLead(honeypotField.id);
    expect(stored!.lead.fields).toEqual({ email: 'bot@example.com' }); // honeypot field never delivered
    await until(() => hook.requests.length === 1, 'the one real lead');
    expect(hook.requests[0]!.headers['webhook-id']).toBe(ok.id);
  });

  it('verifies Turnstile server-side; rejected, missing or unreachable tokens are kept as spam', async () => {
    const siteverify = await receiver((req, res) => {
      const form = new URLSearchParams(req.body);
      const good = form.get('secret') === 'ts-secret' && form.get('response') === 'good-token';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          good ? { success: true } : { success: false, 'error-codes': ['invalid-input-response'] },
        ),
      );
    });
    await start({ spam: { turnstile: { secret: 'ts-secret', verifyUrl: `${siteverify.url}/siteverify` } } });
    const good = smallestLead({ meta: { turnstileToken: 'good-token' } });
    const bad = smallestLead({ fields: { email: 'x@example.com', 'cf-turnstile-response': 'forged' } });
    const missing = smallestLead();
    for (const l of [good, bad, missing]) expect((await post(l)).status).toBe(202);
    expect((await post(good)).status).toBe(202); // a repeat does not spend the token again
    expect(siteverify.requests).toHaveLength(2);
    expect(new URLSearchParams(siteverify.requests[0]!.body).get('remoteip')).toBe('127.0.0.1');
    const spam = Object.fromEntries(
      rows('SELECT id, spam_reason FROM leads').map((r) => [r.id, r.spam_reason]),
    );
    expect(spam).toEqual({
      [good.id]: null,
      [bad.id]: 'turnstile rejected (invalid-input-response)',
      [missing.id]: 'turnstile token missing',
    });
    const stored = await server!.store.getLead(good.id);
    expect(stored!.lead.meta).toEqual({}); // the one-time token is not kept
    await siteverify.close();
    const down = smallestLead({ meta: { turnstileToken: 'good-token' } });
    expect((await post(down)).status).toBe(202);
    expect((await server!.store.getLead(down.id))!.spamReason).toMatch(/^turnstile unavailable/);
  });

  it('concurrent duplicates: one lead, one outbox row, one delivery, the same answer to all', async () => {
    const hook = await receiver();
    await start({
      rateLimit: false,
      security: { allowHosts: ['127.0.0.1'] },
      destinations: [{ type: 'webhook', name: 'crm', url: hook.url, secret: SECRET }],
    });
    const lead = fullLead();
    const answers = await Promise.all(
      Array.from({ length: 25 }, async () => {
        const res = await post(lead);
        return [res.status, await res.text()];
      }),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(
      new Set([JSON.stringify([202, JSON.stringify({ id: lead.id })])]),
    );
    expect([count('leads'), count('deliveries')]).toEqual([1, 1]);
    await until(
      async () => (await server!.store.listDeliveries({ status: 'delivered' })).length === 1,
      'delivery',
    );
    expect((await post(lead)).status).toBe(202);
    expect(hook.requests).toHaveLength(1);
    expect(logs.filter((l) => l.event === 'intake' && l.outcome === 'accepted')).toHaveLength(1);
    expect(logs.filter((l) => l.event === 'intake' && l.outcome === 'duplicate')).toHaveLength(25);
  });

  it('stores the client IP only when configured, from X-Forwarded-For only behind a trusted proxy', async () => {
    await start({ storeIp: true, trustProxy: 1 });
    const a = smallestLead();
    await post(a, { 'x-forwarded-for': '198.51.100.7, 203.0.113.9' });
    expect(rows('SELECT ip FROM leads WHERE id = ?', a.id)).toEqual([{ ip: '203.0.113.9' }]);
    await server!.close();
    server = undefined;
    tmp!.cleanup();
    await start({ storeIp: true });
    const b = smallestLead();
    await post(b, { 'x-forwarded-for': '203.0.113.9' });
    expect(rows('SELECT ip FROM leads WHERE id = ?', b.id)).toEqual([{ ip: '127.0.0.1' }]);
  });

  it('a flood of mixed good and bad requests: every 202 is stored, nothing else is', async () => {
    await start({
      rateLimit: {
        perIp: { points: 150, durationSeconds: 60 },
        perForm: { points: 1000, durationSeconds: 60 },
      },
    });
    const kinds = ['good', 'invalid', 'huge', 'spam', 'badjson'] as const;
    const sent = Array.from({ length: 200 }, (_, i) => {
      const kind = kinds[i % kinds.length]!;
      const lead = smallestLead();
      const body =
        kind === 'invalid'
          ? { ...lead, fields: 'nope' }
          : kind === 'huge'
            ? { ...lead, fields: { m: 'x'.repeat(70_000) } }
            : kind === 'spam'
              ? { ...lead, meta: { honeypot: 'y' } }
              : kind === 'badjson'
                ? '{'
                : lead;
      return { kind, id: lead.id, body };
    });
    const results = await Promise.all(sent.map(async (s) => ({ ...s, status: (await post(s.body)).status })));
    const byKind = (k: string) => new Set(results.filter((r) => r.kind === k).map((r) => r.status));
    // 150 per IP: the last 50 requests of the flood are limited whatever they are.
    const accepted = results.filter((r) => r.status === 202);
    expect(results.filter((r) => r.status === 429)).toHaveLength(50);
    for (const k of ['invalid', 'badjson'])
      expect([...byKind(k)].every((s) => s === 400 || s === 429)).toBe(true);
    expect([...byKind('huge')].every((s) => s === 413 || s === 429)).toBe(true);
    const storedIds = new Set(rows('SELECT id FROM leads').map((r) => r.id));
    expect(storedIds).toEqual(new Set(accepted.map((r) => r.id)));
    expect(accepted.every((r) => r.kind === 'good' || r.kind === 'spam')).toBe(true);
    expect(count('deliveries')).toBe(0); // no destinations configured
    const intakeLines = logs.filter((l) => l.event === 'intake');
    expect(intakeLines).toHaveLength(200);
    expect(JSON.stringify(logs)).not.toContain('ada@example.com');
  });

  it('survives a request target that is not a URL (400, and the server keeps serving)', async () => {
    await start();
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(server!.port, '127.0.0.1', () =>
        socket.write('GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n'),
      );
      let data = '';
      socket.on('data', (c) => {
        data += c.toString();
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect((await fetch(`${server!.url}/v1/health`)).status).toBe(200);
  });

  it('answers 503 (and health 503) when the store cannot write, and nothing claims success', async () => {
    await start();
    (server!.store as SqliteStore).db.close();
    const res = await post(smallestLead());
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect((await fetch(`${server!.url}/v1/health`)).status).toBe(503);
  });
});
