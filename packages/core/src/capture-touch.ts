import { CLICK_ID_PARAMS } from './click-ids.js';
import type { Touch } from './types.js';
import { clean, MAX_URL, queryParams, registrableDomain, urlHost } from './url-params.js';

export interface CaptureInput {
  /** The landing URL, usually `location.href`. */
  url: string;
  /** `document.referrer`; empty or missing means none. */
  referrer?: string;
  /** Time of the landing; defaults to now. */
  timestamp?: string | number | Date;
  /** Extra click-ID parameter names to capture besides `CLICK_ID_PARAMS`. */
  clickIdParams?: string[];
}

/**
 * How source and medium were found, in GA4's order of precedence:
 * 0 gclid, 1 utm_* tags, 2 known search engine, 3 other referrer, 4 self-referral (ignored), 5 nothing (direct).
 */
export type TouchOrigin = 0 | 1 | 2 | 3 | 4 | 5;

/** Touch fields filled from utm_* parameters besides source and medium; see `utmName`. */
export const UTM_FIELDS = [
  'campaign',
  'term',
  'content',
  'id',
  'sourcePlatform',
  'creativeFormat',
  'marketingTactic',
] as const;

/** The parameter of a touch field: `sourcePlatform` is `utm_source_platform`. */
export const utmName = (field: string): string =>
  `utm_${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;

// Referrer hosts GA4 reports as `<engine> / organic`. Other hosts become `<host> / referral`, and the
// source list still classes the listed ones (yandex.ru, uk.search.yahoo.com, ...) as Organic Search.
const SEARCH_ENGINE =
  /^(?:www\.)?(?:(google)\.(?:com?\.)?[a-z]{2,3}|(bing|duckduckgo|baidu)\.com|search\.(yahoo)\.(?:com|co\.jp))$/;

/**
 * One arrival's facts without the channel: source/medium (gclid, then utm_*, then the referrer, else
 * direct), campaign fields, click IDs, referrer and landing page. Needs no source list, so pages that
 * leave the channel to the server (it re-derives it from `landingPage` and `referrer`) ship less.
 * Pure and total: bad input gives a valid touch (direct at worst), never an exception.
 */
export function captureTouch(input: CaptureInput): Touch {
  const { url, referrer, timestamp, clickIdParams } = input ?? {};
  return captureFacts(url, referrer, timestamp, clickIdParams);
}

/** `captureTouch` with the input's fields as arguments, as the journey calls it. */
export function captureFacts(
  url: string | undefined,
  rawReferrer?: string,
  timestamp?: CaptureInput['timestamp'],
  clickIdParams?: string[],
): Touch {
  // The fragment is dropped (it can hold tokens) and the rest capped before parsing, so the server,
  // which re-derives touches from landingPage, sees exactly what the browser parsed.
  const landingPage = clean(String(url ?? '').split('#')[0]!, MAX_URL);
  const params = queryParams(landingPage);
  const param = (name: string) => clean(params.get(name) ?? '') || undefined;

  const clickIds: Record<string, string> = {};
  for (const name of [...CLICK_ID_PARAMS, ...(clickIdParams ?? [])]) {
    const value = param(name);
    if (value) clickIds[name] = value;
  }
  let source = param('utm_source');
  let medium = param('utm_medium');
  const touch = { clickIds, landingPage } as Touch;
  let tagged = source || medium;
  for (const field of UTM_FIELDS) {
    const value = param(utmName(field));
    if (value) tagged = touch[field] = value;
  }
  const referrer = clean(String(rawReferrer ?? ''), MAX_URL);
  const host = urlHost(referrer);
  const domain = host?.replace(/^www\./, '');
  const landingHost = urlHost(landingPage);
  const engine = host && SEARCH_ENGINE.exec(host);

  [source, medium] = clickIds.gclid
    ? // Google auto-tagging beats any utm_source/utm_medium on the same URL, as in GA4.
      ['google', 'cpc']
    : tagged
      ? // Tagged: a missing part is "(not set)", as GA4 reports it.
        [source ?? '(not set)', medium ?? '(not set)']
      : !host || (landingHost && registrableDomain(host) === registrableDomain(landingHost))
        ? // No referrer, or a self-referral.
          ['(direct)', '(none)']
        : engine
          ? [engine.slice(1).join(''), 'organic'] // the one group that matched
          : [domain!, 'referral'];

  touch.source = clean(source.toLowerCase());
  touch.medium = clean(medium.toLowerCase());
  touch.raw = { source, medium };
  const date = new Date(timestamp ?? Date.now());
  touch.timestamp = (Number.isNaN(+date) ? new Date() : date).toISOString();
  if (referrer) touch.referrer = referrer;
  if (domain) touch.referringDomain = domain;
  return touch;
}
