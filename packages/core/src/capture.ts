/**
 * `@leadkit/core/capture`: the journey without the classifier and Google's source list. Touches carry
 * source, medium, campaign fields, click IDs, landing page, referrer and time, and no `channel`: the
 * server (`@leadkit/webhook`) derives the channel from each touch's landing page and referrer on intake.
 * For pages whose attribution only travels with a lead, such as the form widget's.
 */
import { journeyCommands, scriptConsent } from './commands.js';
import { type CaptureOptions, type Journey, startJourney } from './start.js';

export type { CaptureInput } from './capture-touch.js';
export { captureTouch } from './capture-touch.js';
export { CLICK_ID_PARAMS } from './click-ids.js';
export type { CrossDomain, CrossDomainOptions } from './cross-domain.js';
export { crossDomain } from './cross-domain.js';
export type { Command, Leadkit } from './global.js';
export { installCommands } from './global.js';
export type { FieldMap } from './hidden-fields.js';
export type { CaptureOptions, Journey } from './start.js';
export { getJourney } from './start.js';
export type { Attribution, ConsentMode, Touch } from './types.js';

/**
 * Starts (or returns) the page's journey, like `init()` but without channels. Every option has a default.
 * If `init()` already started the page's journey, that one (with channels) is returned.
 */
export function initCapture(options: CaptureOptions = {}): Journey {
  return startJourney(options);
}

/**
 * The journey's script-tag commands (`init`, `consent`, `grant`, `deny`, `pageview`, `fill`, `ready`),
 * capturing without the classifier, for `installCommands`. `consent` is the script's `data-consent`
 * value (checked: anything but a mode starts `pending`, with a console error).
 */
export function captureCommands(consent?: string) {
  return journeyCommands(initCapture, { consent: scriptConsent(consent) });
}
