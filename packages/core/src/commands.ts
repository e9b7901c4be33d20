/**
 * The page commands a script-tag build registers on `window.leadkit` for the journey: `init`, `consent`,
 * `grant`, `deny`, `pageview`, `fill` and `ready`. Shared by `leadkit-core.js` (with the classifier) and
 * the form widget's `leadkit.js` (through `captureCommands`, without it).
 */
import type { CaptureOptions, Journey } from './start.js';
import type { ConsentMode } from './types.js';

/**
 * The starting consent a script tag asks for with `data-consent`: undefined when absent, and `pending`
 * (said on the console) when the value is not a mode.
 */
export function scriptConsent(value: string | undefined): ConsentMode | undefined {
  if (!value) return undefined;
  if (value === 'granted' || value === 'denied' || value === 'pending') return value;
  console.error(`[leadkit] data-consent="${value}" is not granted, denied or pending; starting pending.`);
  return 'pending';
}

/**
 * The command table for `installCommands`. `start` begins (or returns) the page's journey; `base` are
 * the script's own options, under those of a queued `leadkit('init', options)`. The landing URL and
 * referrer the snippet saw (`window.leadkit.u`, `.r`) are used when present.
 */
export function journeyCommands<O extends CaptureOptions>(start: (options: O) => Journey, base: O) {
  const lk = window.leadkit;
  const journey = (options?: O): Journey => start({ url: lk?.u, referrer: lk?.r, ...base, ...options });
  return {
    init: journey,
    consent: (mode: ConsentMode) =>
      mode === 'granted' ? journey().grant() : mode === 'denied' && journey().deny(),
    grant: () => journey().grant(),
    deny: () => journey().deny(),
    pageview: (url?: string) => journey().pageview(url),
    fill: (root?: ParentNode) => journey().fillHiddenFields(root),
    ready: (callback: (journey: Journey) => void) => callback(journey()),
  };
}
