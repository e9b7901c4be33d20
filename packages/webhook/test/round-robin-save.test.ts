/**
 * A failed save must not spend a round-robin turn: the store takes the turn in the transaction that saves
 * the lead, so a save that fails gives it back and the client's retry (same id) gets that same rep.
 * Real failures only: a full SQLite file (max_page_count), a WAL sync that fails, and a PostgreSQL table
 * locked past lock_timeout.
 */
import { join } from 'node:path';
import type { LeadInput } from '@leadkit/core/lead';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../src/handler.js';
import { silentLogger } from '../src/log.js';
import { type RunningServer, type SqliteStore, startServer } from '../src/node.js';
import { createPostgresStore, type PostgresStore } from '../src/store/postgres.js';
import { createSqliteStore } from '../src/store/sqlite.js';
import type { NewLead, Store } from '../src/store/types.js';
import { fullLead, smallestLead, tempDir } from './helpers.js';
import { postgresUnavailable, startPostgres, type ThrowawayPostgres } from './postgres.js';
import { lead as parsed } from './store-contract.js';

const REPS = ['Ada', 'Bob', 'Cy'];

let tmp: ReturnType<typeof tempDir> | undefined;
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  tmp?.cleanup();
  tmp = undefined;
});

describe('intake over HTTP with a real SQLite file', () => {
  async function start() {
    tmp = tempDir();
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dbPath: join(tmp.dir, 'leadkit.db'),
      log: silentLogger,
      handleSignals: false,
      deliver: false,
      config: {
        rateLimit: false,
        owners: {
          reps: REPS.map((name) => ({ name })),
          // A pool of one: never touches a counter.
          rules: [{ when: { field: 'fields.region', eq: 'APAC' }, assign: 'Cy' }],
        },
        destinations: [
          // Routed by owner: the outbox rows must follow the turn decided in the save's transaction.
          {
            type: 'webhook',
            name: 'ada-crm',
            url: 'https://crm.example.com/ada',
            secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
            when: { field: 'owner', eq: 'Ada' },
          },
        ],
      },
    });
    return (server.store as SqliteStore).db;
  }

  const post = (body: LeadInput) =>
    fetch(`${server!.url}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  // Larger than a page, so saving it needs new pages in the file.
  const bigLead = (fields: Record<string, string> = {}) =>
    fullLead({ fields: { email: 'ada@example.com', message: 'x'.repeat(9000), ...fields } });

  it('after a disk-full 503, the retry gets the same rep: Ada, [full], Ada, Bob, Cy, [full], Cy ... Ada', async () => {
    const db = await start();
    const owner = async (id: string) => (await server!.store.getLead(id))?.qualification?.owner?.name;
    const counters = () => db.prepare('SELECT name, value FROM counters ORDER BY name').all();
    const deliveries = (id: string) =>
      db
        .prepare('SELECT destination FROM deliveries WHERE lead_id = ?')
        .all(id)
        .map((r) => (r as { destination: string }).destination);
    const unlimited = db.pragma('max_page_count', { simple: true }) as number;
    /** The file may not grow: the next save that needs a page fails with SQLITE_FULL. */
    const diskFull = () => db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
    const diskFreed = () => db.pragma(`max_page_count = ${unlimited}`);

    const first = bigLead();
    diskFull();
    const refused = await post(first);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await server!.store.getLead(first.id)).toBeUndefined();
    expect(counters()).toEqual([]); // the turn went back with the rollback
    diskFreed();
    expect((await post(first)).status).toBe(202);
    expect(await owner(first.id)).toBe('Ada');
    expect(deliveries(first.id)).toEqual(['ada-crm']);

    const second = bigLead();
    expect((await post(second)).status).toBe(202);
    expect(await owner(second.id)).toBe('Bob');
    expect(deliveries(second.id)).toEqual([]);

    const third = bigLead();
    diskFull();
    expect((await post(third)).status).toBe(503);
    expect((await post(third)).status).toBe(503); // a retry while the disk is still full: no turn either
    diskFreed();
    expect((await post(third)).status).toBe(202);
    expect(await owner(third.id)).toBe('Cy');
    expect(counters()).toEqual([{ name: 'owners:*', value: 3 }]);

    // A repeat, spam and a pool of one take no turn.
    expect((await post(second)).status).toBe(202);
    expect(await owner(second.id)).toBe('Bob');
    const spam = smallestLead({ fields: { email: 'bot@example.com', _gotcha: 'http://spam.example' } });
    expect((await post(spam)).status).toBe(202);
    expect((await server!.store.getLead(spam.id))?.spamReason).toBe('honeypot filled');
    expect(await owner(spam.id)).toBeUndefined();
    const apac = smallestLead({ fields: { email: 'kim@example.com', region: 'APAC' } });
    expect((await post(apac)).status).toBe(202);
    expect(await owner(apac.id)).toBe('Cy');
    expect(counters()).toEqual([{ name: 'owners:*', value: 3 }]);

    const fourth = smallestLead();
    expect((await post(fourth)).status).toBe(202);
    expect(await owner(fourth.id)).toBe('Ada');
    expect(deliveries(fourth.id)).toEqual(['ada-crm']);
  });
});

describe('a custom Store written before turns (no savesTurns)', () => {
  it('still gets every lead an owner and its routed deliveries: intake takes the turn before saving', async () => {
    tmp = tempDir();
    const sqlite = createSqliteStore({ path: join(tmp.dir, 'leadkit.db') });
    // What a hand-written store looks like: it saves what it is given and knows nothing of `turn`.
    const custom: Store = {
      ...sqlite,
      savesTurns: undefined,
      saveLead: ({ turn, ...input }) => {
        expect(turn).toBeUndefined();
        return sqlite.saveLead(input);
      },
    };
    const handler = createHandler(
      {
        rateLimit: false,
        owners: { reps: REPS.map((name) => ({ name })) },
        destinations: [
          {
            type: 'webhook',
            name: 'ada-crm',
            url: 'https://crm.example.com/ada',
            secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
            when: { field: 'owner', eq: 'Ada' },
          },
        ],
      },
      { store: custom, log: silentLogger },
    );
    const owners: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      const lead = smallestLead();
      const answer = await handler(
        new Request('http://127.0.0.1/v1/leads', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(lead),
        }),
        { ip: '127.0.0.1' },
      );
      expect(answer.status).toBe(202);
      owners.push((await sqlite.getLead(lead.id))?.qualification?.owner?.name);
    }
    expect(owners).toEqual(['Ada', 'Bob', 'Cy', 'Ada']);
    const routed = sqlite.db
      .prepare("SELECT COUNT(*) AS n FROM deliveries WHERE destination = 'ada-crm'")
      .get();
    expect(routed).toEqual({ n: 2 });
    await sqlite.close();
  });
});

/** A save through the store with a turn over REPS; records which turns `decide` was given. */
function saveWithTurn(store: Store, id: string, turns: number[]) {
  const input: NewLead = {
    lead: parsed(smallestLead({ id })),
    receivedAt: Date.UTC(2026, 11, 5),
    destinations: [],
    turn: {
      counter: 'owners:*',
      decide: (turn) => {
        turns.push(turn);
        const owner = { name: REPS[(turn - 1) % REPS.length]! };
        return { qualification: { score: 0, grade: 'D', fired: [], stage: 'lead', owner }, destinations: [] };
      },
    },
  };
  return store.saveLead(input);
}

const ownerOf = async (store: Store, id: string) => (await store.getLead(id))?.qualification?.owner?.name;

describe('SQLite: a commit the disk did not confirm', () => {
  it('keeps the turn with the lead it saved; after the restart the retry is a repeat, the next lead is next', async () => {
    tmp = tempDir();
    const path = join(tmp.dir, 'leadkit.db');
    const turns: number[] = [];
    const failing = createSqliteStore({
      path,
      syncWal: (_fd, done) => done(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })),
    });
    // Committed, but the caller hears the failure (503): the lead may or may not be on disk. The store
    // stops (fail-stop) until it is restarted.
    await expect(saveWithTurn(failing, 'lead_unsynced_1', turns)).rejects.toThrow(/Cannot sync/);
    failing.close();
    const store = createSqliteStore({ path });
    try {
      expect(await saveWithTurn(store, 'lead_unsynced_1', turns)).toEqual({ created: false });
      expect(await ownerOf(store, 'lead_unsynced_1')).toBe('Ada');
      expect(await saveWithTurn(store, 'lead_unsynced_2', turns)).toEqual({ created: true });
      expect(await ownerOf(store, 'lead_unsynced_2')).toBe('Bob');
      expect(turns).toEqual([1, 2]);
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(postgresUnavailable())('PostgreSQL: a save that times out on a locked table', () => {
  let pg: ThrowawayPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(() => pg?.stop());

  it('rolls the turn back with the save: Ada, [lock timeout], Ada, Bob', async () => {
    const url = await pg.createDatabase();
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    const database = new URL(url).pathname.slice(1);
    // The store's sessions give up on a lock after 300 ms, as a server with lock_timeout set would.
    await admin.unsafe(`ALTER DATABASE "${database}" SET lock_timeout = '300ms'`);
    const store: PostgresStore = await createPostgresStore({ url, max: 2 });
    try {
      const turns: number[] = [];
      // Another session holds the leads table (a migration, a long report): inserts wait, then fail.
      await admin.begin(async (tx) => {
        await tx.unsafe(`LOCK TABLE ${store.schema}.leads IN SHARE MODE`);
        await expect(saveWithTurn(store, 'lead_locked_1', turns)).rejects.toThrow(/lock timeout/);
      });
      expect(turns).toEqual([1]); // the turn was taken, then rolled back with the save
      expect(await saveWithTurn(store, 'lead_locked_1', turns)).toEqual({ created: true });
      expect(await ownerOf(store, 'lead_locked_1')).toBe('Ada');
      const counter = async () =>
        Number((await admin.unsafe(`SELECT value FROM ${store.schema}.counters`))[0]!.value);
      expect(await counter()).toBe(1);
      // A repeat takes no turn (here it takes one and rolls it back when the insert finds the id).
      expect(await saveWithTurn(store, 'lead_locked_1', turns)).toEqual({ created: false });
      expect(await counter()).toBe(1);
      expect(await saveWithTurn(store, 'lead_locked_2', turns)).toEqual({ created: true });
      expect(await ownerOf(store, 'lead_locked_2')).toBe('Bob');
      expect(await counter()).toBe(2);
    } finally {
      await store.close();
      await admin.end();
    }
  });
});
