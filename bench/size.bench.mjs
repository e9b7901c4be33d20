#!/usr/bin/env node
// What a page ships for attribution: the same usage of @leadkit/core and of three tracking peers, each bundled
// with esbuild (--bundle --minify --format=esm --platform=browser --target=es2020; one file, so a peer's lazy chunks
// count too), measured raw, gzip -9 and brotli q11, and printed as peer/Leadkit ratios in one run.
// Leadkit is bundled from source, so no build is needed. Run: `node bench/run.mjs size`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser } from './lib/browser-bundle.mjs';
import { brotliBytes, gzipBytes } from './lib/compressed.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const core = join(here, '../packages/core/src');

const CASES = [
  {
    id: 'leadkit',
    what: "import { init } from '@leadkit/core'; init()",
    code: `import { init } from '${core}/index.ts'; init();`,
  },
  {
    id: 'leadkit/capture',
    what: "import { initCapture } from '@leadkit/core/capture'; initCapture() (no channel: the server classifies)",
    code: `import { initCapture } from '${core}/capture.ts'; initCapture();`,
  },
  {
    id: 'leadkit + hidden fields + cross-domain',
    what: 'init({ hiddenFields: true, crossDomain: crossDomain({ domains }) })',
    code: `import { crossDomain, init } from '${core}/index.ts';
      init({ hiddenFields: true, crossDomain: crossDomain({ domains: ['example-app.io'] }) });`,
  },
  {
    id: '@segment/analytics-next',
    what: 'AnalyticsBrowser.load({ writeKey }) + page()',
    code: `import { AnalyticsBrowser } from '@segment/analytics-next';
      AnalyticsBrowser.load({ writeKey: 'WRITE_KEY' }).page();`,
  },
  {
    id: 'posthog-js',
    what: 'posthog.init(token, { api_host })',
    code: `import posthog from 'posthog-js'; posthog.init('phc_TOKEN', { api_host: 'https://eu.i.posthog.com' });`,
  },
  {
    id: '@snowplow/browser-tracker',
    what: 'newTracker(collector) + trackPageView()',
    code: `import { newTracker, trackPageView } from '@snowplow/browser-tracker';
      newTracker('sp', 'https://collector.example.com'); trackPageView();`,
  },
];

/** One file with everything the usage can reach (esbuild inlines lazy `import()`s without --splitting). */
async function measure({ code }) {
  const result = await bundleForBrowser({
    stdin: { contents: code, resolveDir: here, loader: 'ts', sourcefile: 'entry.ts' },
    format: 'esm',
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const bytes = Buffer.from(result.outputFiles[0].contents);
  return {
    raw: bytes.length,
    gzip: gzipBytes(bytes),
    brotli: brotliBytes(bytes),
  };
}

const version = (name) => {
  try {
    return JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
};

const rows = [];
for (const c of CASES) {
  try {
    rows.push({ ...c, ...(await measure(c)) });
  } catch (error) {
    console.error(
      `[bench] could not bundle ${c.id} (is \`pnpm install\` done?): ${error.message.split('\n')[0]}`,
    );
    process.exitCode = 1;
  }
}

const base = rows.find((r) => r.id === 'leadkit');
const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(8);
console.log(
  `${'bundle'.padEnd(40)} ${'raw'.padStart(8)} ${'gzip'.padStart(8)} ${'brotli'.padStart(8)}  ${'x Leadkit'.padStart(9)}  usage`,
);
for (const r of rows) {
  const name = r.id.startsWith('leadkit') ? r.id : `${r.id}@${version(r.id)}`;
  const ratio = base ? `${(r.brotli / base.brotli).toFixed(1)}x`.padStart(9) : '';
  console.log(`${name.padEnd(40)} ${kb(r.raw)} ${kb(r.gzip)} ${kb(r.brotli)}  ${ratio}  ${r.what}`);
}
if (base)
  console.log(
    `\nIssue 2's budget: Leadkit ${base.brotli} B brotli of 4096 B (${((base.brotli / 4096) * 100).toFixed(0)}%);` +
      ' the floor analysis is in packages/core/CLASSIFIER.md.',
  );
