/**
 * The script-tag build (`dist/leadkit-core.js`). Options come from its own tag's `data-*`
 * attributes; commands queued by the snippet run once it loads:
 *
 *   <script async src=".../leadkit-core.js" data-consent="pending" data-hidden-fields="on"
 *           data-cross-domain="example.com,example-app.io"></script>
 *   leadkit('grant')   leadkit('deny')   leadkit('pageview', url)   leadkit('fill', root)
 *   leadkit('ready', (journey) => console.log(journey.attribution()))
 */
import { crossDomain } from './cross-domain.js';
import { installCommands } from './global.js';
import { getJourney, type InitOptions, init, type Journey } from './init.js';
import type { ConsentMode } from './types.js';

// document.currentScript is only set while this file first runs.
const data = (document.currentScript as HTMLScriptElement | null)?.dataset ?? {};

if (!window.leadkit?.h?.init) {
  const consent = data.consent as ConsentMode | undefined;
  if (consent && !['granted', 'denied', 'pending'].includes(consent)) {
    console.error(`[leadkit] data-consent="${consent}" is not granted, denied or pending; starting pending.`);
  }
  const base: InitOptions = {
    consent: consent && (['granted', 'denied'].includes(consent) ? consent : 'pending'),
    hiddenFields: data.hiddenFields === 'on',
    crossDomain: data.crossDomain
      ? crossDomain({ domains: data.crossDomain.split(/[\s,]+/).filter(Boolean) })
      : undefined,
    url: window.leadkit?.u,
    referrer: window.leadkit?.r,
  };
  const journey = (options?: InitOptions): Journey => getJourney() ?? init({ ...base, ...options });
  installCommands({
    init: journey,
    consent: (mode: ConsentMode) =>
      mode === 'granted' ? journey().grant() : mode === 'denied' && journey().deny(),
    grant: () => journey().grant(),
    deny: () => journey().deny(),
    pageview: (url?: string) => journey().pageview(url),
    fill: (root?: ParentNode) => journey().fillHiddenFields(root),
    ready: (callback: (journey: Journey) => void) => callback(journey()),
  });
  journey();
}
