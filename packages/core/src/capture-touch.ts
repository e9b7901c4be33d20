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

// Touch fields filled from utm_* parameters, besides source and medium.
const UTM_FIELDS = {
  campaign: 'utm_campaign',
  term: 'utm_term',
  content: 'utm_content',
  id: 'utm_id',
  sourcePlatform: 'utm_source_platform',
  creativeFormat: 'utm_creative_format',
  marketingTactic: 'utm_marketing_tactic',
} as const;

// Referrer hosts GA4 reports as `<engine> / organic`. Other hosts become `<host> / referral`, and the
// source list still classes the listed ones (yandex.ru, uk.search.yahoo.com, ...) as Organic Search.
const SEARCH_ENGINE =
  /^(?:www\.)?(?:(google)\.(?:com?\.)?[a-z]{2,3}|(bing|duckduckgo|baidu)\.com|search\.(yahoo)\.(?:com|co\.jp))$/;

function isoTime(time: CaptureInput['timestamp']): string {
  const date = time === undefined ? new Date() : new Date(time);
  return (Number.isNaN(date.getTime()) ? new Date() : date).toISOString();
}

/** captureTouch plus how source and medium were found. */
export function resolveSource(input: CaptureInput): [Touch, TouchOrigin] {
  const { url, referrer: rawReferrer, clickIdParams, timestamp } = input ?? {};
  // The fragment is dropped (it can hold tokens) and the rest capped before parsing, so the server,
  // which re-derives touches from landingPage, sees exactly what the browser parsed.
  const landingPage = clean(String(url ?? '').split('#')[0]!, MAX_URL);
  const params = queryParams(landingPage);
  const param = (name: string) => {
    const value = params.get(name);
    return (value && clean(value)) || undefined;
  };

  const clickIds: Record<string, string> = {};
  for (const names of [CLICK_ID_PARAMS, clickIdParams ?? []]) {
    for (const name of names) {
      const value = param(name);
      if (value) clickIds[name] = value;
    }
  }
  let source = param('utm_source');
  let medium = param('utm_medium');
  const touch = { clickIds, landingPage } as Touch;
  let tagged = source || medium;
  for (const field in UTM_FIELDS) {
    const value = param(UTM_FIELDS[field as keyof typeof UTM_FIELDS]);
    if (value) tagged = touch[field as keyof typeof UTM_FIELDS] = value;
  }
  const referrer = clean(String(rawReferrer ?? ''), MAX_URL);
  const referrerHost = urlHost(referrer);
  const landingHost = urlHost(landingPage);
  const engine = referrerHost && SEARCH_ENGINE.exec(referrerHost);

  let origin: TouchOrigin = 1;
  if (clickIds.gclid) {
    // Google auto-tagging beats any utm_source/utm_medium on the same URL, as in GA4.
    origin = 0;
    source = 'google';
    medium = 'cpc';
  } else if (tagged) {
    // Tagged: a missing part is "(not set)", as GA4 reports it.
    source ??= '(not set)';
    medium ??= '(not set)';
  } else if (!referrerHost) {
    origin = 5;
  } else if (landingHost && registrableDomain(referrerHost) === registrableDomain(landingHost)) {
    origin = 4;
  } else if (engine) {
    origin = 2;
    source = engine[1] || engine[2] || engine[3];
    medium = 'organic';
  } else {
    origin = 3;
    source = referrerHost.replace(/^www\./, '');
    medium = 'referral';
  }
  source ??= '(direct)';
  medium ??= '(none)';

  touch.source = clean(source.toLowerCase());
  touch.medium = clean(medium.toLowerCase());
  touch.raw = { source, medium };
  touch.timestamp = isoTime(timestamp);
  if (referrer) touch.referrer = referrer;
  if (referrerHost) touch.referringDomain = referrerHost.replace(/^www\./, '');
  return [touch, origin];
}

/**
 * One arrival's facts without the channel: source/medium (gclid, then utm_*, then the referrer, else
 * direct), campaign fields, click IDs, referrer and landing page. Needs no source list, so pages that
 * leave the channel to the server (it re-derives it from `landingPage` and `referrer`) ship less.
 * Pure and total: bad input gives a valid touch (direct at worst), never an exception.
 */
export function captureTouch(input: CaptureInput): Touch {
  return resolveSource(input)[0];
}
