/**
 * Leadkit's intake as a Cloudflare Worker: `POST /v1/leads` (CORS, limits, validation, spam checks,
 * idempotency), health, the admin API and the inbox, on PostgreSQL through Hyperdrive (Cloudflare's
 * pooler). Delivery does not run here: `leadkit-webhook worker` processes in any container host read the
 * same database and deliver, retry and dead-letter (see ../README.md).
 *
 * The config is the usual leadkit.config.json in the `LEADKIT_CONFIG` variable, with
 * `"store": { "type": "postgres", "url": { "env": "DATABASE_URL" } }`: here DATABASE_URL is Hyperdrive's
 * connection string; the container workers get the database's own URL under the same name.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  createHandler,
  type LeadkitConfig,
  type LeadkitHandler,
  parseConfig,
  type Store,
} from '@leadkit/webhook';
import { createPostgresStore } from '@leadkit/webhook/postgres';

export interface Env {
  /** The Hyperdrive binding (wrangler.toml). */
  HYPERDRIVE: { connectionString: string };
  /** leadkit.config.json, as a JSON string. */
  LEADKIT_CONFIG: string;
  [name: string]: unknown;
}

/** The part of the Workers ExecutionContext used here. */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

interface App {
  config: LeadkitConfig;
  handler: LeadkitHandler;
}

// Workers tie a connection to the request that opened it, so each request opens its own (cheap through
// Hyperdrive, which keeps the real connections warm). The handler, and the rate limits it keeps, live
// per isolate: it gets a store that forwards every call to the current request's connection.
const requestStore = new AsyncLocalStorage<Store>();
const forwardingStore = new Proxy({} as Store, {
  get(_target, method: string) {
    return (...args: unknown[]) => {
      const store = requestStore.getStore();
      if (!store) throw new Error(`store.${method} called outside a request`);
      return (store[method as keyof Store] as (...a: unknown[]) => unknown)(...args);
    };
  },
});

// One app per Env object: Workers reuse an isolate for many requests with the same bindings.
const apps = new WeakMap<Env, App>();

function appFor(env: Env): App {
  let app = apps.get(env);
  if (!app) {
    const variables = Object.fromEntries(
      Object.entries(env).filter(([, v]) => typeof v === 'string'),
    ) as Record<string, string>;
    const config = parseConfig(JSON.parse(env.LEADKIT_CONFIG), {
      env: { ...variables, DATABASE_URL: env.HYPERDRIVE.connectionString },
      source: 'LEADKIT_CONFIG',
    });
    if (config.store.type !== 'postgres') {
      throw new Error(
        'LEADKIT_CONFIG: store.type must be "postgres" on Workers (there is no disk for SQLite).',
      );
    }
    app = { config, handler: createHandler(config, { store: forwardingStore }) };
    apps.set(env, app);
  }
  return app;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const { config, handler } = appFor(env);
    const store = await createPostgresStore({
      url: config.store.url!,
      schema: config.store.schema,
      prepare: config.store.prepare,
      max: 1,
      // The container workers migrate when they start; intake only reads and writes rows.
      migrate: false,
    });
    try {
      return await requestStore.run(store, () =>
        handler(request, { ip: request.headers.get('cf-connecting-ip') ?? undefined }),
      );
    } finally {
      ctx.waitUntil(Promise.resolve(store.close()));
    }
  },
};
