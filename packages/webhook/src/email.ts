/**
 * The lead's email address: the field named `email` (any case), else the first field value that looks
 * like an address. Used for the store's erase-by-email column and for conditions on the address.
 */
import type { Lead } from '@leadkit/core/lead';

// Deliberately loose: a form already validated the address; this only tells an address from other text.
const LOOKS_LIKE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Lower-cased address, or undefined when the lead carries none. */
export function leadEmail(lead: Lead): string | undefined {
  let fallback: string | undefined;
  for (const [name, value] of Object.entries(lead.fields)) {
    if (typeof value !== 'string') continue;
    const v = value.trim();
    if (!LOOKS_LIKE_EMAIL.test(v)) continue;
    if (name.toLowerCase() === 'email') return v.toLowerCase();
    fallback ??= v.toLowerCase();
  }
  return fallback;
}

/** The part after the last @, or undefined. */
export function emailDomain(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const at = address.lastIndexOf('@');
  return at < 0 ? undefined : address.slice(at + 1).toLowerCase();
}
