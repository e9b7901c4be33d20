/**
 * A Leadkit `Store` on Cloudflare D1 (SQLite at the edge), for the Worker in ./worker.ts. It uses the same
 * tables as the adapter's SQLite store (migrations/0001_leadkit.sql) and keeps its promises:
 * - a lead and its outbox rows are written in one D1 batch (one transaction), idempotent on the lead id;
 * - claims are one `UPDATE ... RETURNING`, so two invocations never hold the same row;
 * - an outcome is recorded only by the holder of the lease.
 * D1 commits are durable when the call resolves.
 */
import type { Lead } from '@leadkit/core/lead';
import type { ClaimedDelivery, DeliveryRow, DeliveryStatus, Store, StoredLead } from '@leadkit/webhook';

/** The part of Cloudflare's D1 binding this store uses. */
export interface D1Database {
  prepare(sql: string): D1PreparedStatement;
  batch(statements: D1PreparedStatement[]): Promise<D1Result[]>;
}
export interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  all<T = Record<string, unknown>>(): Promise<D1Result<T>>;
  run(): Promise<D1Result>;
}
export interface D1Result<T = Record<string, unknown>> {
  results: T[];
  meta: { changes: number };
}

interface LeadRecord {
  lead: string;
  received_at: number;
  spam_reason: string | null;
  ip: string | null;
}
interface DeliveryRecord {
  id: number;
  lead_id: string;
  destination: string;
  status: DeliveryStatus;
  attempts: number;
  tries: number;
  next_at: number | null;
  last_status: number | null;
  last_error: string | null;
  last_detail: string | null;
  permanent: number;
  delivered_at: number | null;
  updated_at: number;
}

const toLead = (r: LeadRecord): StoredLead => ({
  lead: JSON.parse(r.lead) as Lead,
  receivedAt: r.received_at,
  spamReason: r.spam_reason,
  ip: r.ip,
});

const toDelivery = (r: DeliveryRecord): DeliveryRow => ({
  id: r.id,
  leadId: r.lead_id,
  destination: r.destination,
  status: r.status,
  attempts: r.attempts,
  nextAt: r.next_at,
  lastStatus: r.last_status,
  lastError: r.last_error,
  detail: r.last_detail,
  permanent: r.permanent === 1,
  deliveredAt: r.delivered_at,
  updatedAt: r.updated_at,
});

const limitOf = (n: number | undefined, fallback: number) =>
  Math.max(1, Math.min(1000, Math.floor(n ?? fallback)));

// Outbox rows are created only for the lead row this very save wrote (its received_at), never for a
// repeat of a stored lead, nor for spam.
const INSERT_DELIVERY = `INSERT INTO deliveries (lead_id, destination, status, next_at, created_at, updated_at)
  SELECT id, ?2, 'pending', ?3, ?3, ?3 FROM leads WHERE id = ?1 AND received_at = ?3 AND spam_reason IS NULL
  ON CONFLICT (lead_id, destination) DO NOTHING`;
const REPLAY = `UPDATE deliveries SET status = 'pending', next_at = ?1, tries = 0, permanent = 0, updated_at = ?1`;

export function createD1Store(db: D1Database): Store {
  return {
    async saveLead({ lead, receivedAt, destinations, spamReason, ip }) {
      const [saved] = await db.batch([
        db
          .prepare(
            `INSERT INTO leads (id, form_id, received_at, lead, channel, spam_reason, ip)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
          )
          .bind(
            lead.id,
            lead.formId,
            receivedAt,
            JSON.stringify(lead),
            lead.attribution?.lastTouch.channel ?? null,
            spamReason ?? null,
            ip ?? null,
          ),
        ...destinations.map((d) => db.prepare(INSERT_DELIVERY).bind(lead.id, d, receivedAt)),
      ]);
      return { created: saved!.meta.changes === 1 };
    },
    async getLead(id) {
      const r = await db
        .prepare('SELECT lead, received_at, spam_reason, ip FROM leads WHERE id = ?')
        .bind(id)
        .first<LeadRecord>();
      return r ? toLead(r) : undefined;
    },
    async listLeads(o = {}) {
      const where = [o.spam ? 'spam_reason IS NOT NULL' : 'spam_reason IS NULL'];
      const params: number[] = [];
      if (o.before !== undefined) {
        where.push('received_at < ?');
        params.push(o.before);
      }
      const { results } = await db
        .prepare(
          `SELECT lead, received_at, spam_reason, ip FROM leads WHERE ${where.join(' AND ')}
           ORDER BY received_at DESC, id LIMIT ?`,
        )
        .bind(...params, limitOf(o.limit, 50))
        .all<LeadRecord>();
      return results.map(toLead);
    },
    async listDeliveries(o = {}) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (o.status) {
        where.push('status = ?');
        params.push(o.status);
      }
      if (o.leadId) {
        where.push('lead_id = ?');
        params.push(o.leadId);
      }
      const { results } = await db
        .prepare(
          `SELECT * FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY updated_at DESC, id DESC LIMIT ?`,
        )
        .bind(...params, limitOf(o.limit, 100))
        .all<DeliveryRecord>();
      return results.map(toDelivery);
    },
    async getDelivery(id) {
      const r = await db.prepare('SELECT * FROM deliveries WHERE id = ?').bind(id).first<DeliveryRecord>();
      return r ? toDelivery(r) : undefined;
    },
    async listAttempts(deliveryId) {
      const { results } = await db
        .prepare(
          `SELECT attempt, started_at AS startedAt, duration_ms AS durationMs, outcome, status, reason
           FROM attempts WHERE delivery_id = ? ORDER BY attempt`,
        )
        .bind(deliveryId)
        .all<{
          attempt: number;
          startedAt: number;
          durationMs: number;
          outcome: 'ok' | 'retry' | 'fail';
          status: number | null;
          reason: string | null;
        }>();
      return results;
    },
    async countByChannel(since) {
      const { results } = await db
        .prepare(
          `SELECT channel, count(*) AS count FROM leads WHERE spam_reason IS NULL AND received_at >= ?
           GROUP BY channel ORDER BY count DESC`,
        )
        .bind(since)
        .all<{ channel: string | null; count: number }>();
      return results;
    },
    async claimDue({ now, limit, leaseMs, destinations }) {
      const lease = crypto.randomUUID();
      const { results: rows } = await db
        .prepare(
          `UPDATE deliveries SET leased_until = ?1, lease = ?2
           WHERE id IN (
             SELECT id FROM deliveries
             WHERE status = 'pending' AND next_at <= ?3 AND (leased_until IS NULL OR leased_until <= ?3)
               AND destination IN (SELECT value FROM json_each(?4))
             ORDER BY next_at LIMIT ?5)
           RETURNING *`,
        )
        .bind(now + leaseMs, lease, now, JSON.stringify(destinations), limit)
        .all<DeliveryRecord>();
      if (rows.length === 0) return [];
      const { results: leads } = await db
        .prepare('SELECT id, lead, received_at FROM leads WHERE id IN (SELECT value FROM json_each(?))')
        .bind(JSON.stringify([...new Set(rows.map((r) => r.lead_id))]))
        .all<{ id: string; lead: string; received_at: number }>();
      const byId = new Map(leads.map((l) => [l.id, l]));
      return rows.map((r): ClaimedDelivery => {
        const l = byId.get(r.lead_id)!;
        return {
          ...toDelivery(r),
          lease,
          tries: r.tries,
          lead: JSON.parse(l.lead) as Lead,
          receivedAt: l.received_at,
        };
      });
    },
    async recordAttempt(a) {
      const now = a.startedAt + a.durationMs;
      const status: DeliveryStatus =
        a.outcome === 'ok'
          ? 'delivered'
          : a.outcome === 'retry' && a.nextAt !== undefined
            ? 'pending'
            : 'failed';
      // One transaction: the attempt row (numbered from the row it belongs to) and the row's new state,
      // both only while the lease is still ours.
      const [, finished] = await db.batch([
        db
          .prepare(
            `INSERT INTO attempts (delivery_id, attempt, started_at, duration_ms, outcome, status, reason)
             SELECT id, attempts + 1, ?3, ?4, ?5, ?6, ?7 FROM deliveries WHERE id = ?1 AND lease = ?2`,
          )
          .bind(
            a.deliveryId,
            a.lease,
            a.startedAt,
            Math.round(a.durationMs),
            a.outcome,
            a.status ?? null,
            a.reason ?? null,
          ),
        db
          .prepare(
            `UPDATE deliveries SET attempts = attempts + 1, tries = tries + 1, status = ?3, next_at = ?4,
               leased_until = NULL, lease = NULL, last_status = ?5, last_error = ?6, last_detail = ?7,
               permanent = ?8, delivered_at = ?9, updated_at = ?10
             WHERE id = ?1 AND lease = ?2`,
          )
          .bind(
            a.deliveryId,
            a.lease,
            status,
            status === 'pending' ? a.nextAt : null,
            a.status ?? null,
            a.outcome === 'ok' ? null : (a.reason ?? null),
            a.outcome === 'ok' ? (a.reason ?? null) : null,
            a.outcome === 'fail' ? 1 : 0,
            a.outcome === 'ok' ? now : null,
            now,
          ),
      ]);
      return finished!.meta.changes === 1;
    },
    async releaseLeases(leases) {
      if (leases.length === 0) return;
      await db.batch(
        leases.map((l) =>
          db
            .prepare('UPDATE deliveries SET leased_until = NULL, lease = NULL WHERE id = ? AND lease = ?')
            .bind(l.deliveryId, l.lease),
        ),
      );
    },
    async retryDelivery(id, now) {
      return (await db.prepare(`${REPLAY} WHERE id = ?2`).bind(now, id).run()).meta.changes === 1;
    },
    async replayLead(leadId, now) {
      return (await db.prepare(`${REPLAY} WHERE lead_id = ?2`).bind(now, leadId).run()).meta.changes;
    },
    async replayFailedSince(since, now) {
      return (
        await db.prepare(`${REPLAY} WHERE status = 'failed' AND updated_at >= ?2`).bind(now, since).run()
      ).meta.changes;
    },
    async releaseSpam(leadId, destinations, now) {
      // One transaction: outbox rows while it is still flagged (so only for a flagged lead), then unflag.
      const results = await db.batch([
        ...destinations.map((d) =>
          db
            .prepare(
              `INSERT INTO deliveries (lead_id, destination, status, next_at, created_at, updated_at)
               SELECT id, ?2, 'pending', ?3, ?3, ?3 FROM leads WHERE id = ?1 AND spam_reason IS NOT NULL
               ON CONFLICT (lead_id, destination) DO NOTHING`,
            )
            .bind(leadId, d, now),
        ),
        db
          .prepare('UPDATE leads SET spam_reason = NULL WHERE id = ? AND spam_reason IS NOT NULL')
          .bind(leadId),
      ]);
      return results.at(-1)!.meta.changes === 1;
    },
    async purge(before) {
      // Deliveries and attempts go with their lead (ON DELETE CASCADE; D1 enforces foreign keys).
      return (await db.prepare('DELETE FROM leads WHERE received_at < ?').bind(before).run()).meta.changes;
    },
    async ping() {
      return (await db.prepare('SELECT 1 AS ok').first<{ ok: number }>())?.ok === 1;
    },
    close() {},
  };
}
