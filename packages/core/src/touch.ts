import { type CaptureInput, captureTouch } from './capture-touch.js';
import { type ChannelRule, channelOf, classify, decidingRule } from './classify.js';
import type { Touch } from './types.js';

export type { TouchOrigin } from './capture-touch.js';

export interface TouchInput extends CaptureInput {
  /** Custom channel rules, tried before GA4's. */
  rules?: ChannelRule[];
}

/** parseTouch plus the rule that gave the channel (see `decidingRule`). */
export function resolveTouch(input: TouchInput): { touch: Touch; rule: number } {
  const touch = captureTouch(input);
  const rules = input?.rules;
  const rule = decidingRule(touch, rules);
  touch.channel = channelOf(rule, rules);
  return { touch, rule };
}

/**
 * One arrival as GA4 would report it: source/medium (gclid, then utm_*, then the referrer, else direct),
 * the default channel group, campaign fields, click IDs, referrer and landing page.
 * Pure and total: bad input gives a valid touch (Direct at worst), never an exception.
 */
export function parseTouch(input: TouchInput): Touch & Required<Pick<Touch, 'channel'>> {
  const touch = captureTouch(input) as Touch & Required<Pick<Touch, 'channel'>>;
  touch.channel = classify(touch, input?.rules);
  return touch;
}
