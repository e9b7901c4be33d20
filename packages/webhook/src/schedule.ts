/** When to try a delivery again: Svix's schedule by default, with jitter, and Retry-After honoured. */

/** Waits before each retry (after the immediate first attempt): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];

/** Longest Retry-After we accept; a receiver asking for more gets retried on our own schedule. */
const MAX_RETRY_AFTER_MS = 86_400_000;

/**
 * The wait before the next attempt, or undefined when the schedule is spent (dead letter).
 * `tries` counts attempts made in this round (1 after the first). Jitter spreads retries by up to ±`jitter`
 * so a recovering receiver is not hit by every queued lead at once.
 */
export function nextDelayMs(
  delays: readonly number[],
  tries: number,
  options: { retryAfterMs?: number; jitter?: number; random?: () => number } = {},
): number | undefined {
  const base = delays[tries - 1];
  if (base === undefined) return undefined;
  const jitter = options.jitter ?? 0.1;
  const random = options.random ?? Math.random;
  const jittered = Math.round(base * (1 + jitter * (2 * random() - 1)));
  // Never earlier than the receiver asked for.
  return Math.max(jittered, Math.min(options.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}

/** Parses a Retry-After header (delay seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
