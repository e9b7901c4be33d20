import { type CaptureInput, resolveSource, type TouchOrigin } from './capture-touch.js';
import { type ChannelRule, decidingRule } from './classify.js';
import { CHANNELS, type Touch } from './types.js';

export type { TouchOrigin } from './capture-touch.js';

export interface TouchInput extends CaptureInput {
  /** Custom channel rules, tried before GA4's. */
  rules?: ChannelRule[];
}

/** parseTouch plus the facts behind it: how source/medium were found and which rule gave the channel. */
export function resolveTouch(input: TouchInput): { touch: Touch; origin: TouchOrigin; rule: number } {
  const [touch, origin] = resolveSource(input);
  const rules = input?.rules;
  const rule = decidingRule(touch, rules);
  touch.channel = rule < 0 ? rules![-rule - 1]!.channel : CHANNELS[rule - 1]!;
  return { touch, origin, rule };
}

/**
 * One arrival as GA4 would report it: source/medium (gclid, then utm_*, then the referrer, else direct),
 * the default channel group, campaign fields, click IDs, referrer and landing page.
 * Pure and total: bad input gives a valid touch (Direct at worst), never an exception.
 */
export function parseTouch(input: TouchInput): Touch & Required<Pick<Touch, 'channel'>> {
  return resolveTouch(input).touch as Touch & Required<Pick<Touch, 'channel'>>;
}
