/**
 * Test helpers for the examples: a static site on 127.0.0.1 with a free port that also records form
 * posts, and polling for asynchronous arrivals. (No @leadkit imports: the repository root depends on none.)
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

export interface Site {
  origin: string;
  /** Requests the site answered with `handle` (e.g. form posts), with their bodies. */
  posts: { path: string; body: string; headers: IncomingMessage['headers'] }[];
  close: () => Promise<void>;
}

/**
 * Serves `files` (URL path → file path or contents function; or a function of the path giving a file
 * path) and records POSTs. `/` maps to `/index.html`.
 * `post` answers POST requests (default: 303 to `/thanks`).
 */
export async function startSite(
  files: Record<string, string | (() => string)> | ((path: string) => string | undefined),
  post?: (path: string, res: ServerResponse) => void,
): Promise<Site> {
  const posts: Site['posts'] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/$/, '/index.html');
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        posts.push({ path, body, headers: req.headers });
        if (post) post(path, res);
        else res.writeHead(303, { location: '/thanks' }).end();
      });
      return;
    }
    const source = typeof files === 'function' ? files(path) : files[path];
    if (source === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no ${path}`);
      return;
    }
    const body = typeof source === 'function' ? source() : readFileSync(source);
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'text/plain' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    posts,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Polls `read` until it returns a value (deliveries are asynchronous); fails after `tries`. */
export async function eventually<T>(
  read: () => T | undefined | Promise<T | undefined>,
  tries = 100,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Nothing arrived after ${tries} tries.`);
}
