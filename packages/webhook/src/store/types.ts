/**
 * The store contract: SQLite implements it now, PostgreSQL later. Every method may return a value or a
 * Promise; callers always await. Times are epoch milliseconds.
 */
import type { Lead } from '@leadkit/core/lead';

export type Awaitable<T> = T | Promise<T>;

/** pending: waiting for its next attempt (or in flight); delivered; failed: dead letter or permanent. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/**
 * Lifecycle stage. `lead` or `mql` is set at intake (score against the threshold); outcomes move it on:
 * qualified → sql, won → customer, disqualified, lost. `contacted` records the time and keeps the stage.
 */
export type Stage = 'lead' | 'mql' | 'sql' | 'customer' | 'disqualified' | 'lost';
export type OutcomeStatus = 'contacted' | 'qualified' | 'disqualified' | 'won' | 'lost';

/** A sales rep from the config's owner list, as assigned to a lead. */
export interface Owner {
  name: string;
  email?: string | undefined;
  /** Slack member id (U…), mentioned in the Slack message. */
  slack?: string | undefined;
  /** Teams sign-in (UPN) or Entra object id, mentioned in the Teams card. */
  teams?: string | undefined;
  /** Discord user id (a snowflake), pinged in the Discord message. */
  discord?: string | undefined;
  /** The rep's id in the CRM (e.g. a HubSpot owner id), for field maps (`owner.id`). */
  id?: string | undefined;
}

/** What the server decided about a lead at intake; stored with it and sent to destinations. */
export interface Qualification {
  score: number;
  grade: string;
  /** The scoring rules that fired, in config order. */
  fired: { rule: string; points: number }[];
  /** Stage at intake: `mql` when the score reached the threshold, else `lead`. */
  stage: Stage;
  owner?: Owner | undefined;
}

export interface NewOutcome {
  leadId: string;
  /** Idempotency key (the `webhook-id` of a signed request, or the client's Idempotency-Key). */
  key: string;
  status: OutcomeStatus;
  amount?: number | undefined;
  /** ISO 4217, upper case. */
  currency?: string | undefined;
  reason?: string | undefined;
  /** When it happened in the CRM (defaults to receivedAt). */
  at: number;
  receivedAt: number;
}

export interface OutcomeRow {
  key: string;
  status: OutcomeStatus;
  amount: number | null;
  currency: string | null;
  reason: string | null;
  at: number;
  receivedAt: number;
}

/** One non-spam lead as the funnel report needs it: no personal data, so erased leads still count. */
export interface FunnelRow {
  leadId: string;
  receivedAt: number;
  /** First and last touch; null channel/campaign when the lead carried no attribution. */
  first: { channel: string | null; campaign: string | null; at: number | null };
  last: { channel: string | null; campaign: string | null; at: number | null };
  /** Stage at intake (from the qualification), or `lead` when there was none. */
  intakeStage: Stage;
  stage: Stage;
  outcomes: { status: OutcomeStatus; at: number; amount: number | null; currency: string | null }[];
}

export interface NewLead {
  lead: Lead;
  receivedAt: number;
  /** Destination names to create outbox rows for (none when spam). */
  destinations: readonly string[];
  /** Set when the lead was flagged: it is kept in the spam list, with no outbox rows until released. */
  spamReason?: string;
  /** Only when the config says to store it. */
  ip?: string;
  /** Score, grade, intake stage and owner; absent when no scoring or owners are configured. */
  qualification?: Qualification | undefined;
  /** Extra outbox rows due later (e.g. the speed-to-lead alert); not for spam. */
  scheduled?: readonly { destination: string; at: number }[] | undefined;
  /**
   * A round-robin turn taken in the save's own transaction, and only when the lead is new: the store
   * increments the counter `counter` and stores what `decide(turn)` returns in place of `qualification`,
   * `destinations` and `scheduled` (the owner, and where that owner routes the lead). A save that fails
   * leaves the counter as it was, so the retry gets the same turn; a repeat takes none. `decide` must be
   * synchronous and depend only on the turn: it may run again when the store retries its transaction, or
   * for a repeat whose turn is then rolled back.
   */
  turn?: { counter: string; decide(turn: number): TurnDecision } | undefined;
}

/** What a lead's round-robin turn decides: its qualification (with the owner) and its outbox rows. */
export type TurnDecision = Pick<NewLead, 'qualification' | 'destinations' | 'scheduled'>;

export interface StoredLead {
  lead: Lead;
  receivedAt: number;
  spamReason: string | null;
  ip: string | null;
  qualification: Qualification | null;
  /** Current lifecycle stage (intake stage moved on by outcomes). */
  stage: Stage;
  /** Time of the first `contacted` (or later) outcome: speed-to-lead is this minus receivedAt. */
  contactedAt: number | null;
  /** Set when the person's data was erased; the lead keeps only anonymous facts. */
  erasedAt: number | null;
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
  qualification: Qualification | null;
  stage: Stage;
  contactedAt: number | null;
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
   * True when `saveLead` honours `NewLead.turn` (the SQLite and PostgreSQL stores do). Without it, intake
   * takes a round-robin turn with `nextCounter` before saving, so a failed save spends that turn.
   */
  readonly savesTurns?: boolean;
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

  /**
   * Stores an outcome for a lead and moves its stage (see `Stage`). Idempotent on (leadId, key): a repeat
   * changes nothing. `found: false` when the lead does not exist.
   */
  recordOutcome(
    outcome: NewOutcome,
  ): Awaitable<{ found: boolean; created: boolean; stage: Stage; previousStage: Stage }>;
  /** The id of the newest non-spam lead with this email (case-insensitive), for outcomes sent by address. */
  latestLeadIdByEmail(email: string): Awaitable<string | undefined>;
  /** Oldest first. */
  listOutcomes(leadId: string): Awaitable<OutcomeRow[]>;
  /** Creates pending outbox rows for destinations the lead has none for (routing after a stage change). */
  addDeliveries(leadId: string, destinations: readonly string[], now: number): Awaitable<string[]>;
  /** Atomically increments a named counter and returns its new value, starting at 1 (round-robin). */
  nextCounter(name: string): Awaitable<number>;
  /** Non-spam leads received in [from, to), for the funnel report. */
  funnelRows(options?: { from?: number; to?: number }): Awaitable<FunnelRow[]>;
  /**
   * Removes the personal data of every lead whose email is `email` (case-insensitive): fields, consent
   * text, IP, page and landing URLs, referrers, ids, delivery error texts; cancels their pending
   * deliveries; keeps channel, campaign, score, stage and outcomes so reports stay true. Records the
   * erasure (a SHA-256 of the address, never the address). Returns how many leads were erased.
   */
  eraseByEmail(email: string, now: number): Awaitable<{ leads: number }>;
  listErasures(): Awaitable<{ at: number; emailSha256: string; leads: number }[]>;

  /** Deletes leads received before `before`, with their deliveries and attempts. Returns leads deleted. */
  purge(before: number): Awaitable<number>;
  /**
   * Calls `listener` whenever any process queues deliveries (PostgreSQL: LISTEN/NOTIFY), so a worker
   * starts at once instead of at its next poll. Optional: a store without it relies on polling.
   */
  onQueued?(listener: () => void): Awaitable<void>;
  /** True when the store can read and write. */
  ping(): Awaitable<boolean>;
  close(): Awaitable<void>;
}
