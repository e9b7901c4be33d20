/** The Store contract against SQLite (always) and PostgreSQL (when its binaries are installed). */
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { createPostgresStore } from '../src/store/postgres.js';
import { createSqliteStore } from '../src/store/sqlite.js';
import { tempDir } from './helpers.js';
import { postgresUnavailable, startPostgres, type ThrowawayPostgres } from './postgres.js';
import { describeStoreContract } from './store-contract.js';

describe('SQLite', () => {
  let tmp: ReturnType<typeof tempDir>;
  let n = 0;
  beforeAll(() => {
    tmp = tempDir();
  });
  afterAll(() => tmp.cleanup());
  describeStoreContract('SQLite', async () => createSqliteStore({ path: join(tmp.dir, `${++n}.db`) }));
});

describe.skipIf(postgresUnavailable())('PostgreSQL', () => {
  let pg: ThrowawayPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(() => pg?.stop());
  describeStoreContract('PostgreSQL', async () =>
    createPostgresStore({ url: await pg.createDatabase(), max: 4 }),
  );
});
