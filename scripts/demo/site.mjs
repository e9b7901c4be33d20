/**
 * The demo landing site: static pages from scripts/demo/site/, the widget by script tag from
 * packages/form/dist, and a strict Content-Security-Policy (the widget needs no exception).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { escapeHtml } from './html.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const PAGES = { '/': 'index.html', '/privacy': 'privacy.html' };
const WIDGET = /^\/leadkit(\.(de|fr|es|popup))?\.js$/;

/**
 * @param {{ root: string, endpoint: () => string, crmUrl: () => string }} options
 *   `root` the repository; `endpoint` the adapter's POST /v1/leads URL; `crmUrl` the receiving CRM's page.
 */
export function createSite({ root, endpoint, crmUrl }) {
  const pages = join(root, 'scripts', 'demo', 'site');
  const dist = join(root, 'packages', 'form', 'dist');

  function file(pathname) {
    if (PAGES[pathname]) return join(pages, PAGES[pathname]);
    if (WIDGET.test(pathname)) return join(dist, pathname.slice(1));
    if (/^\/[a-z0-9-]+\.(css|svg)$/.test(pathname)) return join(pages, pathname.slice(1));
    return undefined;
  }

  return createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const path = file(pathname);
    if (!path || !existsSync(path) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`No page at ${pathname}. The landing page is /.`);
      return;
    }
    let body = readFileSync(path);
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    if (path.endsWith('.html')) {
      body = body
        .toString('utf8')
        .replaceAll('{{ENDPOINT}}', escapeHtml(endpoint()))
        .replaceAll('{{CRM_URL}}', escapeHtml(crmUrl()));
    }
    res.writeHead(200, {
      'content-type': type,
      'cache-control': 'no-cache',
      // No inline script or style anywhere: the widget uses constructable stylesheets.
      'content-security-policy': [
        "default-src 'self'",
        `connect-src 'self' ${new URL(endpoint()).origin}`,
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join('; '),
      'referrer-policy': 'strict-origin-when-cross-origin',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}
