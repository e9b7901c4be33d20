/** GA4's 19 default channel groups, spelled exactly as Google spells them. */
export const CHANNELS = [
  'Direct',
  'Cross-network',
  'Paid Shopping',
  'Paid Search',
  'Paid Social',
  'Paid Video',
  'Display',
  'Paid Other',
  'Organic Shopping',
  'Organic Social',
  'Organic Video',
  'Organic Search',
  'Referral',
  'Email',
  'Affiliates',
  'Audio',
  'SMS',
  'Mobile Push Notifications',
  'Unassigned',
] as const;

export type Channel = (typeof CHANNELS)[number];

/** One arrival on the site: where the visitor came from, as GA4 would report it. */
export interface Touch {
  /**
   * A GA4 default channel group, or a custom channel from an integrator's prepended rule. Absent on
   * touches captured without the classifier (`@leadkit/core/capture`): the server fills it when it
   * re-derives the touch from `landingPage`, `referrer` and `timestamp`.
   */
  channel?: Channel | (string & {});
  /** Lowercased source, e.g. `google`, `(direct)`, `news.ycombinator.com`. */
  source: string;
  /** Lowercased medium, e.g. `cpc`, `organic`, `referral`, `(none)`, `(not set)`. */
  medium: string;
  campaign?: string;
  term?: string;
  content?: string;
  /** `utm_id` */
  id?: string;
  sourcePlatform?: string;
  creativeFormat?: string;
  marketingTactic?: string;
  /** Every recognised click ID on the landing URL (gclid, fbclid, msclkid, ...). Personal data. */
  clickIds: Record<string, string>;
  /** Source and medium as they arrived, before lowercasing. */
  raw: { source: string; medium: string };
  referrer?: string;
  /** Host of the referrer without a leading `www.` (android-app hosts as-is). */
  referringDomain?: string;
  /** The landing URL, capped in length. */
  landingPage: string;
  /** ISO 8601 time of the landing. */
  timestamp: string;
}

/** What a lead carries about its visitor's journey. */
export interface Attribution {
  firstTouch: Touch;
  /** Last non-direct touch: a direct visit never replaces a campaign. */
  lastTouch: Touch;
  /** The touch that started the current session. */
  sessionEntry: Touch;
  /** Bounded history, oldest first. */
  touches: Touch[];
  visitorId: string;
  sessionId: string;
  /** ISO 8601 */
  firstSeen: string;
  pageviews: number;
  sessions: number;
  /** Distinct paths viewed (no query), most recent first, at most 20 of up to 200 characters. */
  pages?: string[];
  /** Landing page Web Vitals, when `@leadkit/core/vitals` is used. */
  vitals?: Record<string, number>;
}

export type ConsentMode = 'granted' | 'denied' | 'pending';
