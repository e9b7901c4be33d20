/**
 * The shared store: PostgreSQL through Postgres.js, for many adapter processes on many machines and for
 * intake on serverless platforms (through a pooler). Same semantics as the SQLite store:
 * - a resolved `saveLead` is committed (one statement, so one implicit transaction; PostgreSQL flushes
 *   the WAL before it answers COMMIT unless the server runs with synchronous_commit = off);
 * - `claimDue` leases due rows with `FOR UPDATE SKIP LOCKED`, so concurrent workers never claim the same
 *   row, and a crashed worker's rows come back when the lease expires;
 * - `recordAttempt` only lands while the lease is still held.
 * Most methods are one statement (one round trip): workers on other machines pay per round trip.
 */
import { randomUUID } from 'node:crypto';
import type { Lead } from '@leadkit/core/lead';
import postgres, { type Helper, type Sql, type TransactionSql } from 'postgres';
import { leadEmail } from '../email.js';
import { emailSha256, eraseLeadData, normalizeEmail } from '../erase.js';
import { contactedAt, stageOf } from '../lifecycle.js';
import { PG_MIGRATIONS } from './postgres-migrations.js';
import {
  type DeliveryRecord,
  type FunnelRecord,
  type LeadRecord,
  limitOf,
  toDelivery,
  toFunnelRow,
  toLead,
  touchTime,
} from './records.js';
import type {
  AttemptRecord,
  AttemptRow,
  ClaimedDelivery,
  DeliveryStatus,
  FunnelRow,
  NewLead,
  OutcomeRow,
  OutcomeStatus,
  Qualification,
  Stage,
  Store,
} from './types.js';

/** The database cannot be reached or was migrated by a newer version. */
export class PostgresStoreError extends Error {
  override name = 'PostgresStoreError';
}

export interface PostgresStoreOptions {
  /** postgres://user:password@host:5432/database (sslmode etc. in the query string). */
  url: string;
  /** Connections in the pool (default 10). Serverless intake: 1-5. */
  max?: number;
  /** Schema holding Leadkit's tables (default `leadkit`), so they never meet an app's own `leads`. */
  schema?: string;
  /**
   * Named prepared statements (default true). Set false behind a pooler in transaction mode that does not
   * track them (PgBouncer without max_prepared_statements, Supabase's port 6543, Neon's -pooler host).
   */
  prepare?: boolean;
  /**
   * Apply pending migrations on start, under an advisory lock (default true). Serverless intake that
   * starts a client per request skips it (no connection is made until the first query) and leaves
   * migrating to the workers' start.
   */
  migrate?: boolean;
  /** Seconds to wait for a connection (default 10). */
  connectTimeoutSeconds?: number;
  /** Seconds a query may take before it is cancelled and fails (default 30). */
  queryTimeoutSeconds?: number;
}

export type PostgresStore = Store & {
  /** The Postgres.js client, for tests and diagnostics. */
  readonly sql: Sql;
  /** The quoted schema name, e.g. "leadkit". */
  readonly schema: string;
};

/**
 * Leases name their holder (host and pid), so an operator, or a test, can tell which process holds a
 * row: `SELECT * FROM leadkit.deliveries WHERE lease LIKE 'web-2:4711/%'`.
 */
const LEASE_HOLDER = `${globalThis.process?.env?.HOSTNAME ?? 'host'}:${globalThis.process?.pid ?? 0}`;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Creates the schema and applies pending migrations in one transaction, one process at a time. */
async function migrate(sql: Sql, schema: string): Promise<void> {
  const s = `"${schema}"`;
  await sql.begin(async (tx) => {
    // Several adapters start at once: the first migrates, the others wait here and then find it done.
    await tx`SELECT pg_advisory_xact_lock(hashtext(${`leadkit migrations ${schema}`}))`;
    await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.unsafe(
      `CREATE TABLE IF NOT EXISTS ${s}.migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const [row] = await tx.unsafe<{ version: number | null }[]>(
      `SELECT max(version) AS version FROM ${s}.migrations`,
    );
    const version = row?.version ?? 0;
    if (version > PG_MIGRATIONS.length) {
      throw new PostgresStoreError(
        `The PostgreSQL schema ${schema} has version ${version}, newer than this @leadkit/webhook knows (${PG_MIGRATIONS.length}); upgrade the package.`,
      );
    }
    for (let v = version; v < PG_MIGRATIONS.length; v++) {
      await tx.unsafe(PG_MIGRATIONS[v]!(s));
      await tx.unsafe(`INSERT INTO ${s}.migrations (version) VALUES (${v + 1})`);
    }
  });
}

/** Connects, migrates (unless told not to) and returns the store. */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const schema = options.schema ?? 'leadkit';
  if (!SCHEMA_NAME.test(schema)) {
    throw new PostgresStoreError(
      `store.schema "${schema}" is not a plain PostgreSQL name: use lower-case letters, digits and _.`,
    );
  }
  const sql = postgres(options.url, {
    max: options.max ?? 10,
    prepare: options.prepare ?? true,
    connect_timeout: options.connectTimeoutSeconds ?? 10,
    // A network that goes silent would otherwise hold a query (and the worker's claim loop, or a
    // visitor's request) until TCP notices, which takes minutes.
    query_timeout: options.queryTimeoutSeconds ?? 30,
    onnotice: () => {},
    // Epoch milliseconds and counts are bigint: well within a JavaScript number.
    types: {
      bigint: {
        to: 20,
        from: [20],
        serialize: (x: number) => String(x),
        parse: (x: string) => Number(x),
      },
    },
  });
  try {
    // Without migrating, connect on the first query: serverless intake pays no extra round trip.
    if (options.migrate !== false) await migrate(sql, schema);
  } catch (cause) {
    await sql.end({ timeout: 1 });
    if (cause instanceof PostgresStoreError) throw cause;
    throw new PostgresStoreError(
      `Cannot open the PostgreSQL store (${redact(options.url)}): ${(cause as Error).message}. Check store.url, that the server is up and the user may create tables in the database.`,
      { cause },
    );
  }
  return buildStore(sql, schema);
}

/** The URL without its password, for error messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'store.url is not a valid URL';
  }
}

function buildStore(sql: Sql, schema: string): PostgresStore {
  const t = {
    leads: sql(`${schema}.leads`),
    deliveries: sql(`${schema}.deliveries`),
    attempts: sql(`${schema}.attempts`),
    outcomes: sql(`${schema}.outcomes`),
    counters: sql(`${schema}.counters`),
    erasures: sql(`${schema}.erasures`),
  };
  const LEAD_COLUMNS = sql`lead, received_at, spam_reason, ip, qualification, stage, contacted_at, erased_at`;

  /** Workers LISTEN here; saves, replays and releases NOTIFY (delivered when the transaction commits). */
  const channel = `${schema}_queued`;
  const notify = async <T>(result: T, queued: boolean): Promise<T> => {
    if (queued) await sql`SELECT pg_notify(${channel}, '')`;
    return result;
  };

  const insertLead = async (
    input: NewLead,
    db: Sql | TransactionSql = sql,
  ): Promise<{ created: boolean }> => {
    const { lead, qualification } = input;
    const first = lead.attribution?.firstTouch;
    const last = lead.attribution?.lastTouch;
    const at = input.receivedAt;
    const spam = input.spamReason !== undefined;
    const destinations = spam ? [] : [...input.destinations];
    // Rows due later (e.g. the speed-to-lead alert) go in with the rest; never for spam.
    const scheduled = spam ? [] : (input.scheduled ?? []);
    // One statement: the lead and its outbox rows commit together, and a repeat id inserts nothing.
    const [row] = await db<{ created: number }[]>`
      WITH l AS (
        INSERT INTO ${t.leads} (id, form_id, received_at, lead, channel, spam_reason, ip, email, score, grade,
          qualification, intake_stage, stage, first_channel, first_campaign, first_at, last_campaign, last_at)
        VALUES (${lead.id}, ${lead.formId}, ${at}, ${JSON.stringify(lead)}, ${last?.channel ?? null},
          ${input.spamReason ?? null}, ${input.ip ?? null}, ${leadEmail(lead) ?? null},
          ${qualification?.score ?? null}, ${qualification?.grade ?? null},
          ${qualification ? JSON.stringify(qualification) : null}, ${qualification?.stage ?? 'lead'},
          ${qualification?.stage ?? 'lead'}, ${first?.channel ?? null}, ${first?.campaign ?? null},
          ${touchTime(first?.timestamp)}, ${last?.campaign ?? null}, ${touchTime(last?.timestamp)})
        ON CONFLICT (id) DO NOTHING
        RETURNING id),
      d AS (
        INSERT INTO ${t.deliveries} (lead_id, destination, status, next_at, created_at, updated_at)
        SELECT l.id, x.dest, 'pending', x.due, ${at}, ${at}
        FROM l CROSS JOIN unnest(
          ${[...destinations, ...scheduled.map((x) => x.destination)]}::text[],
          ${[...destinations.map(() => at), ...scheduled.map((x) => x.at)]}::bigint[]) AS x(dest, due)
        ON CONFLICT (lead_id, destination) DO NOTHING
        RETURNING 1)
      SELECT (SELECT count(*)::int FROM l) AS created,
        -- Wakes every listening worker when this commits, and only if rows were queued.
        (SELECT count(pg_notify(${channel}, '')) FROM (SELECT 1 FROM d LIMIT 1) AS queued) AS notified`;
    return { created: row!.created === 1 };
  };

  /**
   * A save that takes a round-robin turn: the counter moves in the save's transaction, so a failed save
   * (or a repeat id, rolled back below) leaves it as it was. The counter row stays locked until COMMIT,
   * which also makes a concurrent save of the same id wait and then find it saved.
   */
  const insertTaking = async (input: NewLead, turn: NonNullable<NewLead['turn']>) => {
    try {
      return await sql.begin(async (tx) => {
        const [counter] = await tx<{ value: number }[]>`
          INSERT INTO ${t.counters} (name, value) VALUES (${turn.counter}, 1)
          ON CONFLICT (name) DO UPDATE SET value = ${t.counters}.value + 1
          RETURNING value`;
        const saved = await insertLead({ ...input, ...turn.decide(counter!.value) }, tx);
        if (!saved.created) throw REPEAT;
        return saved;
      });
    } catch (error) {
      if (error === REPEAT) return { created: false };
      throw error;
    }
  };

  const recorder = createAttemptRecorder(sql, t.deliveries, t.attempts);

  return {
    sql,
    schema: `"${schema}"`,
    savesTurns: true,

    saveLead(input) {
      // Idempotent on the lead id, so a save that met a connection the server had closed (a failover, a
      // pooler restart) is simply sent again on a fresh one.
      const { turn } = input;
      return onceMoreIfDisconnected(() => (turn ? insertTaking(input, turn) : insertLead(input)));
    },

    async getLead(id) {
      const [r] = await sql<LeadRecord[]>`SELECT ${LEAD_COLUMNS} FROM ${t.leads} WHERE id = ${id}`;
      return r && toLead(r);
    },

    async listLeads(o = {}) {
      const rows = await sql<LeadRecord[]>`
        SELECT ${LEAD_COLUMNS} FROM ${t.leads}
        WHERE ${o.spam ? sql`spam_reason IS NOT NULL` : sql`spam_reason IS NULL`}
          ${o.before === undefined ? sql`` : sql`AND received_at < ${o.before}`}
        ORDER BY received_at DESC, id LIMIT ${limitOf(o.limit, 50)}`;
      return rows.map(toLead);
    },

    async listDeliveries(o = {}) {
      const rows = await sql<DeliveryRecord[]>`
        SELECT * FROM ${t.deliveries}
        WHERE true
          ${o.status ? sql`AND status = ${o.status}` : sql``}
          ${o.leadId ? sql`AND lead_id = ${o.leadId}` : sql``}
        ORDER BY updated_at DESC, id DESC LIMIT ${limitOf(o.limit, 100)}`;
      return rows.map(toDelivery);
    },

    async getDelivery(id) {
      const [r] = await sql<DeliveryRecord[]>`SELECT * FROM ${t.deliveries} WHERE id = ${id}`;
      return r && toDelivery(r);
    },

    async listAttempts(deliveryId) {
      const rows = await sql<
        {
          attempt: number;
          started_at: number;
          duration_ms: number;
          outcome: AttemptRow['outcome'];
          status: number | null;
          reason: string | null;
        }[]
      >`SELECT attempt, started_at, duration_ms, outcome, status, reason FROM ${t.attempts}
        WHERE delivery_id = ${deliveryId} ORDER BY attempt`;
      return rows.map((r) => ({
        attempt: r.attempt,
        startedAt: r.started_at,
        durationMs: r.duration_ms,
        outcome: r.outcome,
        status: r.status,
        reason: r.reason,
      }));
    },

    async countByChannel(since) {
      const rows = await sql<{ channel: string | null; count: number }[]>`
        SELECT channel, count(*)::int AS count FROM ${t.leads}
        WHERE spam_reason IS NULL AND received_at >= ${since}
        GROUP BY channel ORDER BY count DESC`;
      return rows.map((r) => ({ channel: r.channel, count: r.count }));
    },

    async claimDue(o) {
      const lease = `${LEASE_HOLDER}/${randomUUID()}`;
      // SKIP LOCKED: a row another worker is claiming right now is passed over, not waited for; once that
      // claim commits, its lease keeps the row out of every other claim until it expires.
      const rows = await sql<
        (DeliveryRecord & {
          lead: string;
          received_at: number;
          qualification: string | null;
          stage: Stage;
          contacted_at: number | null;
        })[]
      >`
        WITH due AS (
          SELECT id FROM ${t.deliveries}
          WHERE status = 'pending' AND next_at <= ${o.now}
            AND (leased_until IS NULL OR leased_until <= ${o.now})
            AND destination = ANY(${[...o.destinations]}::text[])
          ORDER BY next_at LIMIT ${o.limit}
          FOR UPDATE SKIP LOCKED),
        claimed AS (
          UPDATE ${t.deliveries} d SET leased_until = ${o.now + o.leaseMs}, lease = ${lease}
          FROM due WHERE d.id = due.id
          RETURNING d.*)
        SELECT c.*, l.lead, l.received_at, l.qualification, l.stage, l.contacted_at
        FROM claimed c JOIN ${t.leads} l ON l.id = c.lead_id
        ORDER BY c.next_at, c.id`;
      return rows.map(
        (r): ClaimedDelivery => ({
          ...toDelivery(r),
          lease,
          tries: r.tries,
          lead: JSON.parse(r.lead) as Lead,
          receivedAt: r.received_at,
          qualification: r.qualification === null ? null : (JSON.parse(r.qualification) as Qualification),
          stage: r.stage,
          contactedAt: r.contacted_at,
        }),
      );
    },

    recordAttempt(record) {
      return recorder.record(record);
    },

    async releaseLeases(leases) {
      if (leases.length === 0) return;
      await sql`
        UPDATE ${t.deliveries} d SET leased_until = NULL, lease = NULL
        FROM unnest(${leases.map((l) => l.deliveryId)}::bigint[], ${leases.map((l) => l.lease)}::text[])
          AS r(id, lease)
        WHERE d.id = r.id AND d.lease = r.lease`;
    },

    async retryDelivery(id, now) {
      const r = await sql`
        UPDATE ${t.deliveries} SET status = 'pending', next_at = ${now}, tries = 0, permanent = false,
          updated_at = ${now}
        WHERE id = ${id}
          -- An erased lead has nothing left to deliver.
          AND NOT EXISTS (SELECT 1 FROM ${t.leads} l WHERE l.id = lead_id AND l.erased_at IS NOT NULL)`;
      return notify(r.count === 1, r.count > 0);
    },

    async replayLead(leadId, now) {
      const r = await sql`
        UPDATE ${t.deliveries} SET status = 'pending', next_at = ${now}, tries = 0, permanent = false,
          updated_at = ${now}
        WHERE lead_id = ${leadId}
          -- An erased lead has nothing left to deliver.
          AND NOT EXISTS (SELECT 1 FROM ${t.leads} l WHERE l.id = lead_id AND l.erased_at IS NOT NULL)`;
      return notify(r.count, r.count > 0);
    },

    async replayFailedSince(since, now) {
      const r = await sql`
        UPDATE ${t.deliveries} SET status = 'pending', next_at = ${now}, tries = 0, permanent = false,
          updated_at = ${now}
        WHERE status = 'failed' AND updated_at >= ${since}
          -- An erased lead has nothing left to deliver.
          AND NOT EXISTS (SELECT 1 FROM ${t.leads} l WHERE l.id = lead_id AND l.erased_at IS NOT NULL)`;
      return notify(r.count, r.count > 0);
    },

    async releaseSpam(leadId, destinations, now) {
      const [row] = await sql<{ released: number }[]>`
        WITH u AS (
          UPDATE ${t.leads} SET spam_reason = NULL WHERE id = ${leadId} AND spam_reason IS NOT NULL
          RETURNING id),
        d AS (
          INSERT INTO ${t.deliveries} (lead_id, destination, status, next_at, created_at, updated_at)
          SELECT u.id, dest, 'pending', ${now}, ${now}, ${now}
          FROM u CROSS JOIN unnest(${[...destinations]}::text[]) AS dest
          ON CONFLICT (lead_id, destination) DO NOTHING)
        SELECT count(*)::int AS released FROM u`;
      return notify(row!.released === 1, row!.released === 1);
    },

    async recordOutcome(o) {
      return sql.begin(async (tx) => {
        // The row lock orders concurrent outcomes of one lead, so the stage is computed from all of them.
        const [lead] = await tx<{ intake_stage: Stage; stage: Stage }[]>`
          SELECT intake_stage, stage FROM ${t.leads} WHERE id = ${o.leadId} FOR UPDATE`;
        if (!lead)
          return { found: false, created: false, stage: 'lead' as Stage, previousStage: 'lead' as Stage };
        const inserted = await tx`
          INSERT INTO ${t.outcomes} (lead_id, key, status, amount, currency, reason, at, received_at)
          VALUES (${o.leadId}, ${o.key}, ${o.status}, ${o.amount ?? null}, ${o.currency ?? null},
            ${o.reason ?? null}, ${o.at}, ${o.receivedAt})
          ON CONFLICT (lead_id, key) DO NOTHING RETURNING seq`;
        if (inserted.length === 0) {
          return { found: true, created: false, stage: lead.stage, previousStage: lead.stage };
        }
        const outcomes = await tx<{ status: OutcomeStatus; at: number }[]>`
          SELECT status, at FROM ${t.outcomes} WHERE lead_id = ${o.leadId} ORDER BY seq`;
        const stage = stageOf(lead.intake_stage, outcomes);
        await tx`
          UPDATE ${t.leads} SET stage = ${stage}, contacted_at = ${contactedAt(outcomes)}
          WHERE id = ${o.leadId}`;
        return { found: true, created: true, stage, previousStage: lead.stage };
      });
    },

    async listOutcomes(leadId) {
      const rows = await sql<
        {
          key: string;
          status: OutcomeStatus;
          amount: number | null;
          currency: string | null;
          reason: string | null;
          at: number;
          received_at: number;
        }[]
      >`SELECT key, status, amount, currency, reason, at, received_at FROM ${t.outcomes}
        WHERE lead_id = ${leadId} ORDER BY seq`;
      return rows.map(
        (r): OutcomeRow => ({
          key: r.key,
          status: r.status,
          amount: r.amount,
          currency: r.currency,
          reason: r.reason,
          at: r.at,
          receivedAt: r.received_at,
        }),
      );
    },

    async addDeliveries(leadId, destinations, now) {
      if (destinations.length === 0) return [];
      const rows = await sql<{ destination: string }[]>`
        INSERT INTO ${t.deliveries} (lead_id, destination, status, next_at, created_at, updated_at)
        SELECT l.id, dest, 'pending', ${now}, ${now}, ${now}
        FROM ${t.leads} l CROSS JOIN unnest(${[...destinations]}::text[]) AS dest
        WHERE l.id = ${leadId} AND l.spam_reason IS NULL
        ON CONFLICT (lead_id, destination) DO NOTHING
        RETURNING destination`;
      const created = new Set(rows.map((r) => r.destination));
      return notify(
        destinations.filter((d) => created.has(d)),
        rows.length > 0,
      );
    },

    async nextCounter(name) {
      const [row] = await sql<{ value: number }[]>`
        INSERT INTO ${t.counters} (name, value) VALUES (${name}, 1)
        ON CONFLICT (name) DO UPDATE SET value = ${t.counters}.value + 1
        RETURNING value`;
      return row!.value;
    },

    async funnelRows(o = {}) {
      const rows = await sql<(FunnelRecord & { outcomes: FunnelRow['outcomes'] })[]>`
        SELECT l.id, l.received_at, l.first_channel, l.first_campaign, l.first_at, l.channel, l.last_campaign,
          l.last_at, l.intake_stage, l.stage,
          coalesce((
            SELECT json_agg(json_build_object('status', o.status, 'at', o.at, 'amount', o.amount,
              'currency', o.currency) ORDER BY o.seq)
            FROM ${t.outcomes} o WHERE o.lead_id = l.id), '[]') AS outcomes
        FROM ${t.leads} l
        WHERE l.spam_reason IS NULL
          ${o.from === undefined ? sql`` : sql`AND l.received_at >= ${o.from}`}
          ${o.to === undefined ? sql`` : sql`AND l.received_at < ${o.to}`}
        ORDER BY l.received_at, l.id`;
      return rows.map((r) => toFunnelRow(r, r.outcomes));
    },

    async eraseByEmail(email, now) {
      const address = normalizeEmail(email);
      return sql.begin(async (tx) => {
        const leads = await tx<{ id: string; lead: string }[]>`
          SELECT id, lead FROM ${t.leads} WHERE email = ${address} FOR UPDATE`;
        for (const l of leads) {
          const erased = JSON.stringify(eraseLeadData(JSON.parse(l.lead) as Lead));
          await tx`
            UPDATE ${t.leads} SET lead = ${erased}, ip = NULL, email = NULL, erased_at = ${now}
            WHERE id = ${l.id}`;
        }
        const ids = leads.map((l) => l.id);
        // Pending rows would deliver an empty lead: they fail for good, saying why.
        await tx`
          UPDATE ${t.deliveries} SET
            status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END,
            permanent = CASE WHEN status = 'pending' THEN true ELSE permanent END,
            last_error = CASE WHEN status = 'pending' THEN 'erased' ELSE NULL END,
            last_detail = NULL, next_at = NULL, leased_until = NULL, lease = NULL, updated_at = ${now}
          WHERE lead_id = ANY(${ids}::text[])`;
        // Receivers' error texts can echo the address, outcome reasons too.
        await tx`
          UPDATE ${t.attempts} SET reason = NULL
          WHERE delivery_id IN (SELECT id FROM ${t.deliveries} WHERE lead_id = ANY(${ids}::text[]))`;
        await tx`UPDATE ${t.outcomes} SET reason = NULL WHERE lead_id = ANY(${ids}::text[])`;
        await tx`
          INSERT INTO ${t.erasures} (at, email_sha256, leads) VALUES (${now}, ${emailSha256(address)}, ${leads.length})`;
        return { leads: leads.length };
      });
    },

    async latestLeadIdByEmail(email) {
      const [r] = await sql<{ id: string }[]>`
        SELECT id FROM ${t.leads} WHERE email = ${normalizeEmail(email)} AND spam_reason IS NULL
        ORDER BY received_at DESC, id LIMIT 1`;
      return r?.id;
    },

    async listErasures() {
      const rows = await sql<{ at: number; email_sha256: string; leads: number }[]>`
        SELECT at, email_sha256, leads FROM ${t.erasures} ORDER BY id`;
      return rows.map((r) => ({ at: r.at, emailSha256: r.email_sha256, leads: r.leads }));
    },

    async purge(before) {
      const r = await sql`DELETE FROM ${t.leads} WHERE received_at < ${before}`;
      return r.count;
    },

    async onQueued(listener) {
      // A dedicated connection (Postgres.js reconnects and listens again after a drop). Needs a direct or
      // session-mode connection: transaction-mode poolers do not carry LISTEN; polling still works there.
      await sql.listen(channel, () => listener());
    },

    async ping() {
      try {
        const [r] = await sql<{ ok: number }[]>`SELECT 1 AS ok`;
        return r?.ok === 1;
      } catch {
        return false;
      }
    },

    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

/** Connection-level failures after which the statement may not have run; safe to resend when idempotent. */
// 57P01-03: the server ended the session (an admin, a shutdown, a crash recovery) before our statement.
const DISCONNECTED = new Set(['CONNECTION_CLOSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03']);

/** Thrown to roll back a save that took a turn for a lead id already stored. */
const REPEAT = Symbol('repeat');

async function onceMoreIfDisconnected<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!DISCONNECTED.has((error as { code?: string }).code ?? '')) throw error;
    return run();
  }
}

/**
 * Records attempts in batches: while one batch's statement runs, finished attempts queue and go in the
 * next, so a busy worker pays one round trip and one commit per batch instead of per delivery (the
 * same group commit the SQLite store does per tick). Each row moves on only while its lease holds.
 */
function createAttemptRecorder(
  sql: Sql,
  deliveries: Helper<string, []>,
  attempts: Helper<string, []>,
): { record(a: AttemptRecord): Promise<boolean> } {
  type Pending = { a: AttemptRecord; resolve: (ok: boolean) => void; reject: (e: unknown) => void };
  let queue: Pending[] = [];
  let running = false;

  const write = async (batch: Pending[]) => {
    const rows = batch.map(({ a }) => {
      const status: DeliveryStatus =
        a.outcome === 'ok'
          ? 'delivered'
          : a.outcome === 'retry' && a.nextAt !== undefined
            ? 'pending'
            : 'failed';
      const now = a.startedAt + a.durationMs;
      return {
        status,
        nextAt: status === 'pending' ? (a.nextAt ?? null) : null,
        lastError: a.outcome === 'ok' ? null : (a.reason ?? null),
        lastDetail: a.outcome === 'ok' ? (a.reason ?? null) : null,
        deliveredAt: a.outcome === 'ok' ? now : null,
        now,
      };
    });
    const col = <T>(f: (a: AttemptRecord, i: number) => T) => batch.map((p, i) => f(p.a, i));
    // Position in the batch (n) tells the answers apart when one row appears twice (a stale lease).
    const done = await sql<{ n: number }[]>`
      WITH input AS (
        SELECT * FROM unnest(
          ${col((_, i) => i)}::int[], ${col((a) => a.deliveryId)}::bigint[], ${col((a) => a.lease)}::text[],
          ${col((_, i) => rows[i]!.status)}::text[], ${col((_, i) => rows[i]!.nextAt)}::bigint[],
          ${col((a) => a.status ?? null)}::int[], ${col((_, i) => rows[i]!.lastError)}::text[],
          ${col((_, i) => rows[i]!.lastDetail)}::text[], ${col((a) => a.outcome === 'fail')}::bool[],
          ${col((_, i) => rows[i]!.deliveredAt)}::bigint[], ${col((_, i) => rows[i]!.now)}::bigint[],
          ${col((a) => a.startedAt)}::bigint[], ${col((a) => Math.round(a.durationMs))}::int[],
          ${col((a) => a.outcome)}::text[], ${col((a) => a.reason ?? null)}::text[])
        AS i(n, id, lease, status, next_at, last_status, last_error, last_detail, permanent, delivered_at, now,
          started_at, duration_ms, outcome, reason)),
      f AS (
        UPDATE ${deliveries} d SET attempts = d.attempts + 1, tries = d.tries + 1, status = i.status,
          next_at = i.next_at, leased_until = NULL, lease = NULL, last_status = i.last_status,
          last_error = i.last_error, last_detail = i.last_detail, permanent = i.permanent,
          delivered_at = i.delivered_at, updated_at = i.now
        FROM input i WHERE d.id = i.id AND d.lease = i.lease
        RETURNING d.id, d.attempts, i.n),
      logged AS (
        INSERT INTO ${attempts} (delivery_id, attempt, started_at, duration_ms, outcome, status, reason)
        SELECT f.id, f.attempts, i.started_at, i.duration_ms, i.outcome, i.last_status, i.reason
        FROM f JOIN input i ON i.n = f.n)
      SELECT n FROM f`;
    const ok = new Set(done.map((r) => r.n));
    batch.forEach((p, i) => {
      p.resolve(ok.has(i));
    });
  };
  const flush = () => {
    if (running || queue.length === 0) return;
    const batch = queue;
    queue = [];
    running = true;
    write(batch)
      .catch((error) => {
        for (const p of batch) p.reject(error);
      })
      .finally(() => {
        running = false;
        flush();
      });
  };
  return {
    record(a) {
      return new Promise((resolve, reject) => {
        queue.push({ a, resolve, reject });
        // Let the attempts finishing in this tick join the batch.
        if (queue.length === 1 && !running) queueMicrotask(flush);
      });
    },
  };
}
