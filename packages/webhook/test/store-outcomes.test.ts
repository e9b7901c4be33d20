import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Lead, parseLead } from '@leadkit/core/lead';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStore } from '../src/store/sqlite.js';
import type { Qualification } from '../src/store/types.js';
import { fullLead, smallestLead, tempDir } from './helpers.js';

function lead(input = smallestLead()): Lead {
  const r = parseLead(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.lead;
}

const T0 = Date.UTC(2026, 10, 2);
const MQL: Qualification = { score: 70, grade: 'A', fired: [], stage: 'mql' };

let tmp: ReturnType<typeof tempDir>;
let path: string;
let store: SqliteStore;
beforeEach(() => {
  tmp = tempDir();
  path = join(tmp.dir, 'leadkit.db');
  store = createSqliteStore({ path });
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const outcome = (
  leadId: string,
  key: string,
  status: 'contacted' | 'qualified' | 'won' | 'lost',
  at: number,
) => store.recordOutcome({ leadId, key, status, at, receivedAt: at + 1 });

describe('SQLite store: outcomes', () => {
  it('moves the stage with each new outcome, ignores a repeated key, and times the first contact', async () => {
    const l = lead();
    await store.saveLead({ lead: l, receivedAt: T0, destinations: [], qualification: MQL });

    expect(await outcome(l.id, 'k1', 'contacted', T0 + 12 * 60_000)).toEqual({
      found: true,
      created: true,
      stage: 'mql',
      previousStage: 'mql',
    });
    expect(await store.getLead(l.id)).toMatchObject({ stage: 'mql', contactedAt: T0 + 12 * 60_000 });

    expect(await outcome(l.id, 'k2', 'qualified', T0 + 86_400_000)).toMatchObject({
      created: true,
      stage: 'sql',
      previousStage: 'mql',
    });
    // The same key again, even with another status, changes nothing.
    expect(await outcome(l.id, 'k2', 'lost', T0 + 2 * 86_400_000)).toEqual({
      found: true,
      created: false,
      stage: 'sql',
      previousStage: 'sql',
    });
    await store.recordOutcome({
      leadId: l.id,
      key: 'k3',
      status: 'won',
      amount: 1200.5,
      currency: 'EUR',
      reason: 'signed',
      at: T0 + 3 * 86_400_000,
      receivedAt: T0 + 3 * 86_400_000,
    });
    // A late report of an earlier contact moves speed-to-lead, not the stage.
    await outcome(l.id, 'k4', 'contacted', T0 + 5 * 60_000);
    expect(await store.getLead(l.id)).toMatchObject({ stage: 'customer', contactedAt: T0 + 5 * 60_000 });

    const rows = await store.listOutcomes(l.id);
    expect(rows.map((r) => [r.key, r.status])).toEqual([
      ['k1', 'contacted'],
      ['k2', 'qualified'],
      ['k3', 'won'],
      ['k4', 'contacted'],
    ]);
    expect(rows[2]).toEqual({
      key: 'k3',
      status: 'won',
      amount: 1200.5,
      currency: 'EUR',
      reason: 'signed',
      at: T0 + 3 * 86_400_000,
      receivedAt: T0 + 3 * 86_400_000,
    });
  });

  it('answers found: false for an unknown lead and stores nothing', async () => {
    expect(await outcome('no_such_lead', 'k', 'won', T0)).toMatchObject({ found: false, created: false });
    expect(store.db.prepare('SELECT count(*) AS n FROM outcomes').get()).toEqual({ n: 0 });
  });

  it('adds deliveries only for destinations the lead has none for, and none for spam', async () => {
    const l = lead();
    await store.saveLead({ lead: l, receivedAt: T0, destinations: ['newsletter'] });
    expect(await store.addDeliveries(l.id, ['newsletter', 'crm', 'slack'], T0 + 1000)).toEqual([
      'crm',
      'slack',
    ]);
    expect(await store.addDeliveries(l.id, ['crm'], T0 + 2000)).toEqual([]);
    const rows = await store.listDeliveries({ leadId: l.id });
    expect(rows.find((r) => r.destination === 'crm')).toMatchObject({ status: 'pending', nextAt: T0 + 1000 });

    const spam = lead();
    await store.saveLead({ lead: spam, receivedAt: T0, destinations: [], spamReason: 'honeypot' });
    expect(await store.addDeliveries(spam.id, ['crm'], T0)).toEqual([]);
    expect(await store.addDeliveries('no_such_lead', ['crm'], T0)).toEqual([]);
  });
});

describe('SQLite store: erasure', () => {
  const ADDRESS = 'ada.lovelace@example.com';
  /** Every file SQLite writes for the store. */
  const fileBytes = () =>
    Buffer.concat(
      ['', '-wal', '-shm', '-journal']
        .map((suffix) => `${path}${suffix}`)
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f)),
    );
  const contains = (bytes: Buffer, text: string) =>
    bytes.includes(Buffer.from(text, 'utf8')) || bytes.includes(Buffer.from(text.toLowerCase(), 'utf8'));

  it('removes the address and the personal data from every byte of the file; counts and outcomes stay', async () => {
    // Enough other leads that pages split and cells move (where stale copies would linger).
    for (let i = 0; i < 300; i++) {
      const other = lead(fullLead({ fields: { email: `someone${i}@example.org`, note: 'x'.repeat(300) } }));
      await store.saveLead({ lead: other, receivedAt: T0 - i, destinations: ['crm'] });
    }
    const personal = (fields: Record<string, string>) => {
      const input = fullLead({ fields, consent: { granted: true, text: 'Ada agrees to be called' } });
      input.attribution!.visitorId = 'v_ada_4711';
      input.attribution!.lastTouch.landingPage = 'https://shop.example.com/?name=ada-byron';
      return lead(input);
    };
    const theirs = [
      personal({ Email: 'Ada.Lovelace@Example.com', name: 'Ada Byron-King', note: 'y'.repeat(5000) }),
      personal({ email: ADDRESS, name: 'Ada Byron-King', phone: '+44 20 7946 0958' }),
    ];
    for (const l of theirs) {
      await store.saveLead({ lead: l, receivedAt: T0, destinations: ['crm', 'slack'], qualification: MQL });
    }
    // A receiver's error echoing the address, in the delivery row and its attempt history.
    const due = await store.claimDue({ now: T0 + 1, limit: 1000, leaseMs: 60_000, destinations: ['slack'] });
    const claimed = due.find((r) => r.leadId === theirs[0]!.id);
    await store.recordAttempt({
      deliveryId: claimed!.id,
      lease: claimed!.lease,
      startedAt: T0 + 2,
      durationMs: 5,
      outcome: 'retry',
      status: 409,
      reason: `HTTP 409: contact ${ADDRESS} already exists`,
      nextAt: T0 + 60_000,
    });
    await store.recordOutcome({
      leadId: theirs[1]!.id,
      key: 'deal-1',
      status: 'won',
      amount: 900,
      currency: 'USD',
      reason: `Ada Byron-King (${ADDRESS}) signed`,
      at: T0 + 5000,
      receivedAt: T0 + 5000,
    });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    // The check can fail: the address is in the file before the erasure.
    expect(contains(fileBytes(), ADDRESS)).toBe(true);

    const funnelBefore = store.db
      .prepare('SELECT id, first_channel, first_campaign, stage, score FROM leads ORDER BY id')
      .all();
    expect(await store.eraseByEmail('  ADA.lovelace@example.COM ', T0 + 10_000)).toEqual({ leads: 2 });

    const bytes = fileBytes();
    const personalData = [
      ADDRESS,
      'Ada Byron-King',
      '+44 20 7946 0958',
      'Ada agrees',
      'v_ada_4711',
      'ada-byron',
    ];
    for (const secret of personalData) {
      expect(contains(bytes, secret), secret).toBe(false);
    }
    expect(contains(bytes, 'someone7@example.org')).toBe(true);

    // Reports stay true: the same leads, channels, campaigns, stages and scores, and the outcome.
    expect(
      store.db.prepare('SELECT id, first_channel, first_campaign, stage, score FROM leads ORDER BY id').all(),
    ).toEqual(funnelBefore);
    expect(await store.listOutcomes(theirs[1]!.id)).toEqual([
      expect.objectContaining({ status: 'won', amount: 900, currency: 'USD', reason: null }),
    ]);
    const erased = await store.getLead(theirs[1]!.id);
    expect(erased).toMatchObject({ erasedAt: T0 + 10_000, ip: null, stage: 'customer' });
    expect(erased!.lead.fields).toEqual({});
    expect(erased!.lead.consent).toBeUndefined();
    expect(erased!.lead.attribution).toMatchObject({
      firstTouch: { channel: 'Direct', campaign: 'spring', landingPage: '' },
      pageviews: 4,
    });
    expect(parseLead(erased!.lead).ok).toBe(true);

    // Their pending deliveries failed for good, with no receiver text left; replays cannot revive them.
    const rows = await store.listDeliveries({ leadId: theirs[0]!.id });
    expect(rows.map((r) => [r.destination, r.status, r.lastError, r.permanent]).sort()).toEqual([
      ['crm', 'failed', 'erased', true],
      ['slack', 'failed', 'erased', true],
    ]);
    expect((await store.listAttempts(claimed!.id))[0]).toMatchObject({ status: 409, reason: null });
    expect(await store.replayLead(theirs[0]!.id, T0 + 20_000)).toBe(0);
    expect(await store.replayFailedSince(0, T0 + 20_000)).toBe(0);
    expect(await store.retryDelivery(claimed!.id, T0 + 20_000)).toBe(false);

    expect(await store.listErasures()).toEqual([
      {
        at: T0 + 10_000,
        emailSha256: createHash('sha256').update(ADDRESS).digest('hex'),
        leads: 2,
      },
    ]);
  });

  it('records an erasure that found no leads, and leaves other leads alone', async () => {
    const l = lead();
    await store.saveLead({ lead: l, receivedAt: T0, destinations: ['crm'] });
    expect(await store.eraseByEmail('nobody@example.com', T0)).toEqual({ leads: 0 });
    expect((await store.getLead(l.id))!.lead.fields).toEqual({ email: 'ada@example.com' });
    expect(await store.listErasures()).toHaveLength(1);
  });
});
