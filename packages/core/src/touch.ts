import { type ChannelRule, decidingRule } from './classify.js';
import { CLICK_ID_PARAMS } from './click-ids.js';
import { CHANNELS, type Touch } from './types.js';
import { clean, MAX_URL, queryParams, registrableDomain, urlHost } from './url-params.js';

export interface TouchInput {
  /** The landing URL, usually `location.href`. */
  url: string;
  /** `document.referrer`; empty or missing means none. */
  referrer?: string;
  /** Time of the landing; defaults to now. */
  timestamp?: string | number | Date;
  /** Extra click-ID parameter names to capture besides `CLICK_ID_PARAMS`. */
  clickIdParams?: string[];
  /** Custom channel rules, tried before GA4's. */
  rules?: ChannelRule[];
}

/**
 * How source and medium were found, in GA4's order of precedence:
 * 0 gclid, 1 utm_* tags, 2 known search engine, 3 other referrer, 4 self-referral (ignored), 5 nothing (direct).
 */
export type TouchOrigin = 0 | 1 | 2 | 3 | 4 | 5;

// Touch fields filled from utm_<snake_case of the field>, besides source and medium.
const UTM_FIELDS = [
  'campaign',
  'term',
  'content',
  'id',
  'sourcePlatform',
  'creativeFormat',
  'marketingTactic',
] as const;

// Referrer hosts GA4 reports as `<engine> / organic`. Other hosts become `<host> / referral`, and the
// source list still classes the listed ones (yandex.ru, uk.search.yahoo.com, ...) as Organic Search.
const SEARCH_ENGINE =
  /^(?:www\.)?(?:(google)\.(?:com?\.)?[a-z]{2,3}|(bing|duckduckgo|baidu)\.com|search\.(yahoo)\.(?:com|co\.jp))$/;

function isoTime(time: TouchInput['timestamp']): string {
  const date = new Date(time ?? Date.now());
  return (Number.isNaN(date.getTime()) ? new Date() : date).toISOString();
}

/** parseTouch plus the facts behind it: how source/medium were found and which rule gave the channel. */
export function resolveTouch(input: TouchInput): { touch: Touch; origin: TouchOrigin; rule: number } {
  const { url, referrer: rawReferrer, rules, clickIdParams } = input ?? {};
  // The fragment is dropped (it can hold tokens) and the rest capped before parsing, so the server,
  // which re-derives touches from landingPage, sees exactly what the browser parsed.
  const landingPage = clean(String(url ?? '').split('#')[0]!, MAX_URL);
  const params = queryParams(landingPage);
  const param = (name: string) => clean(params.get(name) ?? '') || undefined;

  const clickIds: Record<string, string> = {};
  for (const name of CLICK_ID_PARAMS.concat(clickIdParams ?? [])) {
    const value = param(name);
    if (value) clickIds[name] = value;
  }
  const tags: Partial<Touch> = {};
  for (const field of UTM_FIELDS) {
    const value = param(`utm_${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`);
    if (value) tags[field] = value;
  }
  let source = param('utm_source');
  let medium = param('utm_medium');
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
  } else if (source || medium || Object.keys(tags).length) {
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

  const lower = { source: clean(source.toLowerCase()), medium: clean(medium.toLowerCase()) };
  const rule = decidingRule({ ...lower, campaign: tags.campaign }, rules);
  const touch: Touch = {
    channel: rule < 0 ? rules![-rule - 1]!.channel : CHANNELS[rule - 1]!,
    ...lower,
    ...tags,
    clickIds,
    raw: { source, medium },
    landingPage,
    timestamp: isoTime(input?.timestamp),
  };
  if (referrer) touch.referrer = referrer;
  if (referrerHost) touch.referringDomain = referrerHost.replace(/^www\./, '');
  return { touch, origin, rule };
}

/**
 * One arrival as GA4 would report it: source/medium (gclid, then utm_*, then the referrer, else direct),
 * the default channel group, campaign fields, click IDs, referrer and landing page.
 * Pure and total: bad input gives a valid touch (Direct at worst), never an exception.
 */
export function parseTouch(input: TouchInput): Touch {
  return resolveTouch(input).touch;
}
