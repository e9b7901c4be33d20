import { fdatasync } from 'node:fs';
import { join } from 'node:path';
import { type Lead, parseLead } from '@leadkit/core/lead';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/store/migrations.js';
import { createSqliteStore, type SqliteStore, StoreError } from '../src/store/sqlite.js';
import { smallestLead, tempDir, until } from './helpers.js';

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

describe('SQLite store upgrades', () => {
  it('upgrades a version 2 database in place: its leads stay and the report index is built over them', async () => {
    store.close();
    const oldPath = join(tmp.dir, 'v2.db');
    const raw = new Database(oldPath);
    raw.exec(MIGRATIONS[0]!);
    raw.exec(MIGRATIONS[1]!);
    raw.pragma('user_version = 2');
    const l = lead();
    raw
      .prepare(
        `INSERT INTO leads (id, form_id, received_at, lead, first_channel, channel) VALUES (?, ?, ?, ?, 'Email', 'Direct')`,
      )
      .run(l.id, l.formId, T0, JSON.stringify(l));
    raw.close();

    store = createSqliteStore({ path: oldPath });
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const indexes = store.db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'leads'`)
      .pluck()
      .all();
    expect(indexes).toContain('leads_report');
    expect(
      (await store.funnelRows({ from: T0, to: T0 + 1 })).map((r) => [
        r.leadId,
        r.first.channel,
        r.last.channel,
      ]),
    ).toEqual([[l.id, 'Email', 'Direct']]);
    expect((await store.getLead(l.id))?.lead).toEqual(l);
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
