/**
 * The script-tag build (`dist/leadkit-core.js`). Options come from its own tag's `data-*`
 * attributes; commands queued by the snippet run once it loads:
 *
 *   <script async src=".../leadkit-core.js" data-consent="pending" data-hidden-fields="on"
 *           data-cross-domain="example.com,example-app.io"></script>
 *   leadkit('grant')   leadkit('deny')   leadkit('pageview', url)   leadkit('fill', root)
 *   leadkit('ready', (journey) => console.log(journey.attribution()))
 */
import { journeyCommands, scriptConsent } from './commands.js';
import { crossDomain } from './cross-domain.js';
import { installCommands } from './global.js';
import { init } from './init.js';

// document.currentScript is only set while this file first runs.
const data = (document.currentScript as HTMLScriptElement | null)?.dataset ?? {};

if (!window.leadkit?.h?.init) {
  const commands = journeyCommands(init, {
    consent: scriptConsent(data.consent),
    hiddenFields: data.hiddenFields === 'on',
    crossDomain: data.crossDomain
      ? crossDomain({ domains: data.crossDomain.split(/[\s,]+/).filter(Boolean) })
      : undefined,
  });
  installCommands(commands);
  commands.init();
}
