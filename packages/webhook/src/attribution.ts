/**
 * Re-derives channel, source and medium of every touch a lead carries from its raw facts (landing page,
 * referrer, time) with the core's classifier and the server's rules, so rules can change without
 * touching websites. The client's other values (campaign, click IDs, ...) are kept as sent.
 */
import { type ChannelRule, parseTouch } from '@leadkit/core';
import type { Lead } from '@leadkit/core/lead';

type WireTouch = NonNullable<Lead['attribution']>['firstTouch'];

function reclassify(touch: WireTouch, rules: ChannelRule[]): WireTouch {
  const derived = parseTouch({
    url: touch.landingPage,
    referrer: touch.referrer,
    timestamp: touch.timestamp,
    rules,
  });
  return {
    ...touch,
    channel: derived.channel,
    source: derived.source,
    medium: derived.medium,
    raw: derived.raw,
  };
}

export function reclassifyLead(lead: Lead, rules: ChannelRule[]): Lead {
  const a = lead.attribution;
  if (!a) return lead;
  return {
    ...lead,
    attribution: {
      ...a,
      firstTouch: reclassify(a.firstTouch, rules),
      lastTouch: reclassify(a.lastTouch, rules),
      sessionEntry: a.sessionEntry && reclassify(a.sessionEntry, rules),
      touches: a.touches.map((t) => reclassify(t, rules)),
    },
  };
}
