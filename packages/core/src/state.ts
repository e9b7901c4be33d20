/**
 * The journey state as a string for storage: JSON where each distinct touch is stored once
 * (first touch, last touch, session entry and history often share one), capped in length.
 */
import type { RawTouch, State } from './journey.js';

/** A well-formed raw touch, as read from storage or a cross-domain token. */
export const isRawTouch = (r: unknown): r is RawTouch =>
  Array.isArray(r) && typeof r[0] === 'string' && typeof r[1] === 'string' && r[2] > 0;

/** Serialises the state, keeping the last `keep` history entries and `cap` characters of each URL. */
export function encode(s: State, cap = 1000, keep = 50): string {
  const table: RawTouch[] = [];
  const index = (r: RawTouch) => {
    const i = table.indexOf(r);
    return i < 0 ? table.push(r) - 1 : i;
  };
  const packed = { ...s, f: index(s.f), l: index(s.l), e: index(s.e), h: s.h.slice(-keep).map(index) };
  return JSON.stringify({ ...packed, t: table.map(([u, r, t]) => [u.slice(0, cap), r.slice(0, cap), t]) });
}

/** Parses what `encode` wrote; anything else (garbled, edited, older format) gives undefined. */
export function decode(text: string | null | undefined): State | undefined {
  // Nothing stored is the common case: return before JSON.parse throws (a first throw is slow).
  if (text)
    try {
      const { t, ...o } = JSON.parse(text!);
      const s = { ...o, f: t[o.f], l: t[o.l], e: t[o.e], h: o.h.map((i: number) => t[i]) } as State;
      if (
        typeof s.v === 'string' &&
        [s.f, s.l, s.e, ...s.h].every(isRawTouch) &&
        (!s.g || Array.isArray(s.g))
      )
        return s;
    } catch {
      // Not ours or damaged: start afresh.
    }
  return undefined;
}
