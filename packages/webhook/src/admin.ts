/**
 * The admin API behind `adminToken` (Bearer): leads, deliveries with their attempts, retry, replay, and the
 * spam list with release. Without a configured token every admin route answers 403 saying how to set one.
 */
import type { LeadkitConfig } from './config.js';
import { emailSha256 } from './erase.js';
import { error, type Incoming, json, type Reply } from './http.js';
import type { Logger } from './log.js';
import { handleReport } from './report-api.js';
import { routeAfterStageChange } from './routing.js';
import type { DeliveryStatus, Store, StoredLead } from './store/types.js';

export interface AdminDeps {
  config: LeadkitConfig;
  store: Store;
  log: Logger;
  now: () => number;
  onQueued?: (() => void) | undefined;
}

/** Compares in time that depends only on the expected token's length. */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  let diff = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) {
    diff |= (given.charCodeAt(i % (given.length || 1)) || 0) ^ expected.charCodeAt(i);
  }
  return diff === 0;
}

export const NO_TOKEN_MESSAGE =
  'Admin routes are disabled: set "adminToken" in leadkit.config.json (e.g. { "env": "LEADKIT_ADMIN_TOKEN" }) and restart.';

/** A reply when the request may not use admin routes, else undefined. */
export function denyAdmin(token: string | null | undefined, config: LeadkitConfig): Reply | undefined {
  if (!config.adminToken) return error(403, NO_TOKEN_MESSAGE);
  if (!tokenMatches(token, config.adminToken)) {
    return error(401, 'Missing or wrong admin token; send "Authorization: Bearer <adminToken>".', {
      headers: { 'www-authenticate': 'Bearer realm="leadkit"' },
    });
  }
  return undefined;
}

export function bearer(request: Incoming): string | undefined {
  const h = request.header('authorization');
  return h?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
}

function summary(s: StoredLead) {
  return {
    id: s.lead.id,
    formId: s.lead.formId,
    receivedAt: new Date(s.receivedAt).toISOString(),
    channel: s.lead.attribution?.lastTouch.channel ?? null,
    spamReason: s.spamReason,
    ip: s.ip ?? undefined,
    stage: s.stage,
    contactedAt: s.contactedAt === null ? null : new Date(s.contactedAt).toISOString(),
    // Speed-to-lead: submission to the first outcome the CRM reported.
    speedToLeadMs: s.contactedAt === null ? null : s.contactedAt - s.receivedAt,
    erasedAt: s.erasedAt === null ? null : new Date(s.erasedAt).toISOString(),
    lead: s.lead,
  };
}

function iso(t: number | null) {
  return t === null ? null : new Date(t).toISOString();
}

async function deliveriesOf(store: Store, leadId: string, withAttempts: boolean) {
  const rows = await store.listDeliveries({ leadId, limit: 100 });
  return Promise.all(
    rows.map(async (d) => ({
      ...d,
      nextAt: iso(d.nextAt),
      deliveredAt: iso(d.deliveredAt),
      updatedAt: iso(d.updatedAt),
      attempts: d.attempts,
      history: withAttempts
        ? (await store.listAttempts(d.id)).map((a) => ({ ...a, startedAt: iso(a.startedAt) }))
        : undefined,
    })),
  );
}

const MAX_ADMIN_BODY = 4096;
const STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed'];

/** Shared by the API and the inbox forms. */
export async function releaseSpam(deps: AdminDeps, leadId: string): Promise<boolean> {
  // Released leads go where their destination filters send them, like any lead at intake.
  const stored = await deps.store.getLead(leadId);
  if (!stored || stored.spamReason === null) return false;
  const ok = await deps.store.releaseSpam(leadId, routeAfterStageChange(deps.config, stored), deps.now());
  if (ok) {
    deps.log({ event: 'admin', action: 'release', leadId });
    deps.onQueued?.();
  }
  return ok;
}

export async function retryDelivery(deps: AdminDeps, id: number): Promise<boolean> {
  const ok = await deps.store.retryDelivery(id, deps.now());
  if (ok) {
    deps.log({ event: 'admin', action: 'retry', deliveryId: id });
    deps.onQueued?.();
  }
  return ok;
}

function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const t = typeof v === 'number' ? v : Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

/** Routes under /v1 that need the admin token. Returns undefined for paths it does not own. */
export async function handleAdmin(request: Incoming, deps: AdminDeps): Promise<Reply | undefined> {
  const { store } = deps;
  const url = request.url;
  const path = url.pathname;
  const method = request.method;
  const isAdminPath =
    path === '/v1/leads' ||
    path === '/v1/deliveries' ||
    path === '/v1/replay' ||
    path === '/v1/spam' ||
    /^\/v1\/(leads|deliveries|spam|admin)\//.test(path);
  if (!isAdminPath || (path === '/v1/leads' && method === 'POST')) return undefined;
  const denied = denyAdmin(bearer(request), deps.config);
  if (denied) return denied;
  const limit = Number(url.searchParams.get('limit') ?? '') || undefined;
  const report = await handleReport(method, url, deps);
  if (report) return report;

  if (method === 'GET' && (path === '/v1/leads' || path === '/v1/spam')) {
    const before = parseTime(url.searchParams.get('before'));
    const leads = await store.listLeads({ limit, before, spam: path === '/v1/spam' });
    return json(200, {
      leads: await Promise.all(
        leads.map(async (l) => ({ ...summary(l), deliveries: await deliveriesOf(store, l.lead.id, false) })),
      ),
    });
  }
  if (method === 'DELETE' && path === '/v1/leads') {
    const email = url.searchParams.get('email')?.trim();
    if (!email?.includes('@')) {
      return error(400, 'Give the address to erase: DELETE /v1/leads?email=person@example.com', {
        issues: [{ path: 'email', message: 'must be an email address' }],
      });
    }
    const { leads } = await store.eraseByEmail(email, deps.now());
    // The audit entry proves an erasure happened without keeping the address it erased.
    deps.log({ event: 'admin', action: 'erase', emailSha256: emailSha256(email), erased: leads });
    return json(200, { erased: leads });
  }
  let m = path.match(/^\/v1\/leads\/([^/]+)$/);
  if (method === 'GET' && m) {
    const lead = await store.getLead(decodeURIComponent(m[1]!));
    if (!lead) return error(404, `No lead with id ${m[1]}.`);
    return json(200, { ...summary(lead), deliveries: await deliveriesOf(store, lead.lead.id, true) });
  }
  if (method === 'GET' && path === '/v1/deliveries') {
    const status = url.searchParams.get('status');
    if (status !== null && !STATUSES.includes(status as DeliveryStatus)) {
      return error(400, `status must be one of ${STATUSES.join(', ')} (got "${status}").`);
    }
    const rows = await store.listDeliveries({ status: (status as DeliveryStatus) ?? undefined, limit });
    return json(200, {
      deliveries: rows.map((d) => ({
        ...d,
        nextAt: iso(d.nextAt),
        deliveredAt: iso(d.deliveredAt),
        updatedAt: iso(d.updatedAt),
      })),
    });
  }
  m = path.match(/^\/v1\/deliveries\/(\d+)\/retry$/);
  if (method === 'POST' && m) {
    const id = Number(m[1]);
    if (!(await retryDelivery(deps, id))) return error(404, `No delivery with id ${id}.`);
    return json(202, { id, status: 'pending' });
  }
  if (method === 'POST' && path === '/v1/replay') {
    let body: { leadId?: unknown; failedSince?: unknown };
    try {
      body = JSON.parse((await request.text(MAX_ADMIN_BODY)) ?? '') as typeof body;
    } catch {
      return error(
        400,
        'Body must be JSON: { "leadId": "..." } or { "failedSince": "2026-01-01T00:00:00Z" }.',
      );
    }
    const now = deps.now();
    if (typeof body?.leadId === 'string') {
      const replayed = await store.replayLead(body.leadId, now);
      if (replayed === 0)
        return error(404, `No deliveries for lead ${body.leadId} (unknown, or still in the spam list).`);
      deps.log({ event: 'admin', action: 'replay', leadId: body.leadId, replayed });
      deps.onQueued?.();
      return json(202, { replayed });
    }
    const since = parseTime(body?.failedSince);
    if (since === undefined) {
      return error(400, 'Give "leadId" (a lead id) or "failedSince" (an ISO 8601 time or epoch ms).', {
        issues: [{ path: 'failedSince', message: 'must be an ISO 8601 time or epoch milliseconds' }],
      });
    }
    const replayed = await store.replayFailedSince(since, now);
    deps.log({ event: 'admin', action: 'replay', failedSince: new Date(since).toISOString(), replayed });
    if (replayed) deps.onQueued?.();
    return json(202, { replayed });
  }
  m = path.match(/^\/v1\/spam\/([^/]+)\/release$/);
  if (method === 'POST' && m) {
    const id = decodeURIComponent(m[1]!);
    if (!(await releaseSpam(deps, id))) return error(404, `Lead ${id} is not in the spam list.`);
    return json(202, { id, released: true });
  }
  return error(405, `${method} ${path} is not an admin route; see the README's admin API section.`);
}
