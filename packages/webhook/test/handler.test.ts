/** The fetch handler as other runtimes use it: Request in, Response out, no node:http involved. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandler, type LeadkitHandler } from '../src/handler.js';
import { createSqliteStore, type SqliteStore } from '../src/store/sqlite.js';
import { fullLead, tempDir } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
let store: SqliteStore;
let handler: LeadkitHandler;
let queued = 0;

beforeEach(() => {
  tmp = tempDir();
  store = createSqliteStore({ path: join(tmp.dir, 'leadkit.db') });
  queued = 0;
  handler = createHandler(
    {
      allowedOrigins: ['https://shop.example.com'],
      adminToken: 'admin-token-0123456789',
      destinations: [
        {
          type: 'webhook',
          name: 'crm',
          url: 'https://hooks.example.com/leads',
          secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        },
      ],
    },
    { store, onQueued: () => queued++, log: () => {} },
  );
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  handler(
    new Request('https://leads.example.com/v1/leads', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      duplex: 'half',
    } as RequestInit),
    { ip: '203.0.113.5' },
  );

describe('createHandler (fetch)', () => {
  it('stores a lead and its outbox row, answers 202 { id } with CORS, and wakes delivery', async () => {
    const lead = fullLead();
    const res = await post(JSON.stringify(lead), { origin: 'https://shop.example.com' });
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(res.headers.get('vary')).toBe('Origin');
    expect(await res.json()).toEqual({ id: lead.id });
    expect((await store.listDeliveries({ leadId: lead.id })).map((d) => d.destination)).toEqual(['crm']);
    expect(queued).toBe(1);
  });

  it('caps streamed bodies at 64 KB while reading', async () => {
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulls++;
        c.enqueue(new Uint8Array(8192).fill(32));
        if (pulls > 1000) c.close();
      },
    });
    const res = await post(stream);
    expect(res.status).toBe(413);
    expect(pulls).toBeLessThan(20); // stopped early, not after reading 8 MB
    expect(await store.listLeads()).toEqual([]);
  });

  it('answers preflight, health, unknown routes and admin auth as JSON', async () => {
    const pre = await handler(
      new Request('https://leads.example.com/v1/leads', {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example.com' },
      }),
    );
    expect([pre.status, pre.headers.get('access-control-allow-methods')]).toEqual([204, 'POST, OPTIONS']);
    const health = await handler(new Request('https://leads.example.com/v1/health'));
    expect(await health.json()).toEqual({ status: 'ok' });
    const missing = await handler(new Request('https://leads.example.com/nope'));
    expect([missing.status, await missing.json()]).toEqual([
      404,
      { error: 'No route for GET /nope. Leads go to POST /v1/leads.' },
    ]);
    const admin = await handler(
      new Request('https://leads.example.com/v1/leads', {
        headers: { authorization: 'Bearer admin-token-0123456789' },
      }),
    );
    expect(admin.status).toBe(200);
    const inbox = await handler(new Request('https://leads.example.com/inbox?token=admin-token-0123456789'));
    expect(inbox.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(inbox.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
  });

  it('validates the config once, at creation', () => {
    expect(() => createHandler({ retentionDays: -1 }, { store })).toThrow(/retentionDays: Too small/);
  });
});
