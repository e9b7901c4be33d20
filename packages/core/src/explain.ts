/**
 * Why a touch got its source, medium and channel, in words: for the docs' attribution inspector and for
 * debugging custom rules. Kept out of parseTouch so `init()` bundles do not carry these strings.
 */

import { type TouchOrigin, UTM_FIELDS } from './capture-touch.js';
import type { ChannelRule } from './classify.js';
import { type SourceCategory, sourceCategory } from './sources.js';
import { resolveTouch, type TouchInput } from './touch.js';
import { CHANNELS, type Touch } from './types.js';
import { clean, queryParams } from './url-params.js';

export interface TouchExplanation {
  touch: Touch;
  /** GA4's rule number (1-19, the order of Google's page), or 'custom' for an integrator's rule. */
  rule: number | 'custom';
  /** Index in `input.rules` of the custom rule that decided, when `rule` is 'custom'. */
  customRule?: number;
  /** The channel the rule assigns, e.g. 'Paid Social', with ' (custom rule 1)' for custom rules. */
  ruleName: string;
  /** Why that rule matched. */
  reason: string;
  /** How source and medium were found. */
  origin: 'gclid' | 'utm' | 'search-engine' | 'referral' | 'self-referral' | 'direct';
  /** Why source and medium are what they are. */
  originReason: string;
  /** Google's category of the source, if listed. */
  sourceCategory?: SourceCategory;
}

const ORIGINS = ['gclid', 'utm', 'search-engine', 'referral', 'self-referral', 'direct'] as const;
// One reason per GA4 rule, in Google's order. %s source, %m medium, %c category, %p campaign.
// Built on call: module-level template literals would survive tree-shaking in bundles of dist/.
function ruleReason(rule: number): string {
  const PAID = 'medium "%m" matches ^(.*cp.*|ppc|retargeting|paid.*)$';
  const LISTED = 'source "%s" is in Google\'s %c list';
  return [
    'source is "(direct)" and medium is "%m"',
    'campaign "%p" contains "cross-network"',
    `the source or campaign is about shopping and ${PAID}`,
    `${LISTED} and ${PAID}`,
    `${LISTED} and ${PAID}`,
    `${LISTED} and ${PAID}`,
    'medium "%m" is one of display, banner, expandable, interstitial, cpm',
    `${PAID}, and the source is not in Google's shopping, search, social or video lists`,
    'source "%s" is in Google\'s shopping list or campaign "%p" matches ^(.*(([^a-df-z]|^)shop|shopping).*)$',
    'source "%s" is in Google\'s social list or medium "%m" is a social medium',
    'source "%s" is in Google\'s video list or medium "%m" contains "video"',
    'source "%s" is in Google\'s search list or medium "%m" is "organic"',
    'medium "%m" is one of referral, app, link',
    'source "%s" or medium "%m" is email, e-mail, e_mail or e mail',
    'medium "%m" is "affiliate"',
    'medium "%m" is "audio"',
    'source "%s" or medium "%m" is "sms"',
    'medium "%m" ends with "push" or contains "mobile" or "notification", or source "%s" is "firebase"',
    'no GA4 rule matched source "%s" / medium "%m"',
  ][rule - 1]!;
}

const ORIGIN_REASONS = [
  'the landing URL has a gclid: Google Ads auto-tagging gives google / cpc and wins over utm_* tags',
  'the landing URL has utm_* tags; a missing utm_source or utm_medium is "(not set)"',
  'the referrer %r is a known search engine: <engine> / organic',
  'the referrer %r is another site: its host without "www." / referral',
  "the referrer %r is on the landing page's own site (a self-referral), so it is ignored: (direct) / (none)",
  'no click ID, no utm_* tags and no usable referrer: (direct) / (none)',
];

// How captureTouch found source and medium, read back from the touch (the browser path does not track it).
function originOf(touch: Touch): TouchOrigin {
  const params = queryParams(touch.landingPage);
  const tagged =
    ['utm_source', 'utm_medium'].some((name) => clean(params.get(name) ?? '')) ||
    UTM_FIELDS.some((field) => touch[field]);
  if (touch.clickIds.gclid) return 0;
  if (tagged) return 1;
  // Without tags, an http(s) or android-app referrer gives a source unless it is a self-referral.
  if (!touch.referringDomain) return 5;
  if (touch.source === '(direct)') return 4;
  return touch.medium === 'organic' ? 2 : 3;
}

/** parseTouch, plus which rule chose the channel and why, in words. */
export function explainTouch(input: TouchInput): TouchExplanation {
  const { touch, rule } = resolveTouch(input);
  const origin = originOf(touch);
  const category = sourceCategory(touch.source);
  const values: Record<string, string | undefined> = {
    s: touch.source,
    m: touch.medium,
    c: category,
    p: touch.campaign,
    r: touch.referringDomain,
  };
  const fill = (text: string) => text.replace(/%([smcpr])/g, (_, key: string) => values[key] ?? '');
  const base = {
    touch,
    origin: ORIGINS[origin],
    originReason: fill(ORIGIN_REASONS[origin]!),
    ...(category && { sourceCategory: category }),
  };
  if (rule < 0) {
    const index = -rule - 1;
    const custom = (input.rules as ChannelRule[])[index]!;
    return {
      ...base,
      rule: 'custom',
      customRule: index,
      ruleName: `${custom.channel} (custom rule ${index + 1})`,
      reason: `custom rule ${index + 1} matched: ${JSON.stringify(custom)}`,
    };
  }
  return { ...base, rule, ruleName: CHANNELS[rule - 1]!, reason: fill(ruleReason(rule)) };
}
