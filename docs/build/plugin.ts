/**
 * The Vite plugin behind the docs: every page in pages.ts is a virtual HTML entry rendered from
 * content/ (so Vite bundles its CSS and scripts like any page), and the JSON Schema files are emitted
 * next to them. `vite` (dev) renders pages on request, so edits show on reload.
 */
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { renderPage } from './layout.js';
import { PAGES, type Page } from './pages.js';
import { schemaFiles } from './reference.js';

export function docsPages(root: string): Plugin {
  const byId = new Map<string, Page>(PAGES.map((p) => [resolve(root, p.file), p]));
  return {
    name: 'leadkit-docs-pages',
    enforce: 'pre',
    config() {
      return {
        build: {
          rolldownOptions: {
            input: Object.fromEntries(
              PAGES.map((p) => [p.file.replace(/\.html$/, ''), resolve(root, p.file)]),
            ),
          },
        },
      };
    },
    resolveId(id) {
      return byId.has(id) ? id : undefined;
    },
    load(id) {
      const page = byId.get(id);
      return page ? renderPage(page) : undefined;
    },
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        const file = path === '/' ? 'index.html' : path.slice(1);
        const page = PAGES.find((p) => p.file === file);
        const schema = schemaFiles()[file];
        try {
          if (page) {
            const html = await server.transformIndexHtml(req.url ?? '/', renderPage(page));
            res.setHeader('content-type', 'text/html; charset=utf-8');
            res.end(html);
          } else if (schema) {
            res.setHeader('content-type', 'application/json');
            res.end(JSON.stringify(schema, null, 2));
          } else next();
        } catch (err) {
          next(err);
        }
      });
    },
    generateBundle() {
      for (const [fileName, schema] of Object.entries(schemaFiles())) {
        this.emitFile({ type: 'asset', fileName, source: `${JSON.stringify(schema, null, 2)}\n` });
      }
    },
  };
}
