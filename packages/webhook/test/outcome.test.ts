/**
 * Outcomes through real HTTP: signed with a real Standard Webhooks signature (the `standardwebhooks`
 * package and ours), the admin token, idempotent repeats, errors, stage moves and routing after them.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { LeadInput } from '@leadkit/core/lead';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadCreatedEvent } from '../src/destinations/webhook.js';
import { silentLogger } from '../src/log.js';
import { type RunningServer, startServer } from '../src/node.js';
import { generateSecret, signWebhook } from '../src/signing.js';
import { fullLead, type Receiver, startReceiver, tempDir, until } from './helpers.js';

const ADMIN = 'admin-token-0123456789abcdef';
const SECRET = generateSecret();
const CRM_TOKEN = 'crm-outcomes-only-0123456789';

let tmp: ReturnType<typeof tempDir>;
let crm: Receiver;
let server: RunningServer;

beforeAll(async () => {
  tmp = tempDir();
  crm = await startReceiver();
  server = await startServer({
    port: 0,
    dbPath: join(tmp.dir, 'leadkit.db'),
    log: silentLogger,
    handleSignals: false,
    config: {
      rateLimit: false,
      adminToken: ADMIN,
      outcomes: { secret: SECRET, token: CRM_TOKEN },
      security: { allowHosts: ['127.0.0.1'] },
      delivery: { pollMs: 20 },
      scoring: {
        mqlThreshold: 30,
        rules: [{ name: 'business email', when: { field: 'emailType', eq: 'business' }, points: 40 }],
      },
      destinations: [
        {
          type: 'webhook',
          name: 'crm',
          url: `${crm.url}/sql`,
          secret: generateSecret(),
          when: { field: 'stage', eq: 'sql' },
        },
      ],
    },
  });
});

afterAll(async () => {
  await server?.close();
  await crm?.close();
  tmp?.cleanup();
});

async function newLead(fields: Record<string, string> = { email: 'ada@analytical.example' }) {
  const body: LeadInput = fullLead({ fields });
  const res = await fetch(`${server.url}/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return body.id;
}

/** Signed by the standardwebhooks reference library, as a sender would. */
function signed(body: unknown, id = `msg_${randomUUID()}`, secret = SECRET) {
  const text = JSON.stringify(body);
  const now = new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, now, text),
  };
}

async function send(path: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const admin = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` };

describe('POST /v1/leads/{id}/outcome', () => {
  it('moves an MQL to sql on a signed "qualified", and the sql destination receives it', async () => {
    const id = await newLead();
    expect((await server.store.getLead(id))!.stage).toBe('mql');
    // Nothing for the CRM at intake: it only takes sql leads.
    expect(await server.store.listDeliveries({ leadId: id })).toEqual([]);

    const body = { status: 'qualified', at: '2026-11-03T09:00:00Z' };
    const res = await send(`/v1/leads/${id}/outcome`, body, signed(body));
    expect(res).toEqual({ status: 200, body: { leadId: id, stage: 'sql', created: true, queued: ['crm'] } });

    const got = await until(
      () => crm.requests.map((r) => JSON.parse(r.body) as LeadCreatedEvent).find((e) => e.data.id === id),
      'the sql lead at the CRM',
    );
    expect(got.stage).toBe('sql');
    expect(await server.store.listOutcomes(id)).toEqual([
      expect.objectContaining({ status: 'qualified', at: Date.parse('2026-11-03T09:00:00Z') }),
    ]);
  });

  it('takes a signature made by our own signer with several secrets (rotation)', async () => {
    const id = await newLead();
    const text = JSON.stringify({ status: 'contacted' });
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${server.url}/v1/leads/${id}/outcome`, {
      method: 'POST',
      headers: {
        'webhook-id': 'msg_rotation',
        'webhook-timestamp': String(ts),
        'webhook-signature': signWebhook([generateSecret(), SECRET], 'msg_rotation', ts, text),
      },
      body: text,
    });
    expect(res.status).toBe(200);
    const lead = await server.store.getLead(id);
    expect(lead).toMatchObject({ stage: 'mql' });
    expect(lead!.contactedAt).toBeGreaterThanOrEqual(lead!.receivedAt);
  });

  it('moves won to customer with the amount, and a repeat of the same message changes nothing', async () => {
    const id = await newLead();
    const body = { status: 'won', amount: '1200.50', currency: 'eur', reason: 'annual plan' };
    const headers = signed(body, 'msg_deal_42');
    const first = await send(`/v1/leads/${id}/outcome`, body, headers);
    expect(first.body).toMatchObject({ stage: 'customer', created: true });
    const again = await send(`/v1/leads/${id}/outcome`, body, headers);
    expect(again).toEqual({
      status: 200,
      body: { leadId: id, stage: 'customer', created: false, queued: [] },
    });
    expect(await server.store.listOutcomes(id)).toEqual([
      expect.objectContaining({
        key: 'webhook:msg_deal_42',
        amount: 1200.5,
        currency: 'EUR',
        reason: 'annual plan',
      }),
    ]);
  });

  it('is idempotent with the admin token: on Idempotency-Key, else on the body', async () => {
    const id = await newLead();
    const keyed = { ...admin, 'idempotency-key': 'hubspot-deal-7-closedwon' };
    expect((await send(`/v1/leads/${id}/outcome`, { status: 'contacted' }, keyed)).body.created).toBe(true);
    expect((await send(`/v1/leads/${id}/outcome`, { status: 'contacted' }, keyed)).body.created).toBe(false);
    const body = { status: 'lost', reason: 'budget' };
    expect((await send(`/v1/leads/${id}/outcome`, body, admin)).body).toMatchObject({
      created: true,
      stage: 'lost',
    });
    expect((await send(`/v1/leads/${id}/outcome`, body, admin)).body).toMatchObject({ created: false });
    expect(await server.store.listOutcomes(id)).toHaveLength(2);
  });

  it('takes the outcomes token, which opens no admin route', async () => {
    const id = await newLead();
    const crmAuth = { 'content-type': 'application/json', authorization: `Bearer ${CRM_TOKEN}` };
    const ok = await send(`/v1/leads/${id}/outcome`, { status: 'contacted' }, crmAuth);
    expect(ok).toMatchObject({ status: 200, body: { created: true } });
    expect((await fetch(`${server.url}/v1/leads/${id}`, { headers: crmAuth })).status).toBe(401);
    expect(
      (await fetch(`${server.url}/v1/leads?email=x@example.com`, { method: 'DELETE', headers: crmAuth }))
        .status,
    ).toBe(401);
  });

  it('takes a token as the password of Basic auth (Pipedrive automations)', async () => {
    const id = await newLead();
    const basic = (password: string) => ({
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`pipedrive:${password}`).toString('base64')}`,
    });
    const ok = await send(`/v1/leads/${id}/outcome`, { status: 'won', amount: 10 }, basic(CRM_TOKEN));
    expect(ok.body).toMatchObject({ stage: 'customer', created: true });
    const wrong = await send(`/v1/leads/${id}/outcome`, { status: 'lost' }, basic('not-the-token-000'));
    expect(wrong.status).toBe(401);
    expect((await server.store.getLead(id))!.stage).toBe('customer');
  });

  it('answers 401 to a wrong signature, a stale timestamp or a wrong token, and stores nothing', async () => {
    const id = await newLead();
    const body = { status: 'won' };
    const forged = await send(`/v1/leads/${id}/outcome`, body, signed(body, 'msg_x', generateSecret()));
    expect(forged.status).toBe(401);
    expect(forged.body.error).toMatch(/No webhook-signature entry matches/);

    const text = JSON.stringify(body);
    const old = new Date(Date.now() - 10 * 60_000);
    const stale = await fetch(`${server.url}/v1/leads/${id}/outcome`, {
      method: 'POST',
      headers: {
        'webhook-id': 'msg_old',
        'webhook-timestamp': String(Math.floor(old.getTime() / 1000)),
        'webhook-signature': new Webhook(SECRET).sign('msg_old', old, text),
      },
      body: text,
    });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: string }).error).toMatch(/old \(tolerance 300s\)/);

    // A body changed after signing.
    const tampered = signed({ status: 'lost' });
    expect((await send(`/v1/leads/${id}/outcome`, body, tampered)).status).toBe(401);

    const wrong = await send(`/v1/leads/${id}/outcome`, body, {
      authorization: 'Bearer nope-nope-nope-nope',
    });
    expect(wrong.status).toBe(401);
    const none = await send(`/v1/leads/${id}/outcome`, body, {});
    expect(none.status).toBe(401);
    expect(none.body.error).toMatch(/outcomes\.token or adminToken.*outcomes\.secret/);
    expect(await server.store.listOutcomes(id)).toEqual([]);
  });

  it('answers 404 for an unknown lead and 400 naming the key for an invalid body', async () => {
    const missing = await send('/v1/leads/lead_does_not_exist/outcome', { status: 'won' }, admin);
    expect(missing.status).toBe(404);

    const id = await newLead();
    const bad = await send(
      `/v1/leads/${id}/outcome`,
      { status: 'closed', amount: -5, currency: 'EURO', at: 1767225600 },
      admin,
    );
    expect(bad.status).toBe(400);
    const paths = (bad.body.issues as { path: string; message: string }[]).map((i) => i.path).sort();
    expect(paths).toEqual(['amount', 'at', 'currency', 'status']);
    expect(bad.body.error).toMatch(/status must be one of contacted, qualified, disqualified, won, lost/);
    expect(bad.body.error).toMatch(/at 1767225600 looks like seconds/);

    const notJson = await fetch(`${server.url}/v1/leads/${id}/outcome`, {
      method: 'POST',
      headers: admin,
      body: '{status:',
    });
    expect(notJson.status).toBe(400);
    const huge = await fetch(`${server.url}/v1/leads/${id}/outcome`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ status: 'won', reason: 'x'.repeat(20_000) }),
    });
    expect(huge.status).toBe(413);
    expect(await server.store.listOutcomes(id)).toEqual([]);
  });
});

describe('POST /v1/outcomes', () => {
  it('finds the newest lead of an email address, case-insensitively; status may come from the query', async () => {
    await newLead({ email: 'grace@navy.example' });
    const newest = await newLead({ email: 'Grace@Navy.example' });
    // As a CRM action sends it: record properties in the body, the static status in the URL.
    const res = await send(
      '/v1/outcomes?status=qualified',
      { email: 'GRACE@navy.example ', firstname: 'Grace' },
      admin,
    );
    expect(res).toMatchObject({ status: 200, body: { leadId: newest, stage: 'sql', created: true } });

    const byId = await send('/v1/outcomes', { leadId: newest, status: 'won', amount: 99 }, admin);
    expect(byId.body).toMatchObject({ leadId: newest, stage: 'customer' });

    expect(
      (await send('/v1/outcomes', { email: 'nobody@nowhere.example', status: 'won' }, admin)).status,
    ).toBe(404);
    const neither = await send('/v1/outcomes', { status: 'won' }, admin);
    expect(neither.status).toBe(400);
    expect(neither.body.issues).toEqual([expect.objectContaining({ path: 'leadId' })]);
  });
});

// Last in the file: it leaves 127.0.0.1 blocked for a minute.
describe('failed authentication', () => {
  it('is limited per address: after 20 failures in a minute even a good token waits (429)', async () => {
    const id = await newLead();
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      statuses.push(
        (
          await send(
            `/v1/leads/${id}/outcome`,
            { status: 'won' },
            { authorization: 'Bearer wrong-wrong-wrong' },
          )
        ).status,
      );
    }
    expect(statuses).toContain(429);
    expect(statuses.slice(0, statuses.indexOf(429)).every((s) => s === 401)).toBe(true);
    const blocked = await fetch(`${server.url}/v1/leads/${id}/outcome`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ status: 'won' }),
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
