/**
 * `@leadkit/webhook/postgres`: the PostgreSQL store, on its own entry so SQLite deployments and browser
 * bundles never load the client. Works on Node and, for intake, on Cloudflare Workers (nodejs_compat)
 * and Vercel through a pooler.
 */
export {
  createPostgresStore,
  type PostgresStore,
  PostgresStoreError,
  type PostgresStoreOptions,
} from './store/postgres.js';
export type { Store } from './store/types.js';
