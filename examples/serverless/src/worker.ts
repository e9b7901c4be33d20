/**
 * Leadkit's fetch handler as a Cloudflare Worker: intake, CORS, health, the admin API and the inbox on
 * `fetch`; delivery right after each new lead (`ctx.waitUntil`) and, for retries, on a cron trigger
 * (`scheduled`). Leads live in D1 (see ./d1-store.ts). The config is the usual leadkit.config.json, kept
 * in the `LEADKIT_CONFIG` variable; its `{ "env": "NAME" }` values read the Worker's other variables and
 * secrets.
 */
import {
  createDestination,
  createHandler,
  createUrlGuardedFetch,
  createWorker,
  type LeadkitConfig,
  type LeadkitHandler,
  parseConfig,
  type Store,
  type WorkerDestination,
} from '@leadkit/webhook';
import { createD1Store, type D1Database } from './d1-store.js';

export interface Env {
  DB: D1Database;
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
  store: Store;
  handler: LeadkitHandler;
  destinations: WorkerDestination[];
  /** Set when the last request queued deliveries (a new lead, a retry, a released spam lead). */
  queued: boolean;
}

/** Longest a delivery pass runs: Workers allow 30 s of waitUntil after the response. */
const PASS_MS = 25_000;

// One app per Env object: Workers reuse an isolate for many requests with the same bindings.
const apps = new WeakMap<Env, App>();

function appFor(env: Env): App {
  let app = apps.get(env);
  if (!app) {
    const variables = Object.fromEntries(
      Object.entries(env).filter(([, v]) => typeof v === 'string'),
    ) as Record<string, string>;
    const config = parseConfig(JSON.parse(env.LEADKIT_CONFIG), { env: variables, source: 'LEADKIT_CONFIG' });
    const store = createD1Store(env.DB);
    const deps = { allowHosts: config.security.allowHosts };
    const created: App = {
      config,
      store,
      queued: false,
      destinations: config.destinations.map((d) => ({
        destination: createDestination(d, deps),
        delaysMs: d.retry?.delaysMs,
        timeoutMs: d.timeoutMs,
      })),
      handler: createHandler(config, {
        store,
        onQueued: () => {
          created.queued = true;
        },
      }),
    };
    app = created;
    apps.set(env, app);
  }
  return app;
}

/** Delivers what is due now, then stops: a worker for the length of one invocation. */
export async function deliverDue(app: App): Promise<void> {
  const worker = createWorker({
    store: app.store,
    destinations: app.destinations,
    // Workers cannot see DNS answers; they do not route to private networks either (see the SSRF docs).
    fetch: createUrlGuardedFetch({ allowHosts: app.config.security.allowHosts }),
    ...app.config.delivery,
    pollMs: 50,
  });
  worker.start();
  const until = Date.now() + PASS_MS;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (worker.inFlight > 0) continue;
    const pending = await app.store.listDeliveries({ status: 'pending', limit: 1000 });
    if (!pending.some((d) => d.nextAt !== null && d.nextAt <= Date.now())) break;
  }
  // Rows still in flight are handed back and the next pass (or the cron) picks them up.
  await worker.stop({ graceMs: 2_000 });
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const app = appFor(env);
    const response = await app.handler(request, { ip: request.headers.get('cf-connecting-ip') ?? undefined });
    if (app.queued) {
      app.queued = false;
      ctx.waitUntil(deliverDue(app));
    }
    return response;
  },

  /** Cron trigger (wrangler.toml): retries whose time has come. */
  async scheduled(_event: unknown, env: Env, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(deliverDue(appFor(env)));
  },
};
