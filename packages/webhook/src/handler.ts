/**
 * The fetch handler at the centre: `(Request) => Promise<Response>`, so the same code runs on Node, Workers,
 * Deno and Bun. It routes intake, CORS preflight, health, the admin API and the inbox; it never throws.
 */
import { handleAdmin } from './admin.js';
import { type LeadkitConfig, type LeadkitConfigInput, parseConfig } from './config.js';
import { checkOrigin, preflightHeaders } from './cors.js';
import { error, json } from './http.js';
import { handleInbox } from './inbox.js';
import { handleIntake } from './intake.js';
import { jsonLogger, type Logger } from './log.js';
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

/**
 * Builds the handler. `config` is validated here (a parsed config passes through unchanged), so a bad one
 * throws `ConfigError` at startup, never per request.
 */
export function createHandler(config: LeadkitConfig | LeadkitConfigInput, deps: HandlerDeps): LeadkitHandler {
  const cfg = parseConfig(config);
  const log = deps.log ?? jsonLogger();
  const now = deps.now ?? Date.now;
  const limits = createLimits(cfg.rateLimit);
  const fetchFn = deps.fetch ?? ((input, init) => fetch(input, init));
  const intakeDeps = {
    config: cfg,
    store: deps.store,
    limits,
    log,
    fetch: fetchFn,
    now,
    onSaved: deps.onQueued,
  };
  const adminDeps = { config: cfg, store: deps.store, log, now, onQueued: deps.onQueued };

  async function route(request: Request, info: RequestInfo | undefined): Promise<Response> {
    const url = new URL(request.url);
    const { pathname } = url;
    if (pathname === '/v1/leads' && request.method === 'POST')
      return handleIntake(request, info?.ip, intakeDeps);
    if (pathname === '/v1/leads' && request.method === 'OPTIONS') {
      const origin = request.headers.get('origin');
      const check = checkOrigin(origin, cfg.allowedOrigins);
      if (origin === null || !check.allowed) {
        return error(403, `Origin ${origin ?? '(none)'} may not post leads. Add it to "allowedOrigins".`);
      }
      return new Response(null, { status: 204, headers: preflightHeaders(origin) });
    }
    if (pathname === '/v1/health') {
      if (request.method !== 'GET' && request.method !== 'HEAD') return error(405, 'Use GET /v1/health.');
      let ready = false;
      try {
        ready = await deps.store.ping();
      } catch {}
      return ready
        ? json(200, { status: 'ok' })
        : error(503, 'The store is not ready; check the database file.');
    }
    if (pathname === '/inbox' || pathname.startsWith('/inbox/')) return handleInbox(request, url, adminDeps);
    const admin = await handleAdmin(request, url, adminDeps);
    if (admin) return admin;
    return error(404, `No route for ${request.method} ${pathname}. Leads go to POST /v1/leads.`);
  }

  return async (request, info) => {
    try {
      return await route(request, info);
    } catch (err) {
      log({ event: 'server', level: 'error', message: (err as Error)?.message ?? String(err) });
      return error(500, 'Internal error; the server log has the details.');
    }
  };
}
