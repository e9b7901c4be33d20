/**
 * The core's page commands (`init`, `grant`, `deny`, `consent`, `pageview`, `fill`, `ready`), registered by
 * the widget's script-tag build too, so a page needs only `leadkit.js` for attribution, consent and forms.
 * Mirrors `@leadkit/core`'s own script-tag entry; if that script already registered them, the first
 * registration wins and this changes nothing.
 */
import { type ConsentMode, getJourney, type InitOptions, init, type Journey } from '@leadkit/core';

export function coreCommands(consent: string | undefined) {
  if (consent && !['granted', 'denied', 'pending'].includes(consent))
    console.error(`[leadkit] data-consent="${consent}" is not granted, denied or pending; starting pending.`);
  const base: InitOptions = {
    consent: consent ? (consent === 'granted' || consent === 'denied' ? consent : 'pending') : undefined,
    url: window.leadkit?.u,
    referrer: window.leadkit?.r,
  };
  const journey = (options?: InitOptions): Journey => getJourney() ?? init({ ...base, ...options });
  return {
    init: journey,
    consent: (mode: ConsentMode) =>
      mode === 'granted' ? journey().grant() : mode === 'denied' && journey().deny(),
    grant: () => journey().grant(),
    deny: () => journey().deny(),
    pageview: (url?: string) => journey().pageview(url),
    fill: (root?: ParentNode) => journey().fillHiddenFields(root),
    ready: (callback: (j: Journey) => void) => callback(journey()),
  };
}
