#!/usr/bin/env node
// How much of each browser budget is spent before any Leadkit logic: bundles (esbuild, minified, brotli q11,
// in one run) of what every implementation of issue 2 and issue 4 must carry, next to what ships.
//
// Issue 2 (4 KB for `init()`): the strings the spec fixes: Google's 819 source names with their categories
// (in the smallest encoding found, see packages/core/CLASSIFIER.md), the 19 channel names as Google spells
// them, Google's rule regexes and literals, the 19 click-ID and 9 utm_* parameter names, the Touch field
// names. No code reads them: the floor of the data alone.
// Issue 4 (15 KB for `dist/leadkit.js`): the stack the issue fixes (Preact rendering a one-field form,
// @preact/signals-core driving it) and the core's journey (`initCapture()`, the attribution each lead carries).
// Run: `node bench/run.mjs size-floor`.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser, SCRIPT_TAG } from './lib/browser-bundle.mjs';
import { brotliBytes } from './lib/compressed.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const core = join(here, '../packages/core/src');
const form = join(here, '../packages/form/src');

/** Bundles `code` the way the script-tag builds do: its brotli size and esbuild's metafile. */
async function bundle(code, loader = 'ts') {
  const result = await bundleForBrowser({
    // The form package resolves preact and signals as leadkit.js does.
    stdin: { contents: code, resolveDir: form, loader },
    ...SCRIPT_TAG,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    metafile: true,
  });
  return { bytes: brotliBytes(result.outputFiles[0].contents), metafile: result.metafile };
}
const measure = async (code, loader) => (await bundle(code, loader)).bytes;

// Google's rule regexes and literals (https://support.google.com/analytics/answer/9756891), as short as
// classify.ts writes them, and the search engines whose referrer names an organic source.
const GOOGLE_RULES = `[
  /^(.*cp.*|ppc|retargeting|paid.*)$/, /^(.*(([^a-df-z]|^)shop|shopping).*)$/, /^e[-_ ]?mail$/,
  /^\\((not set|none)\\)$/, /^(display|banner|expandable|interstitial|cpm)$/, /^(social([ -](network|media))?|sm)$/,
  /^(referral|app|link)$/, /push$|mobile|notification/,
  /^(?:www\\.)?(?:(google)\\.(?:com?\\.)?[a-z]{2,3}|(bing|duckduckgo|baidu)\\.com|search\\.(yahoo)\\.(?:com|co\\.jp))$/,
  '(direct)', '(none)', '(not set)', 'cross-network', 'video', 'organic', 'affiliate', 'audio', 'sms', 'firebase',
  'referral', 'shopping', 'search', 'social',
]`;
const TOUCH_FIELDS = `['channel','source','medium','campaign','term','content','id','sourcePlatform','creativeFormat',
  'marketingTactic','clickIds','referrer','referringDomain','landingPage','timestamp','firstTouch','lastTouch',
  'sessionTouch','touches','visitorId','sessionId','firstSeen']`;

const SPEC_STRINGS = `
  import { SOURCE_DATA } from '${core}/sources.data.ts';
  import { CHANNELS } from '${core}/types.ts';
  import { CLICK_ID_PARAMS } from '${core}/click-ids.ts';
  import { UTM_FIELDS } from '${core}/capture-touch.ts';
  console.log(SOURCE_DATA, CHANNELS, CLICK_ID_PARAMS, UTM_FIELDS, ${GOOGLE_RULES}, ${TOUCH_FIELDS});`;

// One field rendered by Preact from a signal: the least a Preact + signals widget can be.
const STACK = `
  import { render } from 'preact';
  import { signal, effect } from '@preact/signals-core';
  const email = signal('');
  const el = document.body.appendChild(document.createElement('div'));
  effect(() => render(
    <form onSubmit={(e) => { e.preventDefault(); fetch('/v1/leads', { method: 'POST', body: email.value }); }}>
      <label for="e">Work email</label>
      <input id="e" name="email" type="email" value={email.value} onInput={(e) => (email.value = e.currentTarget.value)} />
      <button type="submit">Send</button>
    </form>, el));`;
const CAPTURE = `import { initCapture } from '${core}/capture.ts'; initCapture();`;

const rows = [];
const row = (issue, what, bytes, budget) =>
  rows.push({ issue, what, 'brotli B': bytes, 'share of budget': `${((bytes / budget) * 100).toFixed(0)}%` });

// Issue 2
// size-limit counts a KB as 1000 bytes; so does this bench.
const CORE_BUDGET = 4000;
const specStrings = await measure(SPEC_STRINGS);
const parseTouch = await measure(`import { parseTouch } from '${core}/index.ts'; console.log(parseTouch);`);
const init = await measure(`import { init } from '${core}/index.ts'; init();`);
row(2, 'budget: init()', CORE_BUDGET, CORE_BUDGET);
row(
  2,
  'spec strings alone (source list, channel names, rules, parameter and field names)',
  specStrings,
  CORE_BUDGET,
);
row(2, 'parseTouch alone (classifier, safe URL parsing, list decoder, no journey)', parseTouch, CORE_BUDGET);
row(2, 'shipped: init() (+ journey, storage, consent, SPA, hidden fields)', init, CORE_BUDGET);

// Issue 4
const FORM_BUDGET = 15000;
const stack = await measure(STACK, 'tsx');
const stackAndCapture = await measure(`${STACK}\n${CAPTURE}`, 'tsx');
const { bytes: shipped, metafile } = await bundle(`import '${form}/embed.ts';`);
row(4, 'budget: dist/leadkit.js', FORM_BUDGET, FORM_BUDGET);
row(4, 'Preact + signals rendering one field', stack, FORM_BUDGET);
row(4, '+ the core journey, initCapture()', stackAndCapture, FORM_BUDGET);
row(4, 'shipped: leadkit.js (+ the widget the issue lists)', shipped, FORM_BUDGET);

console.table(rows);

// Where the widget's bytes go, by the issue's requirement: each module's minified bytes in leadkit.js, scaled
// to brotli by the widget's overall ratio (parts compress against each other: an estimate, not a measurement).
const REQUIREMENTS = [
  ['config checked, errors that name the key', /config-(check|rules|constants)/],
  ['fields: 11 types, labels, help, errors wired, autocomplete', /components\/Field|field-attributes/],
  [
    'steps, showIf, values, prefill, hidden sources, validation on submit',
    /model|values|validate|conditions/,
  ],
  ['error summary, form body, progress, success', /ErrorSummary|FormBody|Widget|Success/],
  ['styles: themable, dark mode, reduced motion, parts; constructable sheets + nonce', /styles\//],
  ['built-in strings (en) and locale loading', /i18n\//],
  ['outbox, retries with backoff, timeout', /outbox|transport/],
  [
    'lead contents, events, dataLayer, Turnstile hook',
    /form\/src\/(lead|page-context|journey|events|turnstile)/,
  ],
  [
    'embedding: element, script options, stub queue, popup loader, no-CLS reserve',
    /form\/src\/(mount-form|element|embed|script-options|sibling-files|display|view|reserve)/,
  ],
];
const output = Object.values(metafile.outputs)[0];
const widgetInputs = Object.entries(output.inputs).filter(([path]) => path.includes('packages/form/src'));
const widgetMinified = widgetInputs.reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
const widgetBrotli = shipped - stackAndCapture;
const groups = REQUIREMENTS.map(([requirement, pattern]) => {
  const minified = widgetInputs
    .filter(([path]) => pattern.test(path))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  return {
    requirement,
    'minified B': minified,
    '~brotli B': Math.round((minified / widgetMinified) * widgetBrotli),
  };
});
const grouped = groups.reduce((sum, g) => sum + g['minified B'], 0);
if (grouped !== widgetMinified)
  console.warn(`(${widgetMinified - grouped} minified B of the widget belong to no requirement above)`);
console.table(groups);
console.log(`Issue 2: the spec's strings alone take ${specStrings} B, leaving ${CORE_BUDGET - specStrings} B for all code;
  parseTouch alone is ${(parseTouch / CORE_BUDGET).toFixed(2)}x the whole init() budget before any journey.
Issue 4: the fixed stack and journey take ${stackAndCapture} B, leaving ${FORM_BUDGET - stackAndCapture} B for the widget;
  the shipped widget adds ${shipped - stackAndCapture} B (${((shipped - stackAndCapture) / (FORM_BUDGET - stackAndCapture)).toFixed(2)}x what is left).`);
