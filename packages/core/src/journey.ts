/**
 * The journey state machine: first touch, last non-direct touch, session entry, touch history,
 * identity and counts. Pure: the browser wiring (init.ts) feeds it page views and a clock.
 */
import type { Touch } from './types.js';

/**
 * A touch as kept in storage: just what `parseTouch` needs to rebuild it, so the cookie stays small
 * and an updated classifier re-derives old touches. `[landing URL, referrer, time in ms]`.
 */
export type RawTouch = [url: string, referrer: string, time: number];

/** Persisted state. Short keys: it travels in a cookie. */
export interface State {
  /** visitor id */
  v: string;
  /** session id */
  s: string;
  /** first seen, ms */
  c: number;
  /** first touch (write-once within the attribution window) */
  f: RawTouch;
  /** last non-direct touch; the latest arrival while every arrival was direct */
  l: RawTouch;
  /** session entry */
  e: RawTouch;
  /** history of non-direct touches, oldest first */
  h: RawTouch[];
  /** page views, all sessions */
  p: number;
  /** sessions */
  n: number;
  /** last activity, ms */
  a: number;
  /** session start, ms */
  b: number;
  /** Web Vitals of the session's landing page */
  w?: Record<string, number>;
  /** distinct paths viewed, most recent first (scoring on key pages such as /pricing) */
  g?: string[];
}

/**
 * The attribution window in ms (first touch is kept this long, older touches are forgotten), the
 * inactivity that ends a session in ms, and the longest touch history.
 */
export type JourneyRules = [window: number, idle: number, max: number];

// A session never outlives a day, as in PostHog; GA4 has no cap but also splits at 30 min idle.
const SESSION_CAP = 864e5;

/** Random 96-bit id, 24 hex digits. getRandomValues works on http pages too, unlike randomUUID. */
export const randomId = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(12)), (x) => (x + 256).toString(16).slice(1)).join('');

/** A touch that carries campaign facts: a non-direct source or any click ID. */
export const isCampaign = (t: Touch): boolean =>
  t.source !== '(direct)' || Object.keys(t.clickIds).length > 0;

// Two touches from the same campaign click (a reload, a router keeping the query) are one touch.
const campaignKey = (t: Touch) =>
  JSON.stringify([t.source, t.medium, t.campaign, t.content, t.term, t.clickIds]);

/**
 * Applies one page view (a load or an SPA navigation) to the state and returns the new state.
 * An arrival is a new session or a new campaign within one; only arrivals change the touches:
 * first touch is written once per attribution window, last touch is replaced by any campaign but
 * never by a direct visit, and a new campaign does not cut the session (GA4).
 */
export function step(
  prev: State | undefined,
  raw: RawTouch,
  parse: (raw: RawTouch) => Touch,
  [window, idle, max]: JourneyRules,
): State {
  const now = raw[2];
  const s = prev
    ? { ...prev, h: prev.h.filter((t) => now - t[2] < window) }
    : ({ v: randomId(), c: now, h: [], p: 0, n: 0 } as unknown as State);
  const touch = parse(raw);
  const campaign = isCampaign(touch);
  const newSession = !prev || now - s.a > idle || now - s.b > SESSION_CAP;
  if (newSession) {
    s.s = randomId();
    s.b = now;
    s.n++;
    s.e = raw;
    s.w = undefined;
  }
  if (newSession || (campaign && campaignKey(touch) !== campaignKey(parse(s.l)))) {
    if (!s.f || now - s.f[2] >= window) s.f = raw;
    if (campaign || !s.l || !isCampaign(parse(s.l)) || now - s.l[2] >= window) s.l = raw;
    if (campaign) s.h = [...s.h, raw].slice(-max);
  }
  // The path alone: queries carry campaign tags and personal data, and scoring asks for pages.
  const path = raw[0].replace(/^[^/]*\/\/[^/?]*|\?.*/g, '').slice(0, 200) || '/';
  s.g = [path, ...(s.g || []).filter((g) => g !== path)].slice(0, 20);
  s.p++;
  s.a = now;
  return s;
}

/**
 * Takes in a journey handed over from another domain of the same site: its visitor id, its first
 * touch when older than ours, and its last touch when it is a newer campaign.
 */
export function adopt(
  s: State | undefined,
  [visitor, first, last]: [string, RawTouch, RawTouch],
  parse: (raw: RawTouch) => Touch,
): State {
  const next = s
    ? { ...s, v: visitor }
    : ({ v: visitor, c: first[2], f: first, l: last, h: [], p: 0, n: 0, a: 0, b: 0 } as unknown as State);
  if (first[2] < next.f[2]) next.f = first;
  if (isCampaign(parse(last)) && (last[2] >= next.l[2] || !isCampaign(parse(next.l)))) {
    next.l = last;
    next.h = [...next.h, last];
  }
  return next;
}
