/**
 * Opens the store the config names. PostgreSQL is imported only when configured, so SQLite deployments
 * never load the client.
 */
import type { LeadkitConfig } from '../config.js';
import { createSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export async function openStore(
  config: Pick<LeadkitConfig, 'store'>,
  options: { dbPath?: string | undefined; fileMustExist?: boolean } = {},
): Promise<Store> {
  const s = config.store;
  if (s.type === 'postgres') {
    const { createPostgresStore } = await import('./postgres.js');
    return createPostgresStore({ url: s.url!, max: s.max, schema: s.schema, prepare: s.prepare });
  }
  return createSqliteStore({ path: options.dbPath ?? s.path, fileMustExist: options.fileMustExist ?? false });
}
