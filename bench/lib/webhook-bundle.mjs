// Bundles @leadkit/webhook's TypeScript source for a bench, so no build is needed. The file goes into the webhook
// package's node_modules cache, so the dependencies left external load from its node_modules as when installed.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const webhookDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages', 'webhook');

// Only workspace sources are bundled; native and large dependencies load from node_modules.
const EXTERNAL = [
  'better-sqlite3',
  'undici',
  'rate-limiter-flexible',
  'zod',
  'ky',
  'free-email-domains',
  'postgres',
  'esbuild',
];

/**
 * Bundles `exports` (lines like `export { createWorker } from './src/index.ts';`, relative to packages/webhook)
 * into one ESM file named after the bench and returns its path, for this process or child processes to import.
 * The caller removes it.
 */
export async function bundleWebhook(name, exports) {
  const outfile = join(webhookDir, 'node_modules', '.cache', 'leadkit-bench', `${name}-${process.pid}.mjs`);
  await build({
    stdin: { contents: exports.join('\n'), resolveDir: webhookDir, loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@leadkit/source'],
    external: EXTERNAL,
    logLevel: 'error',
  });
  return outfile;
}

/** `bundleWebhook`, imported into this process; the file is removed once loaded. */
export async function importWebhook(name, exports) {
  const outfile = await bundleWebhook(name, exports);
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(outfile, { force: true });
  }
}
