#!/usr/bin/env node
// parseTouch throughput on a realistic mix of landings, next to its floor: `new URL(url)` + `new URL(referrer)`,
// which any parser must at least do. Bundles @leadkit/core's source with esbuild first, so no build is needed.
// Run: `node bench/run.mjs touch`.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { median } from './lib/stats.mjs';
import { tempDir } from './lib/temp-dir.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SITE = 'https://www.example.com';

// What lands on a B2B site: search, ads (with click IDs), social, email, partners, direct, internal hops.
const LANDINGS = [
  { url: `${SITE}/`, referrer: 'https://www.google.com/' },
  { url: `${SITE}/pricing`, referrer: 'https://www.google.co.uk/' },
  { url: `${SITE}/blog/lead-forms`, referrer: 'https://www.bing.com/' },
  { url: `${SITE}/blog/utm-guide`, referrer: 'https://duckduckgo.com/' },
  {
    url: `${SITE}/?gclid=Cj0KCQiA5rGuBhCnARIsAN11vgRZ8x2WwDq_1a&gad_source=1`,
    referrer: 'https://www.google.com/',
  },
  {
    url: `${SITE}/demo?utm_source=google&utm_medium=cpc&utm_campaign=brand_exact&utm_term=lead+capture&gclid=EAIaIQobChMI`,
    referrer: 'https://www.google.com/',
  },
  {
    url: `${SITE}/?utm_source=facebook&utm_medium=paid_social&utm_campaign=q3_prospecting&fbclid=IwAR2xZ`,
    referrer: 'https://l.facebook.com/',
  },
  { url: `${SITE}/?fbclid=IwAR0abc`, referrer: 'https://m.facebook.com/' },
  { url: `${SITE}/?utm_source=linkedin&utm_medium=cpc&utm_campaign=abm_eu&li_fat_id=4c8c2f1e`, referrer: '' },
  { url: `${SITE}/webinar`, referrer: 'https://www.linkedin.com/' },
  { url: `${SITE}/changelog`, referrer: 'https://t.co/xyz' },
  { url: `${SITE}/?utm_source=newsletter&utm_medium=email&utm_campaign=2025-06&mc_cid=8f2a`, referrer: '' },
  { url: `${SITE}/?utm_source=chatgpt.com`, referrer: 'https://chatgpt.com/' },
  { url: `${SITE}/integrations/hubspot`, referrer: 'https://news.ycombinator.com/' },
  { url: `${SITE}/docs`, referrer: 'https://github.com/leadkit/leadkit' },
  { url: `${SITE}/?msclkid=5f1b2c&utm_source=bing&utm_medium=cpc`, referrer: 'https://www.bing.com/' },
  { url: `${SITE}/pricing`, referrer: 'https://app.example.com/settings' },
  { url: `${SITE}/`, referrer: '' },
  { url: `${SITE}/contact`, referrer: '' },
  { url: `${SITE}/`, referrer: 'android-app://com.google.android.gm/' },
  {
    url: `${SITE}/?utm_source=partner&utm_medium=affiliate&irclid=Qx1${'a'.repeat(60)}`,
    referrer: 'https://partner.example.org/',
  },
  {
    url: `${SITE}/shop?utm_campaign=summer_shop&utm_source=ig&utm_medium=social`,
    referrer: 'https://l.instagram.com/',
  },
];

async function loadParseTouch() {
  const result = await build({
    entryPoints: [join(here, '../packages/core/src/touch.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['@leadkit/source'],
    write: false,
  });
  const dir = tempDir('touch');
  const file = dir.file('touch.mjs');
  writeFileSync(file, result.outputFiles[0].text);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    dir.remove();
  }
}

function floor({ url, referrer }) {
  const u = new URL(url);
  if (!referrer) return u;
  try {
    return new URL(referrer);
  } catch {
    return u;
  }
}

// Operations per second of fn over the mix, over at least `ms` milliseconds.
function opsPerSecond(fn, ms) {
  let ops = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (const landing of LANDINGS) sink += fn(landing) ? 1 : 0;
    ops += LANDINGS.length;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  if (sink !== ops) throw new Error('a parser returned nothing');
  return (ops / elapsed) * 1000;
}

const { parseTouch } = await loadParseTouch();
const coldStart = performance.now();
parseTouch(LANDINGS[0]); // decodes the source list
const coldMs = performance.now() - coldStart;

const parse = (landing) => parseTouch(landing);
opsPerSecond(parse, 300); // warm-up
opsPerSecond(floor, 300);
const touchRuns = [];
const floorRuns = [];
for (let round = 0; round < 5; round++) {
  touchRuns.push(opsPerSecond(parse, 400));
  floorRuns.push(opsPerSecond(floor, 400));
}
const touch = median(touchRuns);
const urls = median(floorRuns);
const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(11);

console.log(
  `parseTouch on ${LANDINGS.length} realistic landings, Node ${process.versions.node}, median of 5 rounds`,
);
console.log(`  new URL(url) + new URL(referrer) (floor) ${fmt(urls)} /s`);
console.log(
  `  parseTouch                              ${fmt(touch)} /s   ${(urls / touch).toFixed(1)}x the floor's time per touch`,
);
console.log(`  first call (decodes the 819-name source list once) ${coldMs.toFixed(2)} ms`);
