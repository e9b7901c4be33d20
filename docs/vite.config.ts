import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';
import { docsPages } from './build/plugin.js';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the site works from any folder (GitHub Pages, a CDN path, file://).
  base: './',
  // The playground and inspector bundle the packages from source, like the tests do.
  resolve: { conditions: ['@leadkit/source', ...defaultClientConditions] },
  plugins: [docsPages(root)],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { host: '127.0.0.1' },
});
