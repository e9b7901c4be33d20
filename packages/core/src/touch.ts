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

/** How source and medium were found, in GA4's order of precedence. */
export type TouchOrigin = 'gclid' | 'utm' | 'search-engine' | 'referral' | 'self-referral' | 'direct';

// Campaign fields other than source and medium, by Touch field name.
const UTM_FIELDS = {
  campaign: 'utm_campaign',
  term: 'utm_term',
  content: 'utm_content',
  id: 'utm_id',
  sourcePlatform: 'utm_source_platform',
  creativeFormat: 'utm_creative_format',
  marketingTactic: 'utm_marketing_tactic',
} as const;

// Referrer hosts GA4 reports as `<engine> / organic`. Others become `<host> / referral`, and the
// source list still classes the listed ones (yandex.ru, uk.search.yahoo.com, ...) as Organic Search.
const SEARCH_ENGINE =
  /^(?:www\.)?(?:(google)\.(?:com?\.)?[a-z]{2,3}|(bing|duckduckgo|baidu)\.com|search\.(yahoo)\.(?:com|co\.jp))$/;

function isoTime(t: TouchInput['timestamp']): string {
  const d = new Date(t ?? Date.now());
  return Number.isNaN(d.getTime()) ? new Date().toISOString() : d.toISOString();
}

/** parseTouch plus the facts behind it: how source/medium were found and which rule gave the channel. */
export function resolveTouch(input: TouchInput): { touch: Touch; origin: TouchOrigin; rule: number } {
  input = input ?? {}; // plain-JS callers
  const url = String(input.url ?? '');
  const params = queryParams(url);
  const param = (name: string) => clean(params.get(name) ?? '') || undefined;

  const clickIds: Record<string, string> = {};
  for (const name of CLICK_ID_PARAMS.concat(input.clickIdParams ?? [])) {
    const value = param(name);
    if (value) clickIds[name] = value;
  }
  const touch = { clickIds } as Touch;
  let tagged = false;
  for (const [field, name] of Object.entries(UTM_FIELDS)) {
    const value = param(name);
    if (value) {
      touch[field as keyof typeof UTM_FIELDS] = value;
      tagged = true;
    }
  }
  const utmSource = param('utm_source');
  const utmMedium = param('utm_medium');

  const referrer = clean(String(input.referrer ?? ''), MAX_URL);
  const refHost = referrer ? urlHost(referrer) : undefined;
  const landingHost = urlHost(url);
  const engine = refHost && SEARCH_ENGINE.exec(refHost);

  let origin: TouchOrigin;
  let source = '(direct)';
  let medium = '(none)';
  if (clickIds.gclid) {
    // Google auto-tagging wins over any utm_* on the same URL, as in GA4.
    [origin, source, medium] = ['gclid', 'google', 'cpc'];
  } else if (tagged || utmSource || utmMedium) {
    [origin, source, medium] = ['utm', utmSource ?? '(not set)', utmMedium ?? '(not set)'];
  } else if (!refHost) {
    origin = 'direct';
  } else if (landingHost && registrableDomain(refHost) === registrableDomain(landingHost)) {
    origin = 'self-referral';
  } else if (engine) {
    [origin, source, medium] = ['search-engine', engine.slice(1).find(Boolean)!, 'organic'];
  } else {
    [origin, source, medium] = ['referral', refHost.replace(/^www\./, ''), 'referral'];
  }

  touch.raw = { source, medium };
  touch.source = clean(source.toLowerCase());
  touch.medium = clean(medium.toLowerCase());
  const rule = decidingRule(touch, input.rules);
  touch.channel = rule < 0 ? input.rules![-rule - 1]!.channel : CHANNELS[rule - 1]!;
  if (referrer) touch.referrer = referrer;
  if (refHost) touch.referringDomain = refHost.replace(/^www\./, '');
  touch.landingPage = clean(url.split('#')[0]!, MAX_URL);
  touch.timestamp = isoTime(input.timestamp);
  return { touch, origin, rule };
}

/**
 * One arrival, as GA4 would report it: source/medium (gclid, then utm_*, then referrer, else direct),
 * the default channel group, campaign fields, click IDs, referrer and landing page.
 * Pure and total: bad input gives a Direct or Unassigned touch, never an exception.
 */
export function parseTouch(input: TouchInput): Touch {
  return resolveTouch(input).touch;
}
