import { defineConfig } from 'tsup';

export default defineConfig([
  // npm: ESM only, one file per module (not bundled), so an app's bundler drops what it does not use:
  // `import { mount }` never pulls in zod, which only `validateConfig` needs.
  {
    entry: ['src/**/*.ts', 'src/**/*.tsx', '!src/embed.ts', '!src/popup-file.ts', '!src/locale-files/**'],
    format: ['esm'],
    bundle: false,
    dts: true,
    clean: true,
    target: 'es2020',
    platform: 'browser',
  },
  // Script tag: one self-contained file with Preact, signals and the core journey.
  {
    entry: {
      leadkit: 'src/embed.ts',
      'leadkit.popup': 'src/popup-file.ts',
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
      // Workspace packages from source, as in tests (no dependence on their build order).
      options.conditions = ['@leadkit/source'];
      // Private members start with `_`: shorten them in the shipped file.
      options.mangleProps = /^_/;
      options.legalComments = 'none';
    },
  },
]);
