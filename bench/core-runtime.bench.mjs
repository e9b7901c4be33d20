#!/usr/bin/env node
// What @leadkit/core costs a page at run time, in Chromium with the CPU throttled 4x (DESIGN.md: no long task).
// The bundle is inlined between two timestamps, so "script + init" is parse, compile, evaluation and `init()`
// (no network). Per page view: that time, the longest idle-time task Leadkit ran (requestIdleCallback wrapped),
// the long-task total of the load and its longest task (PerformanceObserver 'longtask', page parsing included),
// and the first `attribution()` read, either right after `init()` (pays for decoding Google's source list and
// classifying) or after the page went idle (the list was decoded in idle time). Median of BENCH_RUNS runs.
// BASELINE_SRC=/path/to/older/packages/core/src prints the same rows for an older core, for before/after figures.
// Run: `node bench/run.mjs core-runtime`.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser } from './lib/browser-bundle.mjs';
import { launchChromium, openThrottledPage } from './lib/chromium.mjs';
import { serveFiles } from './lib/static-server.mjs';
import { median } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SETTLE_MS = 1500;

const SOURCES = { current: join(here, '../packages/core/src') };
if (process.env.BASELINE_SRC) SOURCES.baseline = process.env.BASELINE_SRC;

// Each usage records `__init` (ms spent in init()) and, when asked, `__read` (ms of the first attribution()).
const USAGES = {
  'init()': (src) => `import { init } from '${src}/index.ts';
    const t = performance.now(); window.__journey = init(); window.__init = performance.now() - t;`,
  'init() + attribution() at once': (src) => `import { init } from '${src}/index.ts';
    const t = performance.now(); const j = init(); window.__init = performance.now() - t;
    const r = performance.now(); j.attribution(); window.__read = performance.now() - r;`,
  'init({ hiddenFields: true }) + a form': (src) => `import { init } from '${src}/index.ts';
    const t = performance.now(); window.__journey = init({ hiddenFields: true }); window.__init = performance.now() - t;`,
};

const bundle = async (contents) =>
  (
    await bundleForBrowser({
      stdin: { contents, resolveDir: here, loader: 'ts', sourcefile: 'entry.ts' },
      logLevel: 'error',
    })
  ).outputFiles[0].text;

const form =
  '<form><input type="hidden" name="utm_source"><input type="hidden" name="channel"><input name="email"></form>';
const article =
  '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>'.repeat(6);
const page = (code) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pricing</title>` +
  `<script>window.__t0 = performance.now()</script><script>${code}</script>` +
  `<script>window.__script = performance.now() - window.__t0</script></head>` +
  `<body><main><h1>Pricing</h1>${article}${form}${article}</main></body></html>`;

const CASES = [{ id: 'blank page (no script)', html: page('') }];
for (const [version, src] of Object.entries(SOURCES)) {
  for (const [usage, entry] of Object.entries(USAGES)) {
    CASES.push({ id: `${version}: ${usage}`, html: page(await bundle(entry(src))) });
  }
}
const server = await serveFiles(
  Object.fromEntries(CASES.map((c, i) => [`/${i}`, ['text/html; charset=utf-8', c.html]])),
);

const OBSERVE = () => {
  window.__lt = 0;
  window.__longest = 0;
  // The longest idle callback Leadkit ran (storing, decoding the list, filling forms): its own later tasks.
  window.__idle = 0;
  const requestIdle = window.requestIdleCallback;
  window.requestIdleCallback = (callback, options) =>
    requestIdle((deadline) => {
      const t = performance.now();
      callback(deadline);
      window.__idle = Math.max(window.__idle, performance.now() - t);
    }, options);
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) {
      window.__lt += e.duration;
      window.__longest = Math.max(window.__longest, e.duration);
    }
  }).observe({ type: 'longtask', buffered: true });
};

// A paid-search landing from Google: the classifier has real work (utm tags, a gclid, a listed source).
const LANDING = '?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=EAIaIQobChMI';
const samples = Object.fromEntries(
  CASES.map((c) => [c.id, { script: [], init: [], idle: [], longTasks: [], longest: [], read: [] }]),
);
const browser = await launchChromium();
try {
  for (let run = 0; run < RUNS; run++) {
    for (const [i, c] of CASES.entries()) {
      const { context, page: p } = await openThrottledPage(browser, { observe: OBSERVE });
      await p.goto(`${server.origin}/${i}${LANDING}`, {
        waitUntil: 'load',
        referer: 'https://www.google.com/',
      });
      // A fixed settle time, not a readiness poll: polling runs script in the page and would count.
      await p.waitForTimeout(SETTLE_MS);
      const m = await p.evaluate(() => {
        let read = window.__read;
        if (read === undefined && window.__journey) {
          const t = performance.now();
          window.__journey.attribution();
          read = performance.now() - t;
        }
        const filled = document.querySelector('input[name=utm_source]').value;
        const { __script: script, __init: init, __idle: idle, __lt: longTasks, __longest: longest } = window;
        return { script, init, idle, longTasks, longest, read, filled };
      });
      if (c.id.includes('hiddenFields') && m.filled !== 'google')
        throw new Error(`${c.id}: the form was not filled (utm_source is "${m.filled}")`);
      const s = samples[c.id];
      for (const key of Object.keys(s)) s[key].push(m[key] ?? 0);
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}

console.log(`Chromium, CPU throttled 4x, median of ${RUNS} page views per case (landing ${LANDING})\n`);
console.table(
  CASES.map((c) => {
    const s = samples[c.id];
    return {
      case: c.id,
      'script + init ms': median(s.script).toFixed(1),
      'init() ms': median(s.init).toFixed(1),
      'longest idle task ms': median(s.idle).toFixed(1),
      'long tasks ms': median(s.longTasks).toFixed(0),
      'longest task ms': median(s.longest).toFixed(0),
      'first attribution() ms': median(s.read).toFixed(1),
    };
  }),
);
console.log(
  '"first attribution()" is read right after init() in the "at once" rows, else after the page went idle.',
);
