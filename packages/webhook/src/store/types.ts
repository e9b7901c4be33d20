/**
 * The store contract: SQLite implements it now, PostgreSQL later. Every method may return a value or a
 * Promise; callers always await. Times are epoch milliseconds.
 */
import type { Lead } from '@leadkit/core/lead';

export type Awaitable<T> = T | Promise<T>;

/** pending: waiting for its next attempt (or in flight); delivered; failed: dead letter or permanent. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface NewLead {
  lead: Lead;
  receivedAt: number;
  /** Destination names to create outbox rows for (none when spam). */
  destinations: readonly string[];
  /** Set when the lead was flagged: it is kept in the spam list, with no outbox rows until released. */
  spamReason?: string;
  /** Only when the config says to store it. */
  ip?: string;
}

export interface StoredLead {
  lead: Lead;
  receivedAt: number;
  spamReason: string | null;
  ip: string | null;
}

export interface DeliveryRow {
  id: number;
  leadId: string;
  destination: string;
  status: DeliveryStatus;
  /** Attempts over the row's life; replays continue the count. */
  attempts: number;
  /** When it is next due (pending rows). */
  nextAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  /** What the destination said about its last success (e.g. "contact 51234 created"). */
  detail: string | null;
  /** The last failure was permanent (the destination refused the lead), not an exhausted schedule. */
  permanent: boolean;
  deliveredAt: number | null;
  updatedAt: number;
}

/** A row claimed for delivery, with its lead. Only the holder of `lease` may record its outcome. */
export interface ClaimedDelivery extends DeliveryRow {
  lease: string;
  /** Attempts since the row was created or last replayed: the position in the retry schedule. */
  tries: number;
  lead: Lead;
  receivedAt: number;
}

export interface AttemptRecord {
  deliveryId: number;
  lease: string;
  startedAt: number;
  durationMs: number;
  outcome: 'ok' | 'retry' | 'fail';
  status?: number | undefined;
  reason?: string | undefined;
  /** For `retry`: when to try again, or undefined to dead-letter (schedule spent). */
  nextAt?: number | undefined;
}

export interface AttemptRow {
  attempt: number;
  startedAt: number;
  durationMs: number;
  outcome: 'ok' | 'retry' | 'fail';
  status: number | null;
  reason: string | null;
}

export interface Store {
  /**
   * Saves the lead and one pending outbox row per destination in one transaction, committed durably before
   * it resolves. Idempotent on lead id: a repeat changes nothing and returns `{ created: false }`.
   */
  saveLead(input: NewLead): Awaitable<{ created: boolean }>;
  getLead(id: string): Awaitable<StoredLead | undefined>;
  /** Newest first. `spam: true` lists the spam list only; by default spam is excluded. */
  listLeads(options?: { limit?: number; before?: number; spam?: boolean }): Awaitable<StoredLead[]>;
  listDeliveries(options?: {
    status?: DeliveryStatus;
    leadId?: string;
    limit?: number;
  }): Awaitable<DeliveryRow[]>;
  getDelivery(id: number): Awaitable<DeliveryRow | undefined>;
  listAttempts(deliveryId: number): Awaitable<AttemptRow[]>;
  /** Counts of non-spam leads per last-touch channel (null = no attribution) since a time. */
  countByChannel(since: number): Awaitable<{ channel: string | null; count: number }[]>;

  /** Leases up to `limit` due pending rows of the given destinations until `now + leaseMs`. */
  claimDue(options: {
    now: number;
    limit: number;
    leaseMs: number;
    destinations: readonly string[];
  }): Awaitable<ClaimedDelivery[]>;
  /** Records an attempt and moves the row on; ignored (returns false) when the lease is no longer held. */
  recordAttempt(record: AttemptRecord): Awaitable<boolean>;
  /** Gives claimed rows back unattempted (graceful stop). */
  releaseLeases(leases: readonly { deliveryId: number; lease: string }[]): Awaitable<void>;

  /** Makes one delivery due now with a fresh retry schedule, whatever its status. */
  retryDelivery(id: number, now: number): Awaitable<boolean>;
  /** Makes all deliveries of a lead due now (resend). Returns how many. */
  replayLead(leadId: string, now: number): Awaitable<number>;
  /** Makes every failed delivery updated at or after `since` due now. Returns how many. */
  replayFailedSince(since: number, now: number): Awaitable<number>;
  /** Takes a lead off the spam list and creates its outbox rows. Returns false if it is not spam. */
  releaseSpam(leadId: string, destinations: readonly string[], now: number): Awaitable<boolean>;

  /** Deletes leads received before `before`, with their deliveries and attempts. Returns leads deleted. */
  purge(before: number): Awaitable<number>;
  /** True when the store can read and write. */
  ping(): Awaitable<boolean>;
  close(): Awaitable<void>;
}
