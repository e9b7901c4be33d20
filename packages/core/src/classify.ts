import { CATEGORIES, type SourceCategory, sourceCategory } from './sources.js';
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
// Google's `email|e-mail|e_mail|e mail`, a full match (not widened to "contains"), written shorter.
const EMAIL = /^e[-_ ]?mail$/;

/**
 * The number (1-19) of the first GA4 default-channel rule that matches lowercased values,
 * in the order of Google's page. The channel is `CHANNELS[rule - 1]`.
 */
export function ga4Rule(source: string, medium: string, campaign: string): number {
  const category = sourceCategory(source);
  const paid = PAID.test(medium);
  const shopping = category === 'shopping' || SHOP_CAMPAIGN.test(campaign);
  return source === '(direct)' && /^\((not set|none)\)$/.test(medium)
    ? 1
    : campaign.includes('cross-network')
      ? 2
      : paid && shopping
        ? 3
        : // Paid Search, Social, Video (4-6): a listed shopping source was taken by rule 3.
          paid && category
          ? 4 + CATEGORIES.indexOf(category)
          : // `cpm` is also PAID, so a listed social/video source with cpm was taken above (Google's order).
            /^(display|banner|expandable|interstitial|cpm)$/.test(medium)
            ? 7
            : paid
              ? 8
              : shopping
                ? 9
                : // social, social-network, social-media, social network, social media, sm
                  category === 'social' || /^(social([ -](network|media))?|sm)$/.test(medium)
                  ? 10
                  : category === 'video' || medium.includes('video')
                    ? 11
                    : category === 'search' || medium === 'organic'
                      ? 12
                      : /^(referral|app|link)$/.test(medium)
                        ? 13
                        : EMAIL.test(source) || EMAIL.test(medium)
                          ? 14
                          : medium === 'affiliate'
                            ? 15
                            : medium === 'audio'
                              ? 16
                              : source === 'sms' || medium === 'sms'
                                ? 17
                                : /push$|mobile|notification/.test(medium) || source === 'firebase'
                                  ? 18
                                  : 19;
}

// An invalid shape or pattern throws here, and decidingRule skips the rule.
const matches = (matcher: Matcher, value: string): boolean =>
  typeof matcher === 'object' && !Array.isArray(matcher)
    ? 'contains' in matcher
      ? value.includes(matcher.contains.toLowerCase())
      : // Engines cache compiled patterns by source and flags, so building it per call is cheap.
        new RegExp(matcher.regex, 'i').test(value)
    : [matcher].flat().some((m) => m.toLowerCase() === value);

/**
 * Which rule decides a touch: `-(i + 1)` for the custom rule at index `i`, else GA4's rule number (1-19).
 * A malformed custom rule (bad shape or invalid regex, e.g. from a hand-written JSON config) never
 * matches and never throws.
 */
export function decidingRule(t: ClassifyInput, rules?: readonly ChannelRule[]): number {
  const [source, medium, campaign] = [t.source, t.medium, t.campaign ?? ''].map((v) =>
    String(v).toLowerCase(),
  ) as [string, string, string];
  for (let i = 0; i < (rules?.length ?? 0); i++) {
    try {
      const rule = rules![i]!;
      const conditions: [Matcher | undefined, string][] = [
        [rule.source, source],
        [rule.medium, medium],
        [rule.campaign, campaign],
        [rule.sourceCategory, sourceCategory(source) ?? ''],
      ];
      if (typeof rule.channel === 'string' && conditions.every(([m, v]) => !m || matches(m, v)))
        return -(i + 1);
    } catch {
      // Skip a rule whose shape or pattern is invalid.
    }
  }
  return ga4Rule(source, medium, campaign);
}

/** The channel a rule number from `decidingRule` stands for. */
export const channelOf = (rule: number, rules?: readonly ChannelRule[]): Channel | (string & {}) =>
  rule < 0 ? rules![-rule - 1]!.channel : CHANNELS[rule - 1]!;

/**
 * The channel of a source/medium/campaign: the first matching custom rule's channel, else GA4's
 * default channel group (case-insensitive, Google's rule order and source categories).
 */
export function classify(t: ClassifyInput, rules?: readonly ChannelRule[]): Channel | (string & {}) {
  return channelOf(decidingRule(t, rules), rules);
}
