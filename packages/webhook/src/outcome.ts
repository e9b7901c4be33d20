/**
 * Outcomes from the CRM: `POST /v1/leads/{id}/outcome` and `POST /v1/outcomes` (by `leadId` or `email`).
 * Authenticated by a Standard Webhooks signature (`outcomes.secret`), the outcomes-only `outcomes.token`
 * (Bearer, or the Basic password) or the admin token; idempotent on the
 * `webhook-id`, the `Idempotency-Key` header, or else a hash of the body. A stage change routes the lead
 * again, so destinations with `when: { field: "stage", eq: "sql" }` receive it now.
 */
import { createHash } from 'node:crypto';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { z } from 'zod';
import { bearer, denyAdmin, tokenMatches } from './admin.js';
import type { LeadkitConfig } from './config.js';
import { error, type Incoming, type Issue, json, type Reply } from './http.js';
import { clientIp } from './intake.js';
import type { Logger } from './log.js';
import { routeAfterStageChange } from './routing.js';
import { verifyWebhook, WebhookVerificationError } from './signing.js';
import type { OutcomeStatus, Store } from './store/types.js';

export interface OutcomeDeps {
  config: LeadkitConfig;
  store: Store;
  log: Logger;
  now: () => number;
  onQueued?: (() => void) | undefined;
}

const MAX_BODY = 16 * 1024;
const STATUSES = ['contacted', 'qualified', 'disqualified', 'won', 'lost'] as const satisfies OutcomeStatus[];
/** Wrong signatures or tokens per client address and minute before it must wait (guessing defence). */
const AUTH_FAILURES_PER_MINUTE = 20;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

// CRMs send property values as strings ("1200.50", "1767225600000") and empty ones as "".
const NumberLike = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a number')
    .transform(Number),
]);

const At = z.union([z.number(), z.string().trim()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(ms) || ms < 0) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 time or epoch milliseconds' });
    return z.NEVER;
  }
  if (ms < 100_000_000_000) {
    ctx.addIssue({ code: 'custom', message: `${v} looks like seconds; send epoch milliseconds` });
    return z.NEVER;
  }
  return ms;
});

const OutcomeFields = {
  status: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(STATUSES, { error: `must be one of ${STATUSES.join(', ')}` })),
  amount: NumberLike.pipe(z.number().finite().min(0, 'must be 0 or more').max(1e13)).optional(),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .refine((c) => CURRENCIES.has(c), 'must be an ISO 4217 code such as "EUR" or "USD"')
    .optional(),
  reason: z.string().max(1000, 'at most 1000 characters').optional(),
  at: At.optional(),
};

// Loose objects: a CRM's payload may carry more properties than these; they are ignored.
const ForLead = z.object(OutcomeFields);
const ByReference = z
  .object({
    ...OutcomeFields,
    leadId: z.string().trim().min(1).max(64).optional(),
    email: z.string().trim().min(3).max(320).optional(),
  })
  .refine((b) => (b.leadId === undefined) !== (b.email === undefined), {
    message: 'give either "leadId" (the Leadkit lead id) or "email" (the newest lead of that address)',
    path: ['leadId'],
  });

const QUERY_KEYS = ['status', 'amount', 'currency', 'reason', 'at', 'leadId', 'email'];

/**
 * The body's keys, with `?status=won`-style query parameters filling keys the body lacks (a CRM action
 * often sends record properties as the body and static values only in the URL). Empty values are absent.
 */
function merged(body: unknown, url: URL): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of QUERY_KEYS) {
    const v = url.searchParams.get(k);
    if (v !== null && v !== '') out[k] = v;
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [k, v] of Object.entries(body)) if (v !== '' && v !== null) out[k] = v;
  }
  return out;
}

function issuesOf(e: z.ZodError): Issue[] {
  return e.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

/**
 * The password of HTTP Basic auth: Pipedrive's automation webhooks can only send credentials that way,
 * so a token also works as the password (any user name).
 */
function basicPassword(request: Incoming): string | undefined {
  const b64 = request.header('authorization')?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i)?.[1];
  if (!b64) return undefined;
  const decoded = Buffer.from(b64, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

type Auth = { by: 'signature'; key: string } | { by: 'token' } | { reply: Reply };

function authenticate(request: Incoming, body: string, deps: OutcomeDeps): Auth {
  const { config } = deps;
  const secret = config.outcomes?.secret;
  if (request.header('webhook-signature') !== null) {
    if (!secret) {
      return {
        reply: error(
          401,
          'This request is signed, but "outcomes.secret" is not set; add the secret the sender signs with to leadkit.config.json.',
        ),
      };
    }
    try {
      const verified = verifyWebhook({
        secret,
        headers: { get: (name: string) => request.header(name) } as Headers,
        body,
        now: new Date(deps.now()),
      });
      return { by: 'signature', key: `webhook:${verified.id}` };
    } catch (err) {
      if (err instanceof WebhookVerificationError) return { reply: error(401, err.message) };
      throw err;
    }
  }
  const token = bearer(request) ?? basicPassword(request);
  const outcomeToken = config.outcomes?.token;
  if (token === undefined && !config.adminToken && !secret && !outcomeToken) {
    return {
      reply: error(
        403,
        'Outcomes are disabled: set "outcomes.token" (CRM workflows), "outcomes.secret" (signed requests) or "adminToken" in leadkit.config.json.',
      ),
    };
  }
  if (token === undefined) {
    return {
      reply: error(
        401,
        'Send "Authorization: Bearer <outcomes.token or adminToken>" (or Basic auth with it as the password), or sign the request with "outcomes.secret" (Standard Webhooks headers).',
        { headers: { 'www-authenticate': 'Bearer realm="leadkit"' } },
      ),
    };
  }
  // The outcomes token opens this route only; the admin token opens everything, this route included.
  if (outcomeToken && tokenMatches(token, outcomeToken)) return { by: 'token' };
  const denied = denyAdmin(token, config);
  if (denied && outcomeToken && denied.status === 403) {
    return { reply: error(401, 'Wrong token; send "Authorization: Bearer <outcomes.token>".') };
  }
  return denied ? { reply: denied } : { by: 'token' };
}

/** The outcome routes; undefined for paths they do not own. */
export function createOutcomeRoutes(deps: OutcomeDeps) {
  const failures = new RateLimiterMemory({ points: AUTH_FAILURES_PER_MINUTE, duration: 60 });

  return async function handleOutcome(request: Incoming): Promise<Reply | undefined> {
    const path = request.url.pathname;
    const m = path.match(/^\/v1\/leads\/([^/]+)\/outcome$/);
    if (!m && path !== '/v1/outcomes') return undefined;
    if (request.method !== 'POST') return error(405, `Use POST ${path}.`, { headers: { allow: 'POST' } });

    const ip = clientIp(request, deps.config.trustProxy) ?? 'unknown';
    const seen = await failures.get(ip);
    if (seen && seen.consumedPoints >= AUTH_FAILURES_PER_MINUTE) {
      const wait = Math.max(1, Math.ceil(seen.msBeforeNext / 1000));
      return error(429, `Too many failed authentications from this address; retry in ${wait} s.`, {
        headers: { 'retry-after': String(wait) },
      });
    }
    if (Number(request.header('content-length') ?? 0) > MAX_BODY) return tooLarge();
    const text = await request.text(MAX_BODY);
    if (text === undefined) return tooLarge();

    const auth = authenticate(request, text, deps);
    if ('reply' in auth) {
      if (auth.reply.status === 401) await failures.consume(ip).catch(() => {});
      deps.log({ event: 'outcome', outcome: 'unauthorized', status: auth.reply.status });
      return auth.reply;
    }

    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch (err) {
        return error(400, `Body is not valid JSON: ${(err as Error).message}`);
      }
    }
    const input = merged(body, request.url);
    const parsed = m ? ForLead.safeParse(input) : ByReference.safeParse(input);
    if (!parsed.success) {
      const issues = issuesOf(parsed.error);
      return error(400, `Invalid outcome: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}.`, {
        issues,
      });
    }
    const o = parsed.data as z.output<typeof ForLead> & { leadId?: string; email?: string };

    let leadId: string | undefined = m ? decodeURIComponent(m[1]!) : o.leadId;
    if (leadId === undefined) {
      leadId = await deps.store.latestLeadIdByEmail(o.email!);
      if (leadId === undefined) return error(404, 'No lead with that email (or it was erased).');
    }

    // The same request again must be recognised: the sender's message id, its key, or the bytes.
    const key =
      'key' in auth
        ? auth.key
        : request.header('idempotency-key')
          ? `key:${request.header('idempotency-key')!.slice(0, 200)}`
          : `body:${createHash('sha256').update(`${path}?${request.url.search}\n${text}`).digest('hex')}`;
    const receivedAt = deps.now();
    const result = await deps.store.recordOutcome({
      leadId,
      key,
      status: o.status,
      amount: o.amount,
      currency: o.currency,
      reason: o.reason,
      at: o.at ?? receivedAt,
      receivedAt,
    });
    if (!result.found) return error(404, `No lead with id ${leadId}.`);

    let queued: string[] = [];
    if (result.created && result.stage !== result.previousStage) {
      const stored = await deps.store.getLead(leadId);
      if (stored && stored.erasedAt === null) {
        queued = await deps.store.addDeliveries(
          leadId,
          routeAfterStageChange(deps.config, stored),
          receivedAt,
        );
        if (queued.length) deps.onQueued?.();
      }
    }
    deps.log({
      event: 'outcome',
      outcome: result.created ? 'recorded' : 'duplicate',
      status: 200,
      leadId,
      result: o.status,
      stage: result.stage,
      previousStage: result.previousStage,
      auth: auth.by,
      queued: queued.length ? queued : undefined,
    });
    return json(200, { leadId, stage: result.stage, created: result.created, queued });
  };
}

function tooLarge(): Reply {
  return error(413, `Body is larger than ${MAX_BODY} bytes; an outcome needs only a few fields.`);
}
