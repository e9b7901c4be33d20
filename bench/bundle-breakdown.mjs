#!/usr/bin/env node
// Where a browser bundle's bytes come from: bundles an entry the way the script-tag builds do (esbuild,
// minified IIFE, workspace packages from source) and prints the brotli total, then each input's minified
// bytes in the output, grouped by package. Minified bytes are a guide, not brotli figures: parts compress
// against each other, so measure a change with size-limit (`pnpm size`) before and after.
// Usage: node bench/bundle-breakdown.mjs <entry> [--top 40]
//   e.g. node bench/bundle-breakdown.mjs packages/form/src/embed.ts
import { numberOption } from './lib/args.mjs';
import { bundleForBrowser, SCRIPT_TAG } from './lib/browser-bundle.mjs';
import { brotliBytes } from './lib/compressed.mjs';

const [entry] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const top = numberOption('top', 40);
if (!entry) {
  console.error('Usage: node bench/bundle-breakdown.mjs <entry> [--top 40]');
  process.exit(1);
}

const result = await bundleForBrowser({ entryPoints: [entry], metafile: true, ...SCRIPT_TAG });
const bytes = result.outputFiles[0].contents;
const brotli = brotliBytes(bytes);
console.log(`${entry}: ${bytes.length} B minified, ${brotli} B brotli (q11)`);

/** `preact`, `@preact/signals-core`, `@leadkit/core`, ... for an input path. */
function packageOf(path) {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(path);
  if (dependency) return dependency[1];
  const workspace = /packages\/([^/]+)\//.exec(path);
  return workspace ? `@leadkit/${workspace[1]}` : path;
}

const inputs = Object.entries(Object.values(result.metafile.outputs)[0].inputs)
  .map(([path, { bytesInOutput }]) => ({ path, package: packageOf(path), bytes: bytesInOutput }))
  .filter((i) => i.bytes > 0)
  .sort((a, b) => b.bytes - a.bytes);
const byPackage = new Map();
for (const i of inputs) byPackage.set(i.package, (byPackage.get(i.package) ?? 0) + i.bytes);
console.table([...byPackage].map(([name, minified]) => ({ package: name, minified })));
console.table(
  inputs.slice(0, top).map((i) => ({
    module: i.path.replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, ''),
    minified: i.bytes,
  })),
);
