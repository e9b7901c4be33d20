import { type SourceCategory, sourceCategory } from './sources.js';
import { CHANNELS, type Channel } from './types.js';

/**
 * How a custom rule tests one value, always case-insensitively:
 * a string is an exact match, an array matches any of its strings, `{ contains }` a substring,
 * `{ regex }` a JavaScript regular expression searched anywhere in the value (anchor it with ^...$ for a full match).
 */
export type Matcher = string | string[] | { regex: string } | { contains: string };

/**
 * A channel rule an integrator prepends to GA4's. Plain data, so it can live in a JSON config.
 * Every condition given must hold; a rule without conditions matches everything.
 */
export interface ChannelRule {
  channel: string;
  source?: Matcher;
  medium?: Matcher;
  campaign?: Matcher;
  sourceCategory?: SourceCategory | SourceCategory[];
}

export interface ClassifyInput {
  source: string;
  medium: string;
  campaign?: string;
}

// Google's regexes, verbatim (https://support.google.com/analytics/answer/9756891).
const PAID = /^(.*cp.*|ppc|retargeting|paid.*)$/;
const SHOP_CAMPAIGN = /^(.*(([^a-df-z]|^)shop|shopping).*)$/;
const EMAIL = /^(email|e-mail|e_mail|e mail)$/;

/**
 * The number (1-19) of the first GA4 default-channel rule that matches lowercased values,
 * in the order of Google's page. The channel is `CHANNELS[rule - 1]`.
 */
export function ga4Rule(source: string, medium: string, campaign: string): number {
  const category = sourceCategory(source);
  const paid = PAID.test(medium);
  const shopping = category === 'shopping' || SHOP_CAMPAIGN.test(campaign);
  if (source === '(direct)' && (medium === '(not set)' || medium === '(none)')) return 1;
  if (campaign.includes('cross-network')) return 2;
  if (paid) {
    if (shopping) return 3;
    if (category === 'search') return 4;
    if (category === 'social') return 5;
    if (category === 'video') return 6;
  }
  // `cpm` is also PAID, so a listed social/video source with cpm was taken above (Google's order).
  if (/^(display|banner|expandable|interstitial|cpm)$/.test(medium)) return 7;
  if (paid) return 8;
  if (shopping) return 9;
  if (
    category === 'social' ||
    /^(social|social-network|social-media|sm|social network|social media)$/.test(medium)
  )
    return 10;
  if (category === 'video' || medium.includes('video')) return 11;
  if (category === 'search' || medium === 'organic') return 12;
  if (/^(referral|app|link)$/.test(medium)) return 13;
  // Google writes "email|e-mail|e_mail|e mail" as a full match; we do not widen it to "contains".
  if (EMAIL.test(source) || EMAIL.test(medium)) return 14;
  if (medium === 'affiliate') return 15;
  if (medium === 'audio') return 16;
  if (source === 'sms' || medium === 'sms') return 17;
  if (/push$|mobile|notification/.test(medium) || source === 'firebase') return 18;
  return 19;
}

function matches(matcher: Matcher, value: string): boolean {
  if (typeof matcher === 'string') return matcher.toLowerCase() === value;
  if (Array.isArray(matcher)) return matcher.some((m) => m.toLowerCase() === value);
  if ('contains' in matcher) return value.includes(matcher.contains.toLowerCase());
  // Engines cache compiled patterns by source and flags, so building it per call is cheap.
  // An invalid pattern throws, and decidingRule skips the rule.
  return new RegExp(matcher.regex, 'i').test(value);
}

function ruleHolds(rule: ChannelRule, source: string, medium: string, campaign: string): boolean {
  const cat = rule.sourceCategory;
  return (
    typeof rule.channel === 'string' &&
    (!rule.source || matches(rule.source, source)) &&
    (!rule.medium || matches(rule.medium, medium)) &&
    (!rule.campaign || matches(rule.campaign, campaign)) &&
    (!cat || matches(cat, sourceCategory(source) ?? ''))
  );
}

/**
 * Which rule decides a touch: `-(i + 1)` for the custom rule at index `i`, else GA4's rule number (1-19).
 * A malformed custom rule (bad shape or invalid regex, e.g. from a hand-written JSON config) never
 * matches and never throws.
 */
export function decidingRule(t: ClassifyInput, rules?: readonly ChannelRule[]): number {
  const source = String(t.source).toLowerCase();
  const medium = String(t.medium).toLowerCase();
  const campaign = String(t.campaign ?? '').toLowerCase();
  for (let i = 0; i < (rules?.length ?? 0); i++) {
    try {
      if (ruleHolds(rules![i]!, source, medium, campaign)) return -(i + 1);
    } catch {
      // Skip a rule whose shape or pattern is invalid.
    }
  }
  return ga4Rule(source, medium, campaign);
}

/**
 * The channel of a source/medium/campaign: the first matching custom rule's channel, else GA4's
 * default channel group (case-insensitive, Google's rule order and source categories).
 */
export function classify(t: ClassifyInput, rules?: readonly ChannelRule[]): Channel | (string & {}) {
  const rule = decidingRule(t, rules);
  return rule < 0 ? rules![-rule - 1]!.channel : CHANNELS[rule - 1]!;
}
