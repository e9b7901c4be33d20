import { fdatasync } from 'node:fs';
import { join } from 'node:path';
import { type Lead, parseLead } from '@leadkit/core/lead';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/store/migrations.js';
import { createSqliteStore, type SqliteStore, StoreError } from '../src/store/sqlite.js';
import { fullLead, smallestLead, tempDir, until } from './helpers.js';

function lead(input = smallestLead()): Lead {
  const r = parseLead(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.lead;
}

const T0 = Date.UTC(2026, 10, 1);

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

function count(table: string): number {
  return (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('SQLite store', () => {
  it('opens in WAL mode with synchronous=NORMAL (it syncs the WAL itself) and the current schema version', () => {
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('saves a lead with one pending row per destination, once per id', async () => {
    const l = lead(fullLead());
    expect(await store.saveLead({ lead: l, receivedAt: T0, destinations: ['a', 'b'] })).toEqual({
      created: true,
    });
    expect(await store.saveLead({ lead: l, receivedAt: T0 + 5, destinations: ['a', 'b', 'c'] })).toEqual({
      created: false,
    });
    expect(count('leads')).toBe(1);
    expect(count('deliveries')).toBe(2);
    const stored = await store.getLead(l.id);
    expect(stored).toEqual({
      lead: l,
      receivedAt: T0,
      spamReason: null,
      ip: null,
      qualification: null,
      stage: 'lead',
      contactedAt: null,
      erasedAt: null,
    });
    const rows = await store.listDeliveries({ leadId: l.id });
    expect(rows.map((r) => [r.destination, r.status, r.attempts, r.nextAt]).sort()).toEqual([
      ['a', 'pending', 0, T0],
      ['b', 'pending', 0, T0],
    ]);
  });

  it('group-commits concurrent saves and still creates a duplicated id once', async () => {
    const same = lead();
    const others = Array.from({ length: 50 }, () => lead());
    const results = await Promise.all([
      ...others.map((l) => store.saveLead({ lead: l, receivedAt: T0, destinations: ['a'] })),
      ...Array.from({ length: 20 }, () =>
        store.saveLead({ lead: same, receivedAt: T0, destinations: ['a'] }),
      ),
    ]);
    expect(results.filter((r) => r.created)).toHaveLength(51);
    expect(count('leads')).toBe(51);
    expect(count('deliveries')).toBe(51);
  });

  it('keeps spam out of the outbox until released, then creates its rows', async () => {
    const l = lead();
    await store.saveLead({ lead: l, receivedAt: T0, destinations: ['a'], spamReason: 'honeypot filled' });
    expect(count('deliveries')).toBe(0);
    expect(await store.listLeads()).toEqual([]);
    expect((await store.listLeads({ spam: true })).map((s) => s.spamReason)).toEqual(['honeypot filled']);
    expect(await store.releaseSpam(l.id, ['a', 'b'], T0 + 1)).toBe(true);
    expect(await store.releaseSpam(l.id, ['a', 'b'], T0 + 2)).toBe(false);
    expect(count('deliveries')).toBe(2);
    expect((await store.listLeads()).map((s) => s.lead.id)).toEqual([l.id]);
  });

  it('leases due rows to one claimer; an expired lease is claimed again; stale owners cannot record', async () => {
    const l = lead();
    await store.saveLead({ lead: l, receivedAt: T0, destinations: ['a', 'gone'] });
    const first = await store.claimDue({ now: T0, limit: 10, leaseMs: 1000, destinations: ['a'] });
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ destination: 'a', tries: 0, attempts: 0, lead: l, receivedAt: T0 });
    expect(await store.claimDue({ now: T0 + 999, limit: 10, leaseMs: 1000, destinations: ['a'] })).toEqual(
      [],
    );
    const second = await store.claimDue({ now: T0 + 1000, limit: 10, leaseMs: 1000, destinations: ['a'] });
    expect(second).toHaveLength(1);
    expect(second[0]!.lease).not.toBe(first[0]!.lease);

    const outcome = {
      startedAt: T0 + 1000,
      durationMs: 10,
      outcome: 'ok' as const,
      status: 204,
      reason: 'contact 51234 created',
    };
    expect(await store.recordAttempt({ deliveryId: first[0]!.id, lease: first[0]!.lease, ...outcome })).toBe(
      false,
    );
    expect(
      await store.recordAttempt({ deliveryId: second[0]!.id, lease: second[0]!.lease, ...outcome }),
    ).toBe(true);
    const [row] = await store.listDeliveries({ leadId: l.id, status: 'delivered' });
    expect(row).toMatchObject({
      attempts: 1,
      deliveredAt: T0 + 1010,
      lastStatus: 204,
      lastError: null,
      detail: 'contact 51234 created',
    });
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

  it('moves rows through retry, dead letter and permanent failure; replays restart the schedule', async () => {
    const l = lead();
    await store.saveLead({ lead: l, receivedAt: T0, destinations: ['a', 'b'] });
    const claim = (now: number) =>
      store.claimDue({ now, limit: 10, leaseMs: 1000, destinations: ['a', 'b'] });
    let rows = await claim(T0);
    const a = rows.find((r) => r.destination === 'a')!;
    const b = rows.find((r) => r.destination === 'b')!;
    await store.recordAttempt({
      deliveryId: a.id,
      lease: a.lease,
      startedAt: T0,
      durationMs: 5,
      outcome: 'retry',
      status: 503,
      reason: 'HTTP 503',
      nextAt: T0 + 5000,
    });
    await store.recordAttempt({
      deliveryId: b.id,
      lease: b.lease,
      startedAt: T0,
      durationMs: 5,
      outcome: 'fail',
      status: 410,
      reason: 'gone',
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
    expect(failed.map((f) => [f.destination, f.permanent, f.lastError]).sort()).toEqual([
      ['a', false, 'connect ECONNREFUSED'],
      ['b', true, 'gone'],
    ]);

    expect(await store.replayFailedSince(T0 + 5005, T0 + 9000)).toBe(1); // only a failed that late
    rows = await claim(T0 + 9000);
    expect(rows.map((r) => [r.destination, r.tries, r.attempts])).toEqual([['a', 0, 2]]);
    await store.releaseLeases(rows.map((r) => ({ deliveryId: r.id, lease: r.lease })));
    expect(await store.replayLead(l.id, T0 + 9500)).toBe(2);
    expect((await claim(T0 + 9500)).map((r) => r.destination).sort()).toEqual(['a', 'b']);
    expect(await store.retryDelivery(999_999, T0)).toBe(false);
  });

  it('counts leads by last-touch channel and purges old leads with their rows and attempts', async () => {
    const old = lead(fullLead());
    await store.saveLead({ lead: old, receivedAt: T0, destinations: ['a'] });
    await store.saveLead({ lead: lead(), receivedAt: T0 + 86_400_000, destinations: ['a'] });
    const [row] = await store.claimDue({ now: T0, limit: 1, leaseMs: 1000, destinations: ['a'] });
    await store.recordAttempt({
      deliveryId: row!.id,
      lease: row!.lease,
      startedAt: T0,
      durationMs: 1,
      outcome: 'ok',
    });
    expect(await store.countByChannel(T0)).toEqual(
      expect.arrayContaining([
        { channel: 'Direct', count: 1 },
        { channel: null, count: 1 },
      ]),
    );
    expect(await store.purge(T0 + 1)).toBe(1);
    expect([count('leads'), count('deliveries'), count('attempts')]).toEqual([1, 1, 0]);
  });

  it('survives reopening, and refuses a database from a newer version', async () => {
    const l = lead();
    await store.saveLead({ lead: l, receivedAt: T0, destinations: ['a'] });
    store.close();
    store = createSqliteStore({ path });
    expect((await store.getLead(l.id))?.lead).toEqual(l);
    store.close();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => createSqliteStore({ path })).toThrow(StoreError);
    expect(() => createSqliteStore({ path })).toThrow(
      /schema version 99, newer than this @leadkit\/webhook knows/,
    );
    store = createSqliteStore({ path: join(tmp.dir, 'other.db') });
  });
});

describe('SQLite store durability', () => {
  /** A store whose WAL syncs (real fdatasync) wait until the test releases them. */
  function heldSyncs() {
    const held: (() => void)[] = [];
    store.close();
    store = createSqliteStore({
      path,
      syncWal: (fd, done) => {
        held.push(() => fdatasync(fd, done));
      },
    });
    return held;
  }
  const tick = () => new Promise((r) => setImmediate(r));
  function track<T>(p: Promise<T>) {
    const t = { settled: false, value: undefined as T | undefined };
    void p.then((v) => {
      t.settled = true;
      t.value = v;
    });
    return t;
  }

  it('answers a save only after the WAL sync that follows its commit; saves during a sync share the next', async () => {
    const held = heldSyncs();
    const a = track(Promise.resolve(store.saveLead({ lead: lead(), receivedAt: T0, destinations: ['a'] })));
    await until(() => held.length === 1, 'the first sync');
    expect(count('leads')).toBe(1); // committed, visible, not yet answered
    expect(a.settled).toBe(false);

    const later = [lead(), lead()].map((l) =>
      track(Promise.resolve(store.saveLead({ lead: l, receivedAt: T0, destinations: ['a'] }))),
    );
    await tick();
    await tick();
    expect(count('leads')).toBe(1); // queued behind the running sync
    expect(held).toHaveLength(1);

    held[0]!();
    await until(() => a.settled, 'the first answer');
    expect(a.value).toEqual({ created: true });
    await until(() => held.length === 2, 'the second sync');
    expect(count('leads')).toBe(3); // both later saves in one commit, one sync
    expect(later.some((t) => t.settled)).toBe(false);

    held[1]!();
    await until(() => later.every((t) => t.settled), 'the later answers');
    expect(held).toHaveLength(2);
  });

  it('a repeat of a lead still waiting for its sync is answered only after that sync', async () => {
    const held = heldSyncs();
    const l = lead();
    const first = track(Promise.resolve(store.saveLead({ lead: l, receivedAt: T0, destinations: ['a'] })));
    const repeat = track(Promise.resolve(store.saveLead({ lead: l, receivedAt: T0, destinations: ['a'] })));
    await until(() => held.length === 1, 'the sync');
    await tick();
    expect([first.settled, repeat.settled]).toEqual([false, false]);
    held[0]!();
    await until(() => first.settled && repeat.settled, 'both answers');
    expect([first.value, repeat.value]).toEqual([{ created: true }, { created: false }]);
  });

  it('admin writes (release, retry, replay) resolve after a sync too', async () => {
    const l = lead();
    await store.saveLead({ lead: l, receivedAt: T0, destinations: ['a'], spamReason: 'too fast' });
    const held = heldSyncs();
    const released = track(Promise.resolve(store.releaseSpam(l.id, ['a'], T0 + 1)));
    await until(() => held.length === 1, 'the sync');
    expect(count('deliveries')).toBe(1);
    expect(released.settled).toBe(false);
    held[0]!();
    await until(() => released.settled, 'the release');
    expect(released.value).toBe(true);
  });

  it('a failed sync fails its saves and every later one, and the store reports itself not ready', async () => {
    store.close();
    store = createSqliteStore({
      path,
      syncWal: (_fd, done) => done(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })),
    });
    const save = () => store.saveLead({ lead: lead(), receivedAt: T0, destinations: ['a'] });
    await expect(save()).rejects.toThrow(
      /Cannot sync .*leadkit\.db-wal to disk \(EIO.*Check the disk, then restart/,
    );
    await expect(save()).rejects.toBeInstanceOf(StoreError);
    expect(await store.ping()).toBe(false);
  });

  it('close() syncs and answers the saves still waiting, and they are there after reopening', async () => {
    const held = heldSyncs();
    const a = lead();
    const b = lead();
    const first = store.saveLead({ lead: a, receivedAt: T0, destinations: ['a'] });
    await until(() => held.length === 1, 'the sync');
    const second = store.saveLead({ lead: b, receivedAt: T0, destinations: ['a'] });
    store.close();
    expect(await Promise.all([first, second])).toEqual([{ created: true }, { created: true }]);
    for (const release of held) release(); // the thread-pool sync may finish after close: harmless
    store = createSqliteStore({ path });
    expect(count('leads')).toBe(2);
  });
});
