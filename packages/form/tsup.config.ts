import { defineConfig } from 'tsup';

export default defineConfig([
  // npm: ESM only, dependencies external, types.
  {
    entry: { index: 'src/index.ts', element: 'src/element-entry.ts' },
    format: ['esm'],
    dts: true,
    clean: true,
    target: 'es2020',
    platform: 'browser',
    treeshake: true,
  },
  // Script tag: one self-contained file with Preact, signals and the core journey.
  {
    entry: {
      leadkit: 'src/embed.ts',
      'leadkit.de': 'src/locale-files/de.ts',
      'leadkit.fr': 'src/locale-files/fr.ts',
      'leadkit.es': 'src/locale-files/es.ts',
    },
    format: ['iife'],
    outExtension: () => ({ js: '.js' }),
    noExternal: [/.*/],
    minify: true,
    target: 'es2020',
    platform: 'browser',
    treeshake: true,
    esbuildOptions(options) {
      // Private members start with `_`: shorten them in the shipped file.
      options.mangleProps = /^_/;
      options.legalComments = 'none';
    },
  },
]);
