/**
 * `init()`: the browser journey with GA4 channels (classifier and Google's source list included).
 * The journey itself is in start.ts; `@leadkit/core/capture` starts the same journey without the list.
 */
import { captureFacts } from './capture-touch.js';
import { type ChannelRule, classify } from './classify.js';
import { type CaptureOptions, type Journey, startJourney } from './start.js';

export type { Journey } from './start.js';
export { getJourney } from './start.js';

export interface InitOptions extends CaptureOptions {
  /** Custom channel rules, tried before GA4's. */
  rules?: ChannelRule[];
}

/**
 * Starts (or returns) the page's journey. Every option has a default. Without a DOM (Node, SSR) it
 * returns a fresh in-memory journey each call, stores nothing and is not kept as the page's journey.
 * If `initCapture()` started the page's journey first, it is returned with channels from now on.
 */
export function init(options: InitOptions = {}): Journey {
  return startJourney(options, (...facts) => {
    const touch = captureFacts(...facts);
    touch.channel = classify(touch, options.rules);
    return touch;
  });
}
