#!/usr/bin/env node
// What embedding a lead form costs a page at load, in Chromium with the CPU throttled 4x: Leadkit's script-tag
// widget (<leadkit-form>, inline), Typeform's embed (createWidget, inline) and Formbricks' SDK (setup), each on the
// same article page, next to the blank page. Per page view: script time (Performance.getMetrics ScriptDuration,
// whole renderer), long-task total (PerformanceObserver 'longtask') and CLS ('layout-shift', without recent input).
// Median of N runs each (fresh browser context per run, cases interleaved), printed as ratios to Leadkit in one run.
// Offline machine: the peers' calls to their own servers fail, as in research/peers.md; that is their cost of
// loading and starting, not of full operation. Leadkit is bundled from source like its script-tag build.
// Run: `node bench/run.mjs form` (BENCH_RUNS=7 by default).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser } from './lib/browser-bundle.mjs';
import { launchChromium, openThrottledPage } from './lib/chromium.mjs';
import { brotliBytes } from './lib/compressed.mjs';
import { serveFiles } from './lib/static-server.mjs';
import { median } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const formSrc = join(here, '../packages/form');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SETTLE_MS = 2500;

const bundle = async (contents, resolveDir, extra = {}) =>
  (
    await bundleForBrowser({
      stdin: { contents, resolveDir, loader: 'ts', sourcefile: 'entry.ts' },
      logLevel: 'error',
      define: { 'process.env.NODE_ENV': '"production"' },
      ...extra,
    })
  ).outputFiles[0].text;

const config = {
  id: 'demo',
  title: 'Talk to sales',
  fields: [
    { name: 'name', type: 'text', label: 'Full name', required: true },
    { name: 'email', type: 'email', label: 'Work email', required: true },
    { name: 'company', type: 'text', label: 'Company' },
    { name: 'consent', type: 'consent', label: 'I agree to be contacted about this request', required: true },
  ],
};
// Every embed gets the same reserved box (site CSS), as each vendor's docs ask for.
const BOX = 'leadkit-form,#tf{display:block;min-height:460px}';
const article =
  '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>'.repeat(6);
const page = (head, slot) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pricing</title><link rel="stylesheet" href="/site.css">${head}</head><body><main><h1>Pricing</h1>${article}${slot}${article}</main></body></html>`;

const CASES = [
  { id: 'blank', what: 'the same page, no embed', html: page('', '') },
  {
    id: 'leadkit',
    what: '<leadkit-form> via dist/leadkit.js (async)',
    html: page(
      '<script async src="/leadkit.js" data-endpoint="/v1/leads"></script>',
      `<leadkit-form><script type="application/json">${JSON.stringify(config)}</script></leadkit-form>`,
    ),
    ready: 'leadkit-form button[type=submit]',
  },
  {
    id: '@leadkit/core alone',
    what: 'the journey leadkit.js carries (@leadkit/core/capture + commands), to separate its cost',
    html: page('<script async src="/core.js"></script>', ''),
  },
  {
    id: '@typeform/embed',
    what: 'createWidget(id, { container }) + widget.css',
    html: page(
      '<link rel="stylesheet" href="/typeform.css"><script async src="/typeform.js"></script>',
      '<div id="tf"></div>',
    ),
    ready: '#tf iframe',
  },
  {
    id: '@formbricks/js',
    what: 'formbricks.setup({ workspaceId, appUrl })',
    html: page('<script async src="/formbricks.js"></script>', ''),
  },
];

const files = {
  '/site.css': ['text/css', BOX],
  '/leadkit.js': [
    'text/javascript',
    await bundle("import './src/embed.ts';", formSrc, {
      conditions: ['@leadkit/source'],
      mangleProps: /^_/,
      jsx: 'transform',
      jsxFactory: 'h',
      jsxFragment: 'Fragment',
    }),
  ],
  '/core.js': [
    'text/javascript',
    await bundle(
      "import { captureCommands, installCommands } from '@leadkit/core/capture'; const c = captureCommands(); installCommands(c); c.init();",
      formSrc,
      { conditions: ['@leadkit/source'] },
    ),
  ],
  '/typeform.js': [
    'text/javascript',
    await bundle(
      "import { createWidget } from '@typeform/embed'; createWidget('FORM_ID', { container: document.getElementById('tf') });",
      here,
    ),
  ],
  '/typeform.css': [
    'text/css',
    readFileSync(join(here, 'node_modules/@typeform/embed/build/css/widget.css'), 'utf8'),
  ],
  '/formbricks.js': [
    'text/javascript',
    await bundle(
      "import formbricks from '@formbricks/js'; formbricks.setup({ workspaceId: 'clxxxxxxxxxxxxxxxxxxxxxxx', appUrl: 'https://app.formbricks.com' });",
      here,
    ),
  ],
};
for (const c of CASES) files[`/${c.id.replace(/\W/g, '')}`] = ['text/html; charset=utf-8', c.html];

const server = await serveFiles(files);

// Recorded from the first moment of the page: long tasks and layout shifts.
const OBSERVE = () => {
  window.__lt = 0;
  window.__cls = 0;
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) window.__lt += e.duration;
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
};

const browser = await launchChromium();
const samples = Object.fromEntries(CASES.map((c) => [c.id, { script: [], longTasks: [], cls: [] }]));
try {
  for (let run = 0; run < RUNS; run++) {
    for (const c of CASES) {
      const {
        context,
        page: p,
        cdp,
      } = await openThrottledPage(browser, {
        observe: OBSERVE,
        contextOptions: { viewport: { width: 1280, height: 800 } },
      });
      await cdp.send('Performance.enable');
      await p.goto(`${server.origin}/${c.id.replace(/\W/g, '')}`, { waitUntil: 'load' });
      // A fixed settle time, not a readiness poll: Playwright's polling runs script in the page and would count.
      await p.waitForTimeout(SETTLE_MS);
      const { metrics } = await cdp.send('Performance.getMetrics');
      if (c.ready && !(await p.locator(c.ready).count()))
        throw new Error(`${c.id} did not render within ${SETTLE_MS} ms`);
      const s = samples[c.id];
      s.script.push(metrics.find((m) => m.name === 'ScriptDuration').value * 1000);
      s.longTasks.push(await p.evaluate(() => window.__lt));
      s.cls.push(await p.evaluate(() => window.__cls));
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}

const lk = samples.leadkit;
const base = { script: median(lk.script), longTasks: median(lk.longTasks) };
const ratio = (v, b) => (b > 0 ? `${(v / b).toFixed(2)}x` : v > 0 ? 'n/a (Leadkit 0)' : '-');
const leadkitJs = Buffer.from(files['/leadkit.js'][1]);
console.log(
  `Chromium, CPU throttled 4x, median of ${RUNS} page views per case (leadkit.js from this build: ${(leadkitJs.length / 1000).toFixed(1)} kB min, ${(brotliBytes(leadkitJs) / 1000).toFixed(1)} kB brotli)\n`,
);
const rows = CASES.map((c) => {
  const s = samples[c.id];
  const script = median(s.script);
  const longTasks = median(s.longTasks);
  return {
    case: c.id,
    what: c.what,
    'script ms': script.toFixed(1),
    'vs leadkit': ratio(script, base.script),
    'long tasks ms': longTasks.toFixed(0),
    'long tasks vs leadkit': ratio(longTasks, base.longTasks),
    CLS: median(s.cls).toFixed(4),
  };
});
console.table(rows);
