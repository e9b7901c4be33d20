/**
 * The embedded store: one SQLite file (better-sqlite3) in WAL mode. A resolved `saveLead` survives power
 * loss: saves that arrive in the same tick share one transaction, and every caller hears back after one
 * fsync of the WAL that started after that commit (group commit, see ./wal-sync.ts). The fsync runs off
 * the JavaScript thread, so requests keep being served while the disk works.
 */
import { randomUUID } from 'node:crypto';
import { resolve as resolvePath } from 'node:path';
import type { Lead } from '@leadkit/core/lead';
import Database from 'better-sqlite3';
import { leadEmail } from '../email.js';
import { emailSha256, eraseLeadData, normalizeEmail } from '../erase.js';
import { contactedAt, stageOf } from '../lifecycle.js';
import { MIGRATIONS } from './migrations.js';
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
  NewOutcome,
  OutcomeRow,
  OutcomeStatus,
  Stage,
  Store,
  StoredLead,
} from './types.js';
import { createWalSync, type WalSync } from './wal-sync.js';

/** The database file cannot be opened or was written by a newer version. */
export class StoreError extends Error {
  override name = 'StoreError';
}

/** The columns a StoredLead is read from. */
const LEAD_COLUMNS = 'lead, received_at, spam_reason, ip, qualification, stage, contacted_at, erased_at';

export interface SqliteStoreOptions {
  /** File path, or ':memory:' for throwaway use. */
  path: string;
  /** Refuse to create a new file (inspection commands). */
  fileMustExist?: boolean;
  /** Wait this long for another process's write lock (the CLI, a second worker). Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Replaces the WAL fdatasync (tests hold it to watch commits wait for the disk). */
  syncWal?: (fd: number, done: (error: Error | null) => void) => void;
}

export type SqliteStore = Store & {
  /** The underlying connection, for tests and diagnostics. */
  readonly db: Database.Database;
};

function migrate(db: Database.Database, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new StoreError(
      `${path} has schema version ${version}, newer than this @leadkit/webhook knows (${MIGRATIONS.length}); upgrade the package.`,
    );
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  let db: Database.Database;
  try {
    db = new Database(options.path, { fileMustExist: options.fileMustExist ?? false });
  } catch (cause) {
    throw new StoreError(
      `Cannot open the SQLite store at ${options.path}: ${(cause as Error).message}. Check the path exists and is writable.`,
      { cause },
    );
  }
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  const journal = db.pragma('journal_mode = WAL', { simple: true });
  // WAL + NORMAL: commits write the WAL without an fsync; `durable()` adds the one FULL would, off the
  // thread. Where WAL is unavailable (some network filesystems), SQLite syncs every commit itself.
  db.pragma(journal === 'wal' ? 'synchronous = NORMAL' : 'synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Freed space (an erased lead's old row, a split page's moved cells) is zeroed, so an erased address
  // cannot be read back from the file's unused bytes.
  db.pragma('secure_delete = ON');
  migrate(db, options.path);
  const wal: Pick<WalSync, 'durable' | 'closeSync' | 'failure'> =
    journal === 'wal'
      ? createWalSync({
          walPath: `${resolvePath(options.path)}-wal`,
          sync: options.syncWal,
          syncError: (cause) =>
            new StoreError(
              `Cannot sync ${options.path}-wal to disk (${cause.message}); leads since the last sync may not be durable. Check the disk, then restart the server.`,
              { cause },
            ),
        })
      : // In-memory databases (tests, benches) have nothing to sync.
        { durable: () => Promise.resolve(), closeSync: () => {}, failure: undefined };

  const q = {
    insertLead: db.prepare(
      `INSERT INTO leads (id, form_id, received_at, lead, channel, spam_reason, ip, email, score, grade,
         qualification, intake_stage, stage, first_channel, first_campaign, first_at, last_campaign, last_at)
       VALUES (@id, @formId, @receivedAt, @lead, @channel, @spamReason, @ip, @email, @score, @grade,
         @qualification, @stage, @stage, @firstChannel, @firstCampaign, @firstAt, @lastCampaign, @lastAt)
       ON CONFLICT (id) DO NOTHING`,
    ),
    insertDelivery: db.prepare(
      `INSERT INTO deliveries (lead_id, destination, status, next_at, created_at, updated_at)
       VALUES (?, ?, 'pending', ?, ?, ?) ON CONFLICT (lead_id, destination) DO NOTHING`,
    ),
    getLead: db.prepare(`SELECT ${LEAD_COLUMNS} FROM leads WHERE id = ?`),
    leadExists: db.prepare('SELECT 1 AS ok FROM leads WHERE id = ?'),
    getDelivery: db.prepare('SELECT * FROM deliveries WHERE id = ?'),
    claim: db.prepare(
      `UPDATE deliveries SET leased_until = @until, lease = @lease
       WHERE id IN (
         SELECT id FROM deliveries INDEXED BY deliveries_due
         WHERE status = 'pending' AND next_at <= @now
           AND (leased_until IS NULL OR leased_until <= @now)
           AND destination IN (SELECT value FROM json_each(@destinations))
         ORDER BY next_at LIMIT @limit)
       RETURNING *`,
    ),
    leadsByIds: db.prepare(
      `SELECT id, ${LEAD_COLUMNS} FROM leads WHERE id IN (SELECT value FROM json_each(?))`,
    ),
    finish: db.prepare(
      `UPDATE deliveries SET attempts = attempts + 1, tries = tries + 1, status = @status, next_at = @nextAt,
         leased_until = NULL, lease = NULL, last_status = @lastStatus, last_error = @lastError,
         last_detail = @lastDetail,
         permanent = @permanent, delivered_at = @deliveredAt, updated_at = @now
       WHERE id = @id AND lease = @lease
       RETURNING attempts`,
    ),
    insertAttempt: db.prepare(
      `INSERT INTO attempts (delivery_id, attempt, started_at, duration_ms, outcome, status, reason)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    release: db.prepare('UPDATE deliveries SET leased_until = NULL, lease = NULL WHERE id = ? AND lease = ?'),
    retryOne: db.prepare(
      `UPDATE deliveries SET status = 'pending', next_at = @now, tries = 0, permanent = 0, updated_at = @now
       WHERE id = @id
         -- An erased lead has nothing left to deliver.
         AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = lead_id AND l.erased_at IS NOT NULL)`,
    ),
    replayLead: db.prepare(
      `UPDATE deliveries SET status = 'pending', next_at = @now, tries = 0, permanent = 0, updated_at = @now
       WHERE lead_id = @leadId
         AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = lead_id AND l.erased_at IS NOT NULL)`,
    ),
    replayFailed: db.prepare(
      `UPDATE deliveries SET status = 'pending', next_at = @now, tries = 0, permanent = 0, updated_at = @now
       WHERE status = 'failed' AND updated_at >= @since
         AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = lead_id AND l.erased_at IS NOT NULL)`,
    ),
    unspam: db.prepare(
      'UPDATE leads SET spam_reason = NULL WHERE id = ? AND spam_reason IS NOT NULL RETURNING id',
    ),
    attempts: db.prepare(
      `SELECT attempt, started_at, duration_ms, outcome, status, reason FROM attempts
       WHERE delivery_id = ? ORDER BY attempt`,
    ),
    byChannel: db.prepare(
      `SELECT channel, count(*) AS count FROM leads WHERE spam_reason IS NULL AND received_at >= ?
       GROUP BY channel ORDER BY count DESC`,
    ),
    purge: db.prepare('DELETE FROM leads WHERE received_at < ?'),
    nextCounter: db.prepare(
      `INSERT INTO counters (name, value) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
    ),
    ping: db.prepare('SELECT 1 AS ok'),
    leadStages: db.prepare('SELECT intake_stage, stage FROM leads WHERE id = ?'),
    insertOutcome: db.prepare(
      `INSERT INTO outcomes (lead_id, key, status, amount, currency, reason, at, received_at)
       VALUES (@leadId, @key, @status, @amount, @currency, @reason, @at, @receivedAt)
       ON CONFLICT (lead_id, key) DO NOTHING`,
    ),
    // rowid is insertion order: a later report of the same time wins ties (see stageOf).
    outcomes: db.prepare(
      `SELECT key, status, amount, currency, reason, at, received_at FROM outcomes
       WHERE lead_id = ? ORDER BY rowid`,
    ),
    setStage: db.prepare('UPDATE leads SET stage = ?, contacted_at = ? WHERE id = ?'),
    notSpam: db.prepare('SELECT 1 AS ok FROM leads WHERE id = ? AND spam_reason IS NULL'),
    leadsByEmail: db.prepare('SELECT id, lead FROM leads WHERE email = ?'),
    eraseLead: db.prepare(
      'UPDATE leads SET lead = @lead, ip = NULL, email = NULL, erased_at = @now WHERE id = @id',
    ),
    // Pending rows would deliver an empty lead: they fail for good, saying why.
    eraseDeliveries: db.prepare(
      `UPDATE deliveries SET
         status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END,
         permanent = CASE WHEN status = 'pending' THEN 1 ELSE permanent END,
         last_error = CASE WHEN status = 'pending' THEN 'erased' ELSE NULL END,
         last_detail = NULL, next_at = NULL, leased_until = NULL, lease = NULL, updated_at = @now
       WHERE lead_id IN (SELECT value FROM json_each(@ids))`,
    ),
    // Receivers' error texts can echo the address ("contact ada@… exists"), outcome reasons too.
    eraseAttempts: db.prepare(
      `UPDATE attempts SET reason = NULL WHERE delivery_id IN
         (SELECT id FROM deliveries WHERE lead_id IN (SELECT value FROM json_each(?)))`,
    ),
    eraseOutcomes: db.prepare(
      'UPDATE outcomes SET reason = NULL WHERE lead_id IN (SELECT value FROM json_each(?))',
    ),
    insertErasure: db.prepare('INSERT INTO erasures (at, email_sha256, leads) VALUES (?, ?, ?)'),
    erasures: db.prepare('SELECT at, email_sha256, leads FROM erasures ORDER BY id'),
    latestByEmail: db.prepare(
      `SELECT id FROM leads WHERE email = ? AND spam_reason IS NULL ORDER BY received_at DESC, id LIMIT 1`,
    ),
  };

  const insertLead = (saving: NewLead): boolean => {
    let input = saving;
    if (input.turn) {
      // The turn is taken inside the save's transaction (always IMMEDIATE, so no other process takes one
      // in between): if the save fails, the rollback gives it back. A repeat id takes no turn.
      if (q.leadExists.get(input.lead.id)) return false;
      const turn = (q.nextCounter.get(input.turn.counter) as { value: number }).value;
      input = { ...input, ...input.turn.decide(turn) };
    }
    const { lead, qualification } = input;
    const first = lead.attribution?.firstTouch;
    const last = lead.attribution?.lastTouch;
    const created =
      q.insertLead.run({
        id: lead.id,
        formId: lead.formId,
        receivedAt: input.receivedAt,
        lead: JSON.stringify(lead),
        channel: last?.channel ?? null,
        spamReason: input.spamReason ?? null,
        ip: input.ip ?? null,
        email: leadEmail(lead) ?? null,
        score: qualification?.score ?? null,
        grade: qualification?.grade ?? null,
        qualification: qualification ? JSON.stringify(qualification) : null,
        stage: qualification?.stage ?? 'lead',
        firstChannel: first?.channel ?? null,
        firstCampaign: first?.campaign ?? null,
        firstAt: touchTime(first?.timestamp),
        lastCampaign: last?.campaign ?? null,
        lastAt: touchTime(last?.timestamp),
      }).changes === 1;
    if (created && input.spamReason === undefined) {
      for (const d of input.destinations) {
        q.insertDelivery.run(lead.id, d, input.receivedAt, input.receivedAt, input.receivedAt);
      }
      for (const s of input.scheduled ?? []) {
        q.insertDelivery.run(lead.id, s.destination, s.at, input.receivedAt, input.receivedAt);
      }
    }
    return created;
  };
  const insertOne = db.transaction(insertLead);
  const insertAll = db.transaction((batch: { input: NewLead }[]) => batch.map((p) => insertLead(p.input)));

  // Group commit: one transaction, then one WAL sync, per batch. While a batch waits for its sync, new
  // saves queue up and become the next batch, so batches grow with the load instead of being one lead per
  // tick (each commit rewrites the tail page of every index: six pages for a batch of one). Every caller
  // is answered after its batch's sync, repeats too: the first save of that id may be in the same batch.
  type Pending = { input: NewLead; resolve: (r: { created: boolean }) => void; reject: (e: unknown) => void };
  let queue: Pending[] = [];
  let syncing = false;
  /** Commits a batch; if the transaction fails, each save is retried alone so one bad lead fails alone. */
  const commit = (batch: Pending[]): { save: Pending; created: boolean }[] => {
    try {
      const created = insertAll.immediate(batch);
      return batch.map((save, i) => ({ save, created: created[i]! }));
    } catch {
      const committed: { save: Pending; created: boolean }[] = [];
      for (const save of batch) {
        try {
          committed.push({ save, created: insertOne.immediate(save.input) });
        } catch (error) {
          save.reject(error);
        }
      }
      return committed;
    }
  };
  /** Commits the queue and answers it after the sync; `closing` commits even while a sync runs. */
  const flush = (closing = false) => {
    if ((syncing && !closing) || queue.length === 0) return;
    const committed = commit(queue);
    queue = [];
    syncing = true;
    wal
      .durable()
      .then(
        () => {
          for (const c of committed) c.save.resolve({ created: c.created });
        },
        (error) => {
          for (const c of committed) c.save.reject(error);
        },
      )
      .finally(() => {
        syncing = false;
        flush();
      });
  };
  /** Runs a write and resolves with its result once it is on disk (admin and CLI actions). */
  const durably = async <T>(write: () => T): Promise<T> => {
    const result = write();
    await wal.durable();
    return result;
  };

  const claim = db.transaction(
    (o: { now: number; limit: number; leaseMs: number; destinations: readonly string[] }) => {
      const lease = randomUUID();
      const rows = q.claim.all({
        now: o.now,
        until: o.now + o.leaseMs,
        lease,
        limit: o.limit,
        destinations: JSON.stringify(o.destinations),
      }) as DeliveryRecord[];
      if (rows.length === 0) return [];
      const leads = new Map<string, StoredLead>();
      const ids = JSON.stringify([...new Set(rows.map((r) => r.lead_id))]);
      for (const l of q.leadsByIds.all(ids) as (LeadRecord & { id: string })[]) leads.set(l.id, toLead(l));
      return rows.map((r): ClaimedDelivery => {
        const l = leads.get(r.lead_id)!;
        return {
          ...toDelivery(r),
          lease,
          tries: r.tries,
          lead: l.lead,
          receivedAt: l.receivedAt,
          qualification: l.qualification,
          stage: l.stage,
          contactedAt: l.contactedAt,
        };
      });
    },
  );

  const recordOne = (a: AttemptRecord): boolean => {
    const now = a.startedAt + a.durationMs;
    const status: DeliveryStatus =
      a.outcome === 'ok'
        ? 'delivered'
        : a.outcome === 'retry' && a.nextAt !== undefined
          ? 'pending'
          : 'failed';
    const row = q.finish.get({
      id: a.deliveryId,
      lease: a.lease,
      status,
      nextAt: status === 'pending' ? a.nextAt : null,
      lastStatus: a.status ?? null,
      lastError: a.outcome === 'ok' ? null : (a.reason ?? null),
      lastDetail: a.outcome === 'ok' ? (a.reason ?? null) : null,
      permanent: a.outcome === 'fail' ? 1 : 0,
      deliveredAt: a.outcome === 'ok' ? now : null,
      now,
    }) as { attempts: number } | undefined;
    if (!row) return false;
    q.insertAttempt.run(
      a.deliveryId,
      row.attempts,
      a.startedAt,
      Math.round(a.durationMs),
      a.outcome,
      a.status ?? null,
      a.reason ?? null,
    );
    return true;
  };
  const recordAll = db.transaction((batch: AttemptRecord[]) => batch.map(recordOne));

  // Worker bookkeeping (claims, outcomes, released leases) does not wait for a sync: losing the last few
  // to a power cut only makes rows due again, which at-least-once delivery allows (receivers dedupe on
  // webhook-id). The next sync (a saved lead) makes them durable with it; the WAL is append-only.

  // Outcomes finishing in the same tick share one transaction, like saves.
  type PendingRecord = {
    record: AttemptRecord;
    resolve: (ok: boolean) => void;
    reject: (e: unknown) => void;
  };
  let records: PendingRecord[] = [];
  const flushRecords = () => {
    const batch = records;
    records = [];
    if (batch.length === 0) return;
    try {
      const results = recordAll.immediate(batch.map((p) => p.record));
      batch.forEach((p, i) => {
        p.resolve(results[i]!);
      });
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  };

  const recordOutcome = db.transaction((o: NewOutcome) => {
    const lead = q.leadStages.get(o.leadId) as { intake_stage: Stage; stage: Stage } | undefined;
    if (!lead)
      return { found: false, created: false, stage: 'lead' as Stage, previousStage: 'lead' as Stage };
    const created =
      q.insertOutcome.run({
        leadId: o.leadId,
        key: o.key,
        status: o.status,
        amount: o.amount ?? null,
        currency: o.currency ?? null,
        reason: o.reason ?? null,
        at: o.at,
        receivedAt: o.receivedAt,
      }).changes === 1;
    if (!created) return { found: true, created, stage: lead.stage, previousStage: lead.stage };
    const outcomes = q.outcomes.all(o.leadId) as { status: OutcomeStatus; at: number }[];
    const stage = stageOf(lead.intake_stage, outcomes);
    q.setStage.run(stage, contactedAt(outcomes), o.leadId);
    return { found: true, created, stage, previousStage: lead.stage };
  });

  const addDeliveries = db.transaction((leadId: string, destinations: readonly string[], now: number) => {
    if (!q.notSpam.get(leadId)) return [];
    return destinations.filter((d) => q.insertDelivery.run(leadId, d, now, now, now).changes === 1);
  });

  const erase = db.transaction((address: string, now: number) => {
    const rows = q.leadsByEmail.all(address) as { id: string; lead: string }[];
    for (const r of rows) {
      const lead = JSON.stringify(eraseLeadData(JSON.parse(r.lead) as Lead));
      q.eraseLead.run({ id: r.id, lead, now });
    }
    const ids = JSON.stringify(rows.map((r) => r.id));
    q.eraseDeliveries.run({ ids, now });
    q.eraseAttempts.run(ids);
    q.eraseOutcomes.run(ids);
    q.insertErasure.run(now, emailSha256(address), rows.length);
    return rows.length;
  });

  const releaseSpam = db.transaction((leadId: string, destinations: readonly string[], now: number) => {
    if (!q.unspam.get(leadId)) return false;
    for (const d of destinations) q.insertDelivery.run(leadId, d, now, now, now);
    return true;
  });

  return {
    db,
    savesTurns: true,
    saveLead(input) {
      return new Promise((resolve, reject) => {
        // Saves of the same tick share a batch; while a sync runs, its completion flushes instead.
        if (queue.length === 0 && !syncing) setImmediate(flush);
        queue.push({ input, resolve, reject });
      });
    },
    getLead(id) {
      const r = q.getLead.get(id) as LeadRecord | undefined;
      return r && toLead(r);
    },
    listLeads(o = {}) {
      const where = [o.spam ? 'spam_reason IS NOT NULL' : 'spam_reason IS NULL'];
      const params: number[] = [];
      if (o.before !== undefined) {
        where.push('received_at < ?');
        params.push(o.before);
      }
      params.push(limitOf(o.limit, 50));
      const rows = db
        .prepare(
          `SELECT ${LEAD_COLUMNS} FROM leads WHERE ${where.join(' AND ')}
           ORDER BY received_at DESC, id LIMIT ?`,
        )
        .all(...params) as LeadRecord[];
      return rows.map(toLead);
    },
    listDeliveries(o = {}) {
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
      params.push(limitOf(o.limit, 100));
      const rows = db
        .prepare(
          `SELECT * FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY updated_at DESC, id DESC LIMIT ?`,
        )
        .all(...params) as DeliveryRecord[];
      return rows.map(toDelivery);
    },
    getDelivery(id) {
      const r = q.getDelivery.get(id) as DeliveryRecord | undefined;
      return r && toDelivery(r);
    },
    listAttempts(deliveryId) {
      return (
        q.attempts.all(deliveryId) as {
          attempt: number;
          started_at: number;
          duration_ms: number;
          outcome: AttemptRow['outcome'];
          status: number | null;
          reason: string | null;
        }[]
      ).map((r) => ({
        attempt: r.attempt,
        startedAt: r.started_at,
        durationMs: r.duration_ms,
        outcome: r.outcome,
        status: r.status,
        reason: r.reason,
      }));
    },
    countByChannel(since) {
      return q.byChannel.all(since) as { channel: string | null; count: number }[];
    },
    claimDue(o) {
      return claim.immediate(o);
    },
    recordAttempt(record) {
      return new Promise((resolve, reject) => {
        if (records.length === 0) setImmediate(flushRecords);
        records.push({ record, resolve, reject });
      });
    },
    releaseLeases(leases) {
      db.transaction(() => {
        for (const l of leases) q.release.run(l.deliveryId, l.lease);
      }).immediate();
    },
    retryDelivery(id, now) {
      return durably(() => q.retryOne.run({ id, now }).changes === 1);
    },
    replayLead(leadId, now) {
      return durably(() => q.replayLead.run({ leadId, now }).changes);
    },
    replayFailedSince(since, now) {
      return durably(() => q.replayFailed.run({ since, now }).changes);
    },
    releaseSpam(leadId, destinations, now) {
      return durably(() => releaseSpam.immediate(leadId, destinations, now));
    },
    recordOutcome(outcome) {
      // A 200 to the CRM promises the disk, like a lead's 202.
      return durably(() => recordOutcome.immediate(outcome));
    },
    listOutcomes(leadId) {
      return (
        q.outcomes.all(leadId) as {
          key: string;
          status: OutcomeStatus;
          amount: number | null;
          currency: string | null;
          reason: string | null;
          at: number;
          received_at: number;
        }[]
      ).map(
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
    addDeliveries(leadId, destinations, now) {
      return durably(() => addDeliveries.immediate(leadId, destinations, now));
    },
    async eraseByEmail(email, now) {
      const leads = await durably(() => erase.immediate(normalizeEmail(email), now));
      // The WAL still holds the pages as they were before; copy it into the file and empty it. Another
      // process reading (the CLI, a second worker) can hold the checkpoint back: try again briefly.
      for (let tries = 0; journal === 'wal' && tries < 20; tries++) {
        const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        if (r?.busy === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { leads };
    },
    latestLeadIdByEmail(email) {
      return (q.latestByEmail.get(normalizeEmail(email)) as { id: string } | undefined)?.id;
    },
    listErasures() {
      return (q.erasures.all() as { at: number; email_sha256: string; leads: number }[]).map((r) => ({
        at: r.at,
        emailSha256: r.email_sha256,
        leads: r.leads,
      }));
    },
    funnelRows(o = {}) {
      // Two scans (leads, then their outcomes in report order) joined in memory: no JSON, no N+1.
      const range = { from: o.from ?? Number.MIN_SAFE_INTEGER, to: o.to ?? Number.MAX_SAFE_INTEGER };
      const leads = db
        .prepare(
          `SELECT id, received_at, first_channel, first_campaign, first_at, channel, last_campaign, last_at,
             intake_stage, stage
           FROM leads WHERE spam_reason IS NULL AND received_at >= @from AND received_at < @to`,
        )
        .all(range) as FunnelRecord[];
      const rows = new Map<string, FunnelRow>();
      for (const r of leads) {
        rows.set(r.id, toFunnelRow(r, []));
      }
      // Without a period every outcome is wanted: skip the join (spam leads' outcomes find no row below).
      const outcomes = (
        o.from === undefined && o.to === undefined
          ? db.prepare('SELECT lead_id, status, at, amount, currency FROM outcomes ORDER BY rowid').all()
          : db
              .prepare(
                `SELECT o.lead_id, o.status, o.at, o.amount, o.currency FROM outcomes o JOIN leads l ON l.id = o.lead_id
                 WHERE l.spam_reason IS NULL AND l.received_at >= @from AND l.received_at < @to
                 ORDER BY o.rowid`,
              )
              .all(range)
      ) as {
        lead_id: string;
        status: OutcomeStatus;
        at: number;
        amount: number | null;
        currency: string | null;
      }[];
      for (const r of outcomes) {
        rows
          .get(r.lead_id)
          ?.outcomes.push({ status: r.status, at: r.at, amount: r.amount, currency: r.currency });
      }
      return [...rows.values()];
    },
    nextCounter(name) {
      return (q.nextCounter.get(name) as { value: number }).value;
    },
    purge(before) {
      // Deleted means deleted, also after a power cut.
      return durably(() => q.purge.run(before).changes);
    },
    ping() {
      return wal.failure === undefined && (q.ping.get() as { ok: number }).ok === 1;
    },
    close() {
      flush(true);
      flushRecords();
      wal.closeSync();
      db.close();
    },
  };
}
