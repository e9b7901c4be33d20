/**
 * The fetch handler at the centre: `(Request) => Promise<Response>`, so the same code runs on Node, Workers,
 * Deno and Bun. It routes intake, CORS preflight, health, the admin API and the inbox; it never throws.
 * The routes themselves work on the small `Incoming`/`Reply` shapes (./http.ts), which the node:http
 * adapter feeds directly.
 */
import { handleAdmin } from './admin.js';
import { type LeadkitConfig, type LeadkitConfigInput, parseConfig } from './config.js';
import { checkOrigin, preflightHeaders } from './cors.js';
import { FORM_PATH, handleFormIntake } from './form-intake.js';
import { error, fromRequest, type Incoming, json, type Reply, toResponse } from './http.js';
import { handleInbox } from './inbox.js';
import { handleIntake } from './intake.js';
import { jsonLogger, type Logger } from './log.js';
import { createOutcomeRoutes } from './outcome.js';
import { createLimits } from './rate-limit.js';
import type { Store } from './store/types.js';

export interface HandlerDeps {
  store: Store;
  /** Called when new outbox rows are due (a lead saved, a retry, a release): e.g. `worker.wake`. */
  onQueued?: () => void;
  log?: Logger;
  /** fetch for Turnstile's siteverify; the global one by default. */
  fetch?: typeof fetch;
  now?: () => number;
}

/** Per-request facts the runtime knows but a Request does not carry. */
export interface RequestInfo {
  /** The peer's address (Node: `socket.remoteAddress`, Deno: `info.remoteAddr.hostname`, Bun: `server.requestIP`). */
  ip?: string | undefined;
}

export type LeadkitHandler = (request: Request, info?: RequestInfo) => Promise<Response>;

/** The routes on the runtime-neutral shapes; adapters turn their requests into `Incoming`. */
export type Router = (request: Incoming) => Promise<Reply>;

/** Builds the router behind `createHandler`; the node:http adapter uses it directly. */
export function createRouter(config: LeadkitConfig | LeadkitConfigInput, deps: HandlerDeps): Router {
  const cfg = parseConfig(config);
  const log = deps.log ?? jsonLogger();
  const now = deps.now ?? Date.now;
  const intakeDeps = {
    config: cfg,
    store: deps.store,
    limits: createLimits(cfg.rateLimit),
    log,
    fetch: deps.fetch ?? ((input, init) => fetch(input, init)),
    now,
    onSaved: deps.onQueued,
  } satisfies Parameters<typeof handleIntake>[1];
  const adminDeps = { config: cfg, store: deps.store, log, now, onQueued: deps.onQueued };
  const handleOutcome = createOutcomeRoutes(adminDeps);

  async function route(request: Incoming): Promise<Reply> {
    const { pathname } = request.url;
    const method = request.method;
    if (pathname === '/v1/leads' && method === 'POST') return handleIntake(request, intakeDeps);
    const form = FORM_PATH.exec(pathname);
    if (form && method === 'POST') return handleFormIntake(request, intakeDeps, form[1]!);
    if (pathname === '/v1/leads' && method === 'OPTIONS') {
      const origin = request.header('origin');
      if (origin === null || !checkOrigin(origin, cfg.allowedOrigins).allowed) {
        return error(403, `Origin ${origin ?? '(none)'} may not post leads. Add it to "allowedOrigins".`);
      }
      return { status: 204, headers: preflightHeaders(origin), body: null };
    }
    if (pathname === '/v1/health') {
      if (method !== 'GET' && method !== 'HEAD') return error(405, 'Use GET /v1/health.');
      let ready = false;
      try {
        ready = await deps.store.ping();
      } catch {}
      return ready
        ? json(200, { status: 'ok' })
        : error(503, 'The store is not ready; check the database file.');
    }
    if (pathname === '/inbox' || pathname.startsWith('/inbox/')) return handleInbox(request, adminDeps);
    // Before the admin routes: /v1/leads/{id}/outcome also takes signed requests without the token.
    const outcome = await handleOutcome(request);
    if (outcome) return outcome;
    const admin = await handleAdmin(request, adminDeps);
    if (admin) return admin;
    return error(404, `No route for ${method} ${pathname}. Leads go to POST /v1/leads.`);
  }

  return async (request) => {
    try {
      return await route(request);
    } catch (err) {
      log({ event: 'server', level: 'error', message: (err as Error)?.message ?? String(err) });
      return error(500, 'Internal error; the server log has the details.');
    }
  };
}

/**
 * Builds the fetch handler. `config` is validated here (a parsed config passes through unchanged), so a bad
 * one throws `ConfigError` at startup, never per request. Pass the client address as `info.ip`.
 */
export function createHandler(config: LeadkitConfig | LeadkitConfigInput, deps: HandlerDeps): LeadkitHandler {
  return toFetchHandler(createRouter(config, deps));
}

/** Wraps a router as a fetch handler. */
export function toFetchHandler(router: Router): LeadkitHandler {
  return async (request, info) => toResponse(await router(fromRequest(request, info?.ip)));
}
