/**
 * Re-derives channel, source and medium of every touch a lead carries from its raw facts (landing page,
 * referrer, time) with the core's classifier and the server's rules, so rules can change without
 * touching websites. The client's other values (campaign, click IDs, ...) are kept as sent.
 */
import { type ChannelRule, parseTouch, type Touch } from '@leadkit/core';
import type { Lead } from '@leadkit/core/lead';

type WireTouch = NonNullable<Lead['attribution']>['firstTouch'];

export function reclassifyLead(lead: Lead, rules: ChannelRule[]): Lead {
  const a = lead.attribution;
  if (!a) return lead;
  // The same landing usually appears several times (first touch, session entry, history): classify once.
  const seen = new Map<string, Touch>();
  const reclassify = (touch: WireTouch): WireTouch => {
    const key = `${touch.landingPage}\n${touch.referrer ?? ''}\n${touch.timestamp}`;
    let derived = seen.get(key);
    if (!derived) {
      derived = parseTouch({
        url: touch.landingPage,
        referrer: touch.referrer,
        timestamp: touch.timestamp,
        rules,
      });
      seen.set(key, derived);
    }
    return {
      ...touch,
      channel: derived.channel,
      source: derived.source,
      medium: derived.medium,
      raw: derived.raw,
    };
  };
  return {
    ...lead,
    attribution: {
      ...a,
      firstTouch: reclassify(a.firstTouch),
      lastTouch: reclassify(a.lastTouch),
      sessionEntry: a.sessionEntry && reclassify(a.sessionEntry),
      touches: a.touches.map(reclassify),
    },
  };
}
