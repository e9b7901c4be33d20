// Bundles code for the browser with esbuild, in memory: one minified ES2020 file, as a page would load it.
import { build } from 'esbuild';

/** What the script-tag builds add (packages/form/tsup.config.ts): workspace sources, mangled `_` props, no legal comments. */
export const SCRIPT_TAG = { conditions: ['@leadkit/source'], mangleProps: /^_/, legalComments: 'none' };

/** esbuild's result for a minified browser IIFE; `options` add to or override that (entry, format, define, ...). */
export function bundleForBrowser(options) {
  return build({
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
    ...options,
  });
}
