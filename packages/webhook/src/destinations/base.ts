/**
 * Config pieces every destination shares. Each destination's schema spreads `destinationBase` into a
 * `z.strictObject` with its own `type` literal, so a typo in a key is an error, never silently ignored.
 */
import { z } from 'zod';
import { ConditionSchema } from '../conditions.js';

/** Wait before each retry (ms), after the first attempt; attempts = 1 + delaysMs.length. */
export const RetrySchema = z.strictObject({
  delaysMs: z
    .array(
      z
        .number()
        .int()
        .min(0, 'must be 0 or more milliseconds')
        .max(7 * 86_400_000, 'at most one week'),
    )
    .max(50, 'at most 50 retries'),
});

export const destinationBase = {
  /** Unique per config; stored with every delivery row, so renaming one starts a new outbox. */
  name: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]{1,64}$/,
      'must be 1-64 characters of A-Z, a-z, 0-9, _ or - (it names delivery rows)',
    ),
  retry: RetrySchema.optional(),
  /** Per-attempt timeout; defaults to `delivery.timeoutMs`. */
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
  /** Only leads this condition holds for go here (see ../conditions.ts); without it, every lead. */
  when: ConditionSchema.optional(),
};

/** What createDestination gets besides the destination's own config. */
export interface DestinationDeps {
  /** Hosts exempt from the SSRF guard (config `security.allowHosts`). */
  allowHosts: readonly string[];
}
