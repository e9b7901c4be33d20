/**
 * The Store contract, run against every implementation (store.contract.test.ts: SQLite always,
 * PostgreSQL where its binaries are). Only the Store interface is used here, so a case that passes on one
 * and fails on the other is a semantic difference to fix. One describe per area.
 */
import { type Lead, parseLead } from '@leadkit/core/lead';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emailSha256, eraseLeadData } from '../src/erase.js';
import type { ClaimedDelivery, NewOutcome, Qualification, Store } from '../src/store/types.js';
import { fullLead, smallestLead } from './helpers.js';

export function lead(input = smallestLead()): Lead {
  const r = parseLead(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.lead;
}

const T0 = Date.UTC(2026, 10, 1);
const QUALIFIED: Qualification = {
  score: 65,
  grade: 'B',
  fired: [
    { rule: 'business email', points: 25 },
    { rule: 'visited /pricing', points: 40 },
  ],
  stage: 'mql',
  owner: { name: 'Grace', email: 'grace@example.com', slack: 'U024BE7LH', id: '7391' },
};

/** `factory` makes a fresh, empty store for each test; the suite closes it. */
export function describeStoreContract(name: string, factory: () => Promise<Store>): void {
  let store: Store;
  beforeEach(async () => {
    store = await factory();
  });
  afterEach(async () => {
    await store.close();
  });

  const claim = (now: number, destinations = ['a', 'b'], limit = 10) =>
    store.claimDue({ now, limit, leaseMs: 1000, destinations });
  const ok = (row: ClaimedDelivery, at = T0) =>
    store.recordAttempt({
      deliveryId: row.id,
      lease: row.lease,
      startedAt: at,
      durationMs: 1,
      outcome: 'ok',
    });

  describe(`${name}: leads`, () => {
    it('saves a lead with one pending row per destination, once per id', async () => {
      const l = lead(fullLead());
      expect(await store.saveLead({ lead: l, receivedAt: T0, destinations: ['a', 'b'] })).toEqual({
        created: true,
      });
      expect(await store.saveLead({ lead: l, receivedAt: T0 + 5, destinations: ['a', 'b', 'c'] })).toEqual({
        created: false,
      });
      expect(await store.getLead(l.id)).toEqual({
        lead: l,
        receivedAt: T0,
        spamReason: null,
        ip: null,
        qualification: null,
        stage: 'lead',
        contactedAt: null,
        erasedAt: null,
      });
      expect(await store.getLead('lead_does_not_exist')).toBeUndefined();
      const rows = await store.listDeliveries({ leadId: l.id });
      expect(rows.map((r) => [r.destination, r.status, r.attempts, r.nextAt]).sort()).toEqual([
        ['a', 'pending', 0, T0],
        ['b', 'pending', 0, T0],
      ]);
    });

    it('creates a duplicated id once under concurrent saves', async () => {
      const same = lead();
      const others = Array.from({ length: 30 }, () => lead());
      const results = await Promise.all([
        ...others.map((l) => store.saveLead({ lead: l, receivedAt: T0, destinations: ['a'] })),
        ...Array.from({ length: 10 }, () =>
          store.saveLead({ lead: same, receivedAt: T0, destinations: ['a'] }),
        ),
      ]);
      expect(results.filter((r) => r.created)).toHaveLength(31);
      expect(await store.listLeads({ limit: 100 })).toHaveLength(31);
      expect(await store.listDeliveries({ limit: 100 })).toHaveLength(31);
    });

    it('stores the IP and qualification, and lists newest first with before and limit', async () => {
      const ls = [lead(), lead(), lead()];
      for (const [i, l] of ls.entries()) {
        await store.saveLead({
          lead: l,
          receivedAt: T0 + i,
          destinations: [],
          ip: '203.0.113.9',
          qualification: QUALIFIED,
        });
      }
      const listed = await store.listLeads();
      expect(listed.map((s) => s.lead.id)).toEqual([ls[2]!.id, ls[1]!.id, ls[0]!.id]);
      expect(listed[0]).toMatchObject({ ip: '203.0.113.9', qualification: QUALIFIED, stage: 'mql' });
      expect((await store.listLeads({ before: T0 + 2, limit: 1 })).map((s) => s.lead.id)).toEqual([
        ls[1]!.id,
      ]);
    });

    it('keeps spam out of the outbox until released, then creates its rows', async () => {
      const l = lead();
      await store.saveLead({ lead: l, receivedAt: T0, destinations: ['a'], spamReason: 'honeypot filled' });
      expect(await store.listDeliveries()).toEqual([]);
      expect(await store.listLeads()).toEqual([]);
      expect((await store.listLeads({ spam: true })).map((s) => s.spamReason)).toEqual(['honeypot filled']);
      expect(await store.releaseSpam(l.id, ['a', 'b'], T0 + 1)).toBe(true);
      expect(await store.releaseSpam(l.id, ['a', 'b'], T0 + 2)).toBe(false);
      expect(await store.releaseSpam('lead_unknown_id', ['a'], T0 + 2)).toBe(false);
      expect((await store.listDeliveries()).map((d) => [d.destination, d.nextAt]).sort()).toEqual([
        ['a', T0 + 1],
        ['b', T0 + 1],
      ]);
      expect((await store.listLeads()).map((s) => s.lead.id)).toEqual([l.id]);
      expect(await store.listLeads({ spam: true })).toEqual([]);
    });

    it('counts leads by last-touch channel and purges old leads with their rows and attempts', async () => {
      const old = lead(fullLead());
      await store.saveLead({ lead: old, receivedAt: T0, destinations: ['a'] });
      const young = lead();
      await store.saveLead({ lead: young, receivedAt: T0 + 86_400_000, destinations: ['a'] });
      await store.saveLead({ lead: lead(), receivedAt: T0, destinations: [], spamReason: 'too fast' });
      const [row] = await claim(T0, ['a'], 1);
      expect(await ok(row!)).toBe(true);
      expect(await store.countByChannel(T0)).toEqual(
        expect.arrayContaining([
          { channel: 'Direct', count: 1 },
          { channel: null, count: 1 },
        ]),
      );
      expect(await store.countByChannel(T0 + 1)).toEqual([{ channel: null, count: 1 }]);
      expect(await store.purge(T0 + 1)).toBe(2);
      expect(await store.getLead(old.id)).toBeUndefined();
      expect(await store.listAttempts(row!.id)).toEqual([]);
      expect(await store.getDelivery(row!.id)).toBeUndefined();
      expect((await store.listDeliveries()).map((d) => d.leadId)).toEqual([young.id]);
    });

    it('answers ping while open', async () => {
      expect(await store.ping()).toBe(true);
    });
  });

  describe(`${name}: delivery queue`, () => {
    it('leases due rows to one claimer; an expired lease is claimed again; stale owners cannot record', async () => {
      const l = lead();
      await store.saveLead({
        lead: l,
        receivedAt: T0,
        destinations: ['a', 'gone'],
        qualification: QUALIFIED,
      });
      const first = await claim(T0, ['a']);
      expect(first).toHaveLength(1);
      expect(first[0]).toMatchObject({
        destination: 'a',
        tries: 0,
        attempts: 0,
        lead: l,
        receivedAt: T0,
        qualification: QUALIFIED,
        stage: 'mql',
        contactedAt: null,
      });
      expect(await claim(T0 + 999, ['a'])).toEqual([]);
      const second = await claim(T0 + 1000, ['a']);
      expect(second).toHaveLength(1);
      expect(second[0]!.lease).not.toBe(first[0]!.lease);

      const outcome = {
        startedAt: T0 + 1000,
        durationMs: 10,
        outcome: 'ok' as const,
        status: 204,
        reason: 'contact 51234 created',
      };
      expect(
        await store.recordAttempt({ deliveryId: first[0]!.id, lease: first[0]!.lease, ...outcome }),
      ).toBe(false);
      expect(
        await store.recordAttempt({ deliveryId: second[0]!.id, lease: second[0]!.lease, ...outcome }),
      ).toBe(true);
      expect(
        await store.recordAttempt({ deliveryId: second[0]!.id, lease: second[0]!.lease, ...outcome }),
      ).toBe(false);
      const [row] = await store.listDeliveries({ leadId: l.id, status: 'delivered' });
      expect(row).toMatchObject({
        attempts: 1,
        deliveredAt: T0 + 1010,
        lastStatus: 204,
        lastError: null,
        detail: 'contact 51234 created',
        permanent: false,
      });
      expect(await store.getDelivery(row!.id)).toEqual(row);
      expect(await store.listAttempts(row!.id)).toEqual([
        {
          attempt: 1,
          startedAt: T0 + 1000,
          durationMs: 10,
          outcome: 'ok',
          status: 204,
          reason: 'contact 51234 created',
        },
      ]);
    });

    it('claims oldest due first, up to the limit, only for the given destinations', async () => {
      const ls = [lead(), lead(), lead()];
      for (const [i, l] of ls.entries())
        await store.saveLead({ lead: l, receivedAt: T0 + i, destinations: ['a', 'b'] });
      expect(await claim(T0 - 1)).toEqual([]);
      const rows = await claim(T0 + 10, ['b'], 2);
      expect(rows.map((r) => [r.leadId, r.destination])).toEqual([
        [ls[0]!.id, 'b'],
        [ls[1]!.id, 'b'],
      ]);
      expect(new Set(rows.map((r) => r.lease)).size).toBe(1);
    });

    it('never hands one row to two concurrent claimers', async () => {
      for (let i = 0; i < 40; i++)
        await store.saveLead({ lead: lead(), receivedAt: T0, destinations: ['a'] });
      const claims = await Promise.all(Array.from({ length: 8 }, () => claim(T0, ['a'], 10)));
      const ids = claims.flat().map((r) => r.id);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
    });

    it('records many attempts at once, each only under its own lease', async () => {
      for (let i = 0; i < 10; i++)
        await store.saveLead({ lead: lead(), receivedAt: T0, destinations: ['a'] });
      const rows = await claim(T0, ['a']);
      const stale = { deliveryId: rows[0]!.id, lease: 'a-lease-never-held', startedAt: T0, durationMs: 1 };
      const results = await Promise.all([
        store.recordAttempt({ ...stale, outcome: 'fail' }),
        ...rows.map((r, i) =>
          store.recordAttempt({
            deliveryId: r.id,
            lease: r.lease,
            startedAt: T0,
            durationMs: i,
            ...(i % 2
              ? { outcome: 'ok' as const, status: 200 }
              : { outcome: 'retry' as const, status: 502, nextAt: T0 + 10 }),
          }),
        ),
      ]);
      expect(results).toEqual([false, ...rows.map(() => true)]);
      expect(await store.listDeliveries({ status: 'delivered' })).toHaveLength(5);
      expect((await store.listDeliveries({ status: 'pending' })).map((d) => d.nextAt)).toEqual(
        Array(5).fill(T0 + 10),
      );
      expect(await store.listAttempts(rows[3]!.id)).toEqual([
        { attempt: 1, startedAt: T0, durationMs: 3, outcome: 'ok', status: 200, reason: null },
      ]);
    });

    it('moves rows through retry, dead letter and permanent failure; replays restart the schedule', async () => {
      const l = lead();
      await store.saveLead({ lead: l, receivedAt: T0, destinations: ['a', 'b'] });
      let rows = await claim(T0);
      const a = rows.find((r) => r.destination === 'a')!;
      const b = rows.find((r) => r.destination === 'b')!;
      const base = { startedAt: T0, durationMs: 5 };
      await store.recordAttempt({
        ...base,
        deliveryId: a.id,
        lease: a.lease,
        outcome: 'retry',
        status: 503,
        reason: 'HTTP 503',
        nextAt: T0 + 5000,
      });
      await store.recordAttempt({
        ...base,
        deliveryId: b.id,
        lease: b.lease,
        outcome: 'fail',
        status: 410,
        reason: 'gone',
      });
      expect(await store.getDelivery(a.id)).toMatchObject({
        status: 'pending',
        nextAt: T0 + 5000,
        lastStatus: 503,
        lastError: 'HTTP 503',
      });
      expect(await claim(T0 + 4999)).toEqual([]);
      rows = await claim(T0 + 5000);
      expect(rows.map((r) => [r.destination, r.tries, r.attempts])).toEqual([['a', 1, 1]]);
      await store.recordAttempt({
        deliveryId: a.id,
        lease: rows[0]!.lease,
        startedAt: T0 + 5000,
        durationMs: 5,
        outcome: 'retry',
        reason: 'connect ECONNREFUSED',
        nextAt: undefined, // schedule spent
      });
      const failed = await store.listDeliveries({ status: 'failed' });
      expect(failed.map((f) => [f.destination, f.permanent, f.lastError, f.nextAt]).sort()).toEqual([
        ['a', false, 'connect ECONNREFUSED', null],
        ['b', true, 'gone', null],
      ]);
      expect((await store.listAttempts(a.id)).map((x) => [x.attempt, x.outcome, x.status])).toEqual([
        [1, 'retry', 503],
        [2, 'retry', null],
      ]);

      expect(await store.replayFailedSince(T0 + 5005, T0 + 9000)).toBe(1); // only a failed that late
      rows = await claim(T0 + 9000);
      expect(rows.map((r) => [r.destination, r.tries, r.attempts])).toEqual([['a', 0, 2]]);
      await store.releaseLeases(rows.map((r) => ({ deliveryId: r.id, lease: r.lease })));
      expect(await store.replayLead(l.id, T0 + 9500)).toBe(2);
      expect(await store.replayLead('lead_unknown_id', T0 + 9500)).toBe(0);
      expect((await claim(T0 + 9500)).map((r) => r.destination).sort()).toEqual(['a', 'b']);
      expect(await store.retryDelivery(999_999, T0)).toBe(false);
    });

    it('releases only leases still held, and retries one delivery with a fresh schedule', async () => {
      const l = lead();
      await store.saveLead({ lead: l, receivedAt: T0, destinations: ['a'] });
      const [row] = await claim(T0, ['a']);
      await store.releaseLeases([{ deliveryId: row!.id, lease: 'not-the-lease' }]);
      expect(await claim(T0, ['a'])).toEqual([]);
      await store.releaseLeases([{ deliveryId: row!.id, lease: row!.lease }]);
      await store.releaseLeases([]);
      const [again] = await claim(T0, ['a']);
      expect(again?.id).toBe(row!.id);
      await store.recordAttempt({
        deliveryId: again!.id,
        lease: again!.lease,
        startedAt: T0,
        durationMs: 1,
        outcome: 'fail',
        reason: 'no',
      });
      expect(await store.retryDelivery(row!.id, T0 + 50)).toBe(true);
      expect(await store.getDelivery(row!.id)).toMatchObject({
        status: 'pending',
        nextAt: T0 + 50,
        permanent: false,
        attempts: 1,
      });
      expect((await claim(T0 + 50, ['a']))[0]).toMatchObject({ tries: 0, attempts: 1 });
    });

    it('lists deliveries by status and lead, most recently updated first', async () => {
      const [x, y] = [lead(), lead()];
      await store.saveLead({ lead: x, receivedAt: T0, destinations: ['a'] });
      await store.saveLead({ lead: y, receivedAt: T0 + 1, destinations: ['a'] });
      const [row] = await claim(T0, ['a'], 1);
      await ok(row!, T0 + 100);
      expect((await store.listDeliveries()).map((d) => d.leadId)).toEqual([x.id, y.id]);
      expect((await store.listDeliveries({ status: 'pending' })).map((d) => d.leadId)).toEqual([y.id]);
      expect(await store.listDeliveries({ leadId: x.id, status: 'pending' })).toEqual([]);
      expect(await store.listDeliveries({ limit: 1 })).toHaveLength(1);
    });
  });

  describe(`${name}: outcomes and stages`, () => {
    const outcome = (leadId: string, key: string, status: NewOutcome['status'], at: number, extra = {}) =>
      store.recordOutcome({ leadId, key, status, at, receivedAt: at + 1, ...extra });

    it('moves the stage by the newest outcome, idempotent on key, and records first contact', async () => {
      const l = lead();
      await store.saveLead({ lead: l, receivedAt: T0, destinations: [], qualification: QUALIFIED });
      expect(await outcome(l.id, 'k1', 'contacted', T0 + 100)).toEqual({
        found: true,
        created: true,
        stage: 'mql',
        previousStage: 'mql',
      });
      expect(await outcome(l.id, 'k2', 'qualified', T0 + 200)).toMatchObject({ created: true, stage: 'sql' });
      // A late report of something older does not move the stage back.
      expect(await outcome(l.id, 'k3', 'disqualified', T0 + 150, { reason: 'no budget' })).toMatchObject({
        stage: 'sql',
        previousStage: 'sql',
      });
      expect(await outcome(l.id, 'k4', 'won', T0 + 300, { amount: 1200.5, currency: 'EUR' })).toMatchObject({
        stage: 'customer',
        previousStage: 'sql',
      });
      expect(await outcome(l.id, 'k4', 'lost', T0 + 400)).toEqual({
        found: true,
        created: false,
        stage: 'customer',
        previousStage: 'customer',
      });
      expect(await store.getLead(l.id)).toMatchObject({ stage: 'customer', contactedAt: T0 + 100 });
      expect(
        (await store.listOutcomes(l.id)).map((o) => [o.key, o.status, o.amount, o.currency, o.reason]),
      ).toEqual([
        ['k1', 'contacted', null, null, null],
        ['k2', 'qualified', null, null, null],
        ['k3', 'disqualified', null, null, 'no budget'],
        ['k4', 'won', 1200.5, 'EUR', null],
      ]);
      expect((await store.listOutcomes(l.id))[0]).toEqual({
        key: 'k1',
        status: 'contacted',
        amount: null,
        currency: null,
        reason: null,
        at: T0 + 100,
        receivedAt: T0 + 101,
      });
      expect(await outcome('lead_unknown_id', 'k1', 'won', T0)).toMatchObject({
        found: false,
        created: false,
      });
    });

    it('a later report of the same time wins the tie', async () => {
      const l = lead();
      await store.saveLead({ lead: l, receivedAt: T0, destinations: [] });
      await outcome(l.id, 'a', 'won', T0 + 10);
      expect(await outcome(l.id, 'b', 'lost', T0 + 10)).toMatchObject({
        stage: 'lost',
        previousStage: 'customer',
      });
    });

    it('adds outbox rows only for destinations a non-spam lead lacks, in the order asked', async () => {
      const l = lead();
      await store.saveLead({ lead: l, receivedAt: T0, destinations: ['a'] });
      expect(await store.addDeliveries(l.id, ['c', 'a', 'b'], T0 + 5)).toEqual(['c', 'b']);
      expect(await store.addDeliveries(l.id, ['c'], T0 + 6)).toEqual([]);
      expect(
        (await store.listDeliveries({ leadId: l.id })).map((d) => [d.destination, d.nextAt]).sort(),
      ).toEqual([
        ['a', T0],
        ['b', T0 + 5],
        ['c', T0 + 5],
      ]);
      const spam = lead();
      await store.saveLead({ lead: spam, receivedAt: T0, destinations: ['a'], spamReason: 'too fast' });
      expect(await store.addDeliveries(spam.id, ['a'], T0)).toEqual([]);
      expect(await store.addDeliveries('lead_unknown_id', ['a'], T0)).toEqual([]);
    });

    it('saves scheduled rows due later with the lead, never for spam', async () => {
      const l = lead();
      await store.saveLead({
        lead: l,
        receivedAt: T0,
        destinations: ['crm'],
        scheduled: [{ destination: 'alert', at: T0 + 60_000 }],
      });
      expect(
        (await store.listDeliveries({ leadId: l.id })).map((d) => [d.destination, d.nextAt]).sort(),
      ).toEqual([
        ['alert', T0 + 60_000],
        ['crm', T0],
      ]);
      expect((await claim(T0, ['crm', 'alert'])).map((r) => r.destination)).toEqual(['crm']);
      const spam = lead();
      await store.saveLead({
        lead: spam,
        receivedAt: T0,
        destinations: ['crm'],
        spamReason: 'honeypot',
        scheduled: [{ destination: 'alert', at: T0 }],
      });
      expect(await store.listDeliveries({ leadId: spam.id })).toEqual([]);
    });

    it('finds the newest non-spam lead by email, case-insensitively', async () => {
      const older = lead(smallestLead({ fields: { email: 'Ada@Example.com' } }));
      const newer = lead(smallestLead({ fields: { email: 'ada@example.com' } }));
      const spam = lead(smallestLead({ fields: { email: 'ada@example.com' } }));
      await store.saveLead({ lead: older, receivedAt: T0, destinations: [] });
      await store.saveLead({ lead: newer, receivedAt: T0 + 1, destinations: [] });
      await store.saveLead({ lead: spam, receivedAt: T0 + 2, destinations: [], spamReason: 'too fast' });
      expect(await store.latestLeadIdByEmail(' ADA@example.COM ')).toBe(newer.id);
      expect(await store.latestLeadIdByEmail('nobody@example.com')).toBeUndefined();
    });
  });

  describe(`${name}: funnel`, () => {
    it('lists non-spam leads in [from, to) with touches, stages and outcomes in report order', async () => {
      const l = lead(fullLead());
      await store.saveLead({ lead: l, receivedAt: T0, destinations: [], qualification: QUALIFIED });
      await store.saveLead({ lead: lead(), receivedAt: T0 + 10, destinations: [] });
      await store.saveLead({ lead: lead(), receivedAt: T0 + 5, destinations: [], spamReason: 'too fast' });
      await store.saveLead({ lead: lead(), receivedAt: T0 - 1, destinations: [] });
      await store.recordOutcome({
        leadId: l.id,
        key: 'x',
        status: 'won',
        amount: 900,
        currency: 'USD',
        at: T0 + 3,
        receivedAt: T0 + 4,
      });
      await store.recordOutcome({
        leadId: l.id,
        key: 'y',
        status: 'contacted',
        at: T0 + 2,
        receivedAt: T0 + 5,
      });
      const rows = await store.funnelRows({ from: T0, to: T0 + 10 });
      expect(rows).toEqual([
        {
          leadId: l.id,
          receivedAt: T0,
          first: {
            channel: l.attribution!.firstTouch.channel ?? null,
            campaign: l.attribution!.firstTouch.campaign ?? null,
            at: Date.parse(l.attribution!.firstTouch.timestamp),
          },
          last: {
            channel: l.attribution!.lastTouch.channel ?? null,
            campaign: l.attribution!.lastTouch.campaign ?? null,
            at: Date.parse(l.attribution!.lastTouch.timestamp),
          },
          intakeStage: 'mql',
          stage: 'customer',
          outcomes: [
            { status: 'won', at: T0 + 3, amount: 900, currency: 'USD' },
            { status: 'contacted', at: T0 + 2, amount: null, currency: null },
          ],
        },
      ]);
      expect(await store.funnelRows()).toHaveLength(3);
      expect((await store.funnelRows({ from: T0 + 1 }))[0]).toMatchObject({
        first: { channel: null, campaign: null, at: null },
        intakeStage: 'lead',
        stage: 'lead',
        outcomes: [],
      });
    });
  });

  describe(`${name}: erasure`, () => {
    it('erases every lead of an address, fails its pending rows, keeps report facts and records a hash', async () => {
      const a = lead(fullLead({ fields: { email: 'Lin.Erase@Example.com', name: 'Lin' } }));
      const b = lead(smallestLead({ fields: { work: 'lin.erase@example.com' } }));
      const other = lead();
      await store.saveLead({
        lead: a,
        receivedAt: T0,
        destinations: ['crm', 'slack'],
        ip: '203.0.113.9',
        qualification: QUALIFIED,
      });
      await store.saveLead({ lead: b, receivedAt: T0 + 1, destinations: ['crm'] });
      await store.saveLead({ lead: other, receivedAt: T0 + 2, destinations: ['crm'] });
      const [row] = await claim(T0, ['slack']);
      await store.recordAttempt({
        deliveryId: row!.id,
        lease: row!.lease,
        startedAt: T0,
        durationMs: 1,
        outcome: 'retry',
        status: 409,
        reason: 'contact lin.erase@example.com exists',
        nextAt: T0 + 1,
      });
      await store.recordOutcome({
        leadId: a.id,
        key: 'k',
        status: 'won',
        reason: 'Lin signed',
        at: T0 + 5,
        receivedAt: T0 + 5,
      });

      expect(await store.eraseByEmail(' LIN.ERASE@example.com', T0 + 100)).toEqual({ leads: 2 });
      const erased = await store.getLead(a.id);
      expect(erased).toMatchObject({
        lead: eraseLeadData(a),
        ip: null,
        erasedAt: T0 + 100,
        stage: 'customer',
        qualification: QUALIFIED,
      });
      expect(JSON.stringify(erased).toLowerCase()).not.toContain('lin.erase@example.com');
      expect((await store.getLead(b.id))?.lead.fields).toEqual({});
      expect((await store.getLead(other.id))?.erasedAt).toBeNull();
      const rows = await store.listDeliveries({ leadId: a.id });
      expect(rows.map((d) => [d.destination, d.status, d.permanent, d.lastError, d.nextAt]).sort()).toEqual([
        ['crm', 'failed', true, 'erased', null],
        ['slack', 'failed', true, 'erased', null],
      ]);
      expect((await store.listAttempts(row!.id)).map((x) => x.reason)).toEqual([null]);
      expect((await store.listOutcomes(a.id)).map((o) => [o.status, o.reason])).toEqual([['won', null]]);
      expect(await store.latestLeadIdByEmail('lin.erase@example.com')).toBeUndefined();
      expect(await store.listErasures()).toEqual([
        { at: T0 + 100, emailSha256: emailSha256('lin.erase@example.com'), leads: 2 },
      ]);
      // Nothing is left to deliver: retries and replays pass erased leads by.
      expect(await store.replayLead(a.id, T0 + 200)).toBe(0);
      expect(await store.retryDelivery(rows[0]!.id, T0 + 200)).toBe(false);
      expect(await store.replayFailedSince(0, T0 + 200)).toBe(0);
      expect(await claim(T0 + 300, ['crm', 'slack'])).toHaveLength(1); // the other lead's row
      expect(await store.funnelRows()).toHaveLength(3);
      expect(await store.eraseByEmail('nobody@example.com', T0 + 400)).toEqual({ leads: 0 });
    });
  });

  describe(`${name}: counters`, () => {
    it('counts per name from 1, without gaps or repeats under concurrent calls', async () => {
      expect(await store.nextCounter('owners:*')).toBe(1);
      expect(await store.nextCounter('owners:a,b')).toBe(1);
      const values = await Promise.all(Array.from({ length: 20 }, () => store.nextCounter('owners:*')));
      expect([...values].sort((p, q) => p - q)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    });

    it('takes a save’s turn in its transaction: only for a new lead, and given back when the save fails', async () => {
      const reps = ['Ada', 'Bob', 'Cy'];
      /** Turn n: rep n of the rotation, and Ada's leads also go to "ada-crm". */
      const withTurn = (id: string, decided: number[], fail = false) =>
        store.saveLead({
          lead: lead(smallestLead({ id })),
          receivedAt: T0,
          destinations: [],
          turn: {
            counter: 'owners:*',
            decide: (turn) => {
              if (fail) throw new Error('the save failed after taking its turn');
              decided.push(turn);
              const owner = { name: reps[(turn - 1) % reps.length]! };
              return {
                qualification: { ...QUALIFIED, score: turn, owner },
                destinations: owner.name === 'Ada' ? ['crm', 'ada-crm'] : ['crm'],
              };
            },
          },
        });
      const owner = async (id: string) => (await store.getLead(id))?.qualification?.owner?.name;
      const destinations = async (id: string) =>
        (await store.listDeliveries({ leadId: id })).map((d) => d.destination).sort();

      const decided: number[] = [];
      expect(await withTurn('lead_turn_1', decided)).toEqual({ created: true });
      await expect(withTurn('lead_turn_2', [], true)).rejects.toThrow(
        'the save failed after taking its turn',
      );
      expect(await store.getLead('lead_turn_2')).toBeUndefined();
      expect(await withTurn('lead_turn_2', decided)).toEqual({ created: true });
      expect(decided).toEqual([1, 2]);
      expect([await owner('lead_turn_1'), await owner('lead_turn_2')]).toEqual(['Ada', 'Bob']);
      expect(await destinations('lead_turn_1')).toEqual(['ada-crm', 'crm']);
      expect(await destinations('lead_turn_2')).toEqual(['crm']);
      // A repeat changes nothing, its owner included, and the next turn is still 3.
      expect(await withTurn('lead_turn_1', [])).toEqual({ created: false });
      expect(await owner('lead_turn_1')).toBe('Ada');
      expect(await store.nextCounter('owners:*')).toBe(3);

      // Concurrent saves, each id twice: one turn per lead, none lost, none repeated.
      const ids = Array.from({ length: 10 }, (_, i) => `lead_turn_many_${i}`);
      const results = await Promise.all([...ids, ...ids].map((id) => withTurn(id, [])));
      expect(results.filter((r) => r.created)).toHaveLength(10);
      // The turn is stored as the score: turns 4 to 13, each once.
      const turns = await Promise.all(ids.map(async (id) => (await store.getLead(id))!.qualification!.score));
      expect(turns.sort((p, q) => p - q)).toEqual(Array.from({ length: 10 }, (_, i) => i + 4));
      expect(await store.nextCounter('owners:*')).toBe(14);
    });
  });
}
