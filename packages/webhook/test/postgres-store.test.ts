/** PostgreSQL-only behaviour: migrations under concurrent starts, version checks, schemas, errors. */
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, PostgresStoreError } from '../src/store/postgres.js';
import { PG_MIGRATIONS } from '../src/store/postgres-migrations.js';
import { buildCli, tempDir, until } from './helpers.js';
import { postgresUnavailable, startPostgres, type ThrowawayPostgres } from './postgres.js';
import { freePort } from './process.js';
import { lead } from './store-contract.js';

describe.skipIf(postgresUnavailable())('PostgreSQL store', () => {
  let pg: ThrowawayPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(() => pg?.stop());

  it('migrates once when several processes start at once, and records the version', async () => {
    const url = await pg.createDatabase();
    const stores = await Promise.all(Array.from({ length: 6 }, () => createPostgresStore({ url, max: 1 })));
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql`SELECT version FROM leadkit.migrations ORDER BY version`;
      expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
      // Every store works on the one schema.
      const l = lead();
      await stores[0]!.saveLead({ lead: l, receivedAt: 1, destinations: ['a'] });
      expect((await stores[5]!.getLead(l.id))?.lead).toEqual(l);
    } finally {
      await sql.end();
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('refuses a schema migrated by a newer version, naming what to do', async () => {
    const url = await pg.createDatabase();
    await (await createPostgresStore({ url })).close();
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    await sql`INSERT INTO leadkit.migrations (version) VALUES (99)`;
    await sql.end();
    await expect(createPostgresStore({ url })).rejects.toThrow(
      /schema leadkit has version 99, newer than this @leadkit\/webhook knows .*upgrade the package/,
    );
  });

  it('keeps stores in different schemas of one database apart', async () => {
    const url = await pg.createDatabase();
    const a = await createPostgresStore({ url, schema: 'site_a' });
    const b = await createPostgresStore({ url, schema: 'site_b' });
    try {
      await a.saveLead({ lead: lead(), receivedAt: 1, destinations: ['x'] });
      expect(await a.listLeads()).toHaveLength(1);
      expect(await b.listLeads()).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('says which server it could not reach, without the password', async () => {
    const port = await freePort();
    const error = await createPostgresStore({
      url: `postgres://leadkit:s3cret@127.0.0.1:${port}/leads`,
      connectTimeoutSeconds: 2,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostgresStoreError);
    expect((error as Error).message).toMatch(
      /Cannot open the PostgreSQL store \(postgres:\/\/leadkit:\*\*\*@127\.0\.0\.1/,
    );
    expect((error as Error).message).not.toContain('s3cret');
    await expect(createPostgresStore({ url: 'postgres://h/db', schema: 'Bad' })).rejects.toThrow(
      /store.schema/,
    );
  });

  it('the CLI lists and replays from the PostgreSQL store the config names', async () => {
    const url = await pg.createDatabase();
    const store = await createPostgresStore({ url });
    const l = lead();
    await store.saveLead({ lead: l, receivedAt: Date.now(), destinations: ['crm'] });
    await store.close();
    const tmp = tempDir();
    const cli = await buildCli();
    try {
      const config = join(tmp.dir, 'leadkit.config.json');
      writeFileSync(
        config,
        JSON.stringify({ store: { type: 'postgres', url: { env: 'CLI_DATABASE_URL' } } }),
      );
      const run = (...args: string[]) =>
        promisify(execFile)(process.execPath, [cli, ...args, '--config', config], {
          env: { ...process.env, CLI_DATABASE_URL: url },
        });
      const listed = await run('leads', 'list', '--json');
      expect(JSON.parse(listed.stdout.trim())).toMatchObject({ lead: { id: l.id } });
      expect((await run('replay', l.id)).stdout).toBe(`Queued 1 deliveries of lead ${l.id} again.\n`);
      expect((await run('leads', 'list')).stdout).toContain(l.id);
    } finally {
      tmp.cleanup();
      rmSync(cli, { force: true });
    }
  });

  it('tells workers in other processes when deliveries are queued (LISTEN/NOTIFY), and only then', async () => {
    const url = await pg.createDatabase();
    const intake = await createPostgresStore({ url });
    const worker = await createPostgresStore({ url });
    try {
      let heard = 0;
      await worker.onQueued!(() => {
        heard++;
      });
      const first = lead();
      await intake.saveLead({ lead: first, receivedAt: 1, destinations: ['crm'] });
      await until(() => heard === 1, 'the first notification');
      // Nothing queued: a spam lead and a repeat id stay silent. Notifications arrive in commit order,
      // so once the replay's has arrived, any from these would have too.
      await intake.saveLead({ lead: lead(), receivedAt: 2, destinations: ['crm'], spamReason: 'too fast' });
      await intake.saveLead({ lead: first, receivedAt: 3, destinations: ['crm'] });
      expect(await intake.replayLead(first.id, 4)).toBe(1);
      await until(() => heard >= 2, 'the replay notification');
      expect(heard).toBe(2);
    } finally {
      await intake.close();
      await worker.close();
    }
  });

  it('resends a save whose connection the server dropped (idempotent on the lead id)', async () => {
    const url = await pg.createDatabase();
    const store = await createPostgresStore({ url, max: 1 });
    const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
    try {
      for (let i = 0; i < 5; i++) {
        await store.ping(); // the pool's one connection is open
        await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = ${new URL(url).pathname.slice(1)}`;
        const l = lead();
        expect(await store.saveLead({ lead: l, receivedAt: 1, destinations: ['a'] })).toEqual({
          created: true,
        });
        expect((await store.getLead(l.id))?.lead).toEqual(l);
      }
    } finally {
      await admin.end();
      await store.close();
    }
  });

  it('recovers from a dropped connection; ping is false once closed', async () => {
    const url = await pg.createDatabase();
    const store = await createPostgresStore({ url, max: 1 });
    expect(await store.ping()).toBe(true);
    const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
    await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${new URL(url).pathname.slice(1)}`;
    await admin.end();
    // The client reconnects: a dropped connection heals without a restart (the query that met the
    // closed socket may fail; the next ones reconnect).
    await until(() => store.ping(), 'ping after the connection was dropped');
    await store.close();
    expect(await store.ping()).toBe(false);
  });
});
