/**
 * CRMs reject a whole record when one field does not exist on their side (HubSpot
 * FIELD_NOT_IN_FORM_DEFINITION / PROPERTY_DOESNT_EXIST, Salesforce INVALID_FIELD). Default maps name
 * conventional custom fields that a given account may not have, so instead of losing the lead we resend
 * without the rejected fields and remember them, so later leads skip them without a failed request.
 * Memory lives as long as the destination (a restart or config reload forgets it, picking up fields
 * created in the CRM since).
 */
import type { DeliveryResult } from './types.js';

export class UnknownFields {
  readonly #names = new Set<string>();

  /** The values without fields known to be rejected. */
  keep<T>(values: Record<string, T>): Record<string, T> {
    return Object.fromEntries(Object.entries(values).filter(([name]) => !this.#names.has(name)));
  }

  /** Of these values' fields, the ones being skipped. */
  skipped(values: Record<string, unknown>): string[] {
    return Object.keys(values).filter((name) => this.#names.has(name));
  }

  /**
   * Records the fields the CRM rejected. Returns true when at least one of them was in `sent` (so
   * resending without it can help); false means the rejection is about something else.
   */
  learn(rejected: readonly string[], sent: Record<string, unknown>): boolean {
    let learned = false;
    for (const name of rejected) {
      if (Object.hasOwn(sent, name)) {
        this.#names.add(name);
        learned = true;
      }
    }
    return learned;
  }
}

/** "skipped fields the CRM does not have: a, b (create them there or map them elsewhere)" */
export function skippedNote(vendor: string, names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  return `skipped fields ${vendor} does not have: ${names.join(', ')} (create them in ${vendor}, or set them to null in "fields")`;
}

/** When one attempt has resent too often: the fields learned so far are kept, so the next attempt goes on. */
export function tooManyRounds(vendor: string, status: number, rounds: number): DeliveryResult {
  return {
    kind: 'retry',
    status,
    reason: `${vendor} rejected unknown fields ${rounds} times in one attempt; the next attempt resends without them`,
  };
}
