import { writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { defineConfig } from 'tsup';
import { version } from './package.json';
import { snippet } from './src/snippet.ts';

const major = version.split('.')[0];

export default defineConfig({
  entry: { index: 'src/index.ts', capture: 'src/capture.ts', lead: 'src/lead.ts', vitals: 'src/vitals.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2020',
  platform: 'neutral',
  treeshake: true,
  // The script-tag build and the snippet are made after the library, in order, so `clean` cannot race them.
  async onSuccess() {
    await build({
      entryPoints: ['src/iife.ts'],
      outfile: 'dist/leadkit-core.js',
      bundle: true,
      minify: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      banner: { js: `/*! @leadkit/core v${version} | MIT */` },
      logLevel: 'warning',
    });
    writeFileSync(
      'dist/snippet.min.js',
      snippet(`https://cdn.jsdelivr.net/npm/@leadkit/core@${major}/dist/leadkit-core.js`, {
        consent: 'pending',
      }),
    );
  },
});
