/**
 * The delivery worker: claims due outbox rows with a lease, delivers each with a per-attempt timeout, and
 * records the outcome (delivered, retry at a time from the schedule, or failed). A crash leaves leases that
 * expire, so another run re-claims the rows: at-least-once, never lost.
 */
import type { DeliveryResult, Destination } from './destinations/types.js';
import { type Logger, silentLogger } from './log.js';
import { DEFAULT_RETRY_DELAYS_MS, nextDelayMs } from './schedule.js';
import { findSsrfError } from './ssrf-rules.js';
import type { ClaimedDelivery, Store } from './store/types.js';

export interface WorkerDestination {
  destination: Destination;
  /** Waits before each retry; defaults to Svix's schedule. */
  delaysMs?: readonly number[];
  /** Per-attempt timeout; defaults to the worker's. */
  timeoutMs?: number;
}

export interface WorkerOptions {
  store: Store;
  destinations: readonly WorkerDestination[];
  /** The fetch destinations must use (SSRF-guarded in production). */
  fetch: typeof fetch;
  timeoutMs?: number;
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  jitter?: number;
  log?: Logger;
  now?: () => number;
}

export interface DeliveryWorker {
  /** Starts polling. Idempotent. */
  start(): void;
  /** Looks for due rows now (call after saving a lead). */
  wake(): void;
  /**
   * Stops claiming; waits up to `graceMs` (default 10 s) for deliveries in flight, then gives the rest
   * back unattempted so the next run picks them up at once.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Deliveries in flight now. */
  readonly inFlight: number;
}

const SAFETY_MS = 1000;

export function createWorker(options: WorkerOptions): DeliveryWorker {
  const { store, fetch } = options;
  const log = options.log ?? silentLogger;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const concurrency = options.concurrency ?? 16;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1000;
  const jitter = options.jitter ?? 0.1;
  const byName = new Map(options.destinations.map((d) => [d.destination.name, d]));
  const names = [...byName.keys()];

  const inFlight = new Map<
    number,
    { row: ClaimedDelivery; controller: AbortController; done: Promise<void> }
  >();
  let running = false;
  let stopping = false;
  let claiming = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const released = new Set<number>();

  function schedulePoll() {
    if (timer) clearTimeout(timer);
    if (!running || stopping) return;
    timer = setTimeout(() => void fill(), pollMs);
    (timer as { unref?: () => void }).unref?.();
  }

  async function attempt(row: ClaimedDelivery, d: WorkerDestination, controller: AbortController) {
    const limit = d.timeoutMs ?? timeoutMs;
    const startedAt = now();
    let timeout: ReturnType<typeof setTimeout> | undefined;
    let result: DeliveryResult;
    try {
      result = await Promise.race([
        d.destination.deliver(row.lead, {
          attempt: row.attempts + 1,
          fetch,
          signal: controller.signal,
          now: new Date(startedAt),
          receivedAt: new Date(row.receivedAt),
          qualification: row.qualification ?? undefined,
          stage: row.stage,
          contactedAt: row.contactedAt === null ? undefined : new Date(row.contactedAt),
        }),
        new Promise<DeliveryResult>((resolve) => {
          timeout = setTimeout(() => {
            controller.abort(new Error(`timed out after ${limit} ms`));
            // A destination that ignores the abort still gets an answer shortly after.
            setTimeout(() => resolve({ kind: 'retry', reason: `timed out after ${limit} ms` }), SAFETY_MS);
          }, limit);
        }),
      ]);
    } catch (err) {
      // Any destination, also one written outside this package: a refused address will not become public.
      const blocked = findSsrfError(err);
      result = blocked
        ? { kind: 'fail', reason: blocked.message }
        : { kind: 'retry', reason: `destination threw: ${(err as Error)?.message ?? String(err)}` };
    } finally {
      clearTimeout(timeout);
    }
    if (released.has(row.id)) return; // given back by stop(); the next run delivers it again
    const durationMs = now() - startedAt;
    let nextAt: number | undefined;
    if (result.kind === 'retry') {
      const delay = nextDelayMs(d.delaysMs ?? DEFAULT_RETRY_DELAYS_MS, row.tries + 1, {
        retryAfterMs: result.afterMs,
        jitter,
      });
      nextAt = delay === undefined ? undefined : startedAt + durationMs + delay;
    }
    const reason = result.kind === 'ok' ? result.detail : result.reason;
    const recorded = await store.recordAttempt({
      deliveryId: row.id,
      lease: row.lease,
      startedAt,
      durationMs,
      outcome: result.kind,
      status: result.status,
      reason,
      nextAt,
    });
    log({
      event: 'attempt',
      level: result.kind === 'ok' ? 'info' : 'warn',
      leadId: row.leadId,
      destination: row.destination,
      attempt: row.attempts + 1,
      outcome:
        result.kind === 'retry' && nextAt === undefined
          ? 'dead'
          : result.kind === 'fail'
            ? 'failed'
            : result.kind,
      status: result.status,
      ms: Math.round(durationMs),
      // Receivers' error texts can echo lead values; only our own network/timeout reasons are logged.
      reason: result.kind !== 'ok' && result.status === undefined ? reason : undefined,
      nextAt: nextAt === undefined ? undefined : new Date(nextAt).toISOString(),
      lost: recorded
        ? undefined
        : 'lease expired before the outcome was recorded; another worker owns the row',
    });
  }

  async function fill(): Promise<void> {
    if (!running || stopping) return;
    if (claiming) {
      again = true;
      return;
    }
    claiming = true;
    try {
      do {
        again = false;
        const free = concurrency - inFlight.size;
        // Claim in batches while busy: one claim transaction per delivery would cost more than the delivery.
        const worthIt = inFlight.size === 0 ? 1 : Math.ceil(concurrency / 4);
        if (free < worthIt || names.length === 0) break;
        const rows = await store.claimDue({ now: now(), limit: free, leaseMs, destinations: names });
        for (const row of rows) start(row);
        if (rows.length === free) again = true;
      } while (again && running && !stopping);
    } catch (err) {
      log({
        event: 'worker',
        level: 'error',
        message: `claiming due deliveries failed: ${(err as Error).message}`,
      });
    } finally {
      claiming = false;
      schedulePoll();
    }
  }

  function start(row: ClaimedDelivery) {
    const d = byName.get(row.destination)!;
    const controller = new AbortController();
    const done = attempt(row, d, controller)
      .catch((err) => {
        log({
          event: 'worker',
          level: 'error',
          leadId: row.leadId,
          destination: row.destination,
          message: `recording the attempt failed: ${(err as Error).message}; the row is retried after its lease`,
        });
      })
      .finally(() => {
        inFlight.delete(row.id);
        released.delete(row.id);
        void fill();
      });
    inFlight.set(row.id, { row, controller, done });
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopping = false;
      void fill();
    },
    wake() {
      void fill();
    },
    async stop({ graceMs = 10_000 } = {}) {
      stopping = true;
      if (timer) clearTimeout(timer);
      let graceTimer: ReturnType<typeof setTimeout> | undefined;
      const all = () => Promise.all([...inFlight.values()].map((f) => f.done));
      const timedOut = await Promise.race([
        all().then(() => false),
        new Promise<boolean>((resolve) => {
          graceTimer = setTimeout(() => resolve(true), graceMs);
        }),
      ]);
      clearTimeout(graceTimer);
      if (timedOut && inFlight.size) {
        const rest = [...inFlight.values()];
        for (const f of rest) released.add(f.row.id);
        await store.releaseLeases(rest.map((f) => ({ deliveryId: f.row.id, lease: f.row.lease })));
        for (const f of rest) f.controller.abort(new Error('worker stopping'));
        await all();
      }
      running = false;
    },
    get inFlight() {
      return inFlight.size;
    },
  };
}
