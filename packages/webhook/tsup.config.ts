import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', node: 'src/node.ts', postgres: 'src/postgres.ts', cli: 'src/cli.ts' },
    format: ['esm'],
    dts: { entry: { index: 'src/index.ts', node: 'src/node.ts', postgres: 'src/postgres.ts' } },
    clean: true,
    target: 'node20',
    platform: 'node',
    treeshake: true,
    // Native module: installed with the package, never bundled.
    external: ['better-sqlite3', 'postgres'],
  },
]);
