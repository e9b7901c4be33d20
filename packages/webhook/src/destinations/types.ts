import type { Lead } from '@leadkit/core/lead';
import type { Qualification, Stage } from '../store/types.js';

/** What every destination gets besides the lead. */
export interface DeliveryContext {
  /** 1 for the first attempt, 2 for the first retry, ... Replays continue the count. */
  attempt: number;
  /** fetch guarded against SSRF (see ../ssrf.ts); destinations must use it, never the global fetch. */
  fetch: typeof fetch;
  /** Aborts at the per-attempt timeout (default 15 s). */
  signal: AbortSignal;
  /** Time of this attempt. */
  now: Date;
  /** When the server accepted the lead (stable across attempts); absent outside the worker. */
  receivedAt?: Date;
  /** Score, grade, fired rules, intake stage and owner; absent without `scoring` or `owners`. */
  qualification?: Qualification | undefined;
  /** Current lifecycle stage (the intake stage moved on by outcomes); absent outside the worker. */
  stage?: Stage | undefined;
  /** When the CRM first reported an outcome for the lead (speed-to-lead); absent until then. */
  contactedAt?: Date | undefined;
}

/**
 * The outcome of one delivery attempt.
 * - ok: the destination accepted the lead (2xx within the timeout).
 * - retry: a transient failure (network, timeout, 3xx, 429, 5xx); `afterMs` honours Retry-After.
 * - fail: a permanent failure (validation error, bad credentials); no more retries, shown as such.
 */
export type DeliveryResult =
  | { kind: 'ok'; status?: number; detail?: string }
  | { kind: 'retry'; reason: string; status?: number; afterMs?: number }
  | { kind: 'fail'; reason: string; status?: number };

export interface Destination {
  readonly name: string;
  readonly type: string;
  deliver(lead: Lead, ctx: DeliveryContext): Promise<DeliveryResult>;
}
