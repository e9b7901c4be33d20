/**
 * A loopback web site for browser tests: pages (with optional CSP headers), scripts, and a lead
 * endpoint that records what arrives and can be told to fail (HTTP 503) or to be unreachable
 * (connections dropped), like a real server having a bad day.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedLead {
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary paths of the posted JSON
  body: Record<string, any>;
  headers: IncomingMessage['headers'];
}

export type EndpointMode = 'ok' | 'fail' | 'down' | { status: number; body: unknown };

export interface Site {
  origin: string;
  /** Leads that got a 2xx. */
  leads: ReceivedLead[];
  /** Every POST that reached the endpoint, including failed ones. */
  attempts: number;
  mode: EndpointMode;
  /** The next this-many POSTs get HTTP 503, then `mode` applies again. */
  failNext: number;
  /** Holds each answer this long (a slow server), so a visitor can click again meanwhile. */
  delayMs: number;
  page(path: string, html: string, headers?: Record<string, string>): void;
  file(path: string, body: string | (() => Promise<string>), type?: string): void;
  /** Resolves when `n` leads have arrived. */
  waitForLeads(n: number): Promise<ReceivedLead[]>;
  close(): Promise<void>;
}

export async function startSite(): Promise<Site> {
  const routes = new Map<
    string,
    { body: string | (() => Promise<string>); type: string; headers: Record<string, string> }
  >();
  const waiters: (() => void)[] = [];
  const site: Site = {
    origin: '',
    leads: [],
    attempts: 0,
    mode: 'ok',
    failNext: 0,
    delayMs: 0,
    page(path, html, headers = {}) {
      routes.set(path, { body: html, type: 'text/html; charset=utf-8', headers });
    },
    file(path, body, type = 'text/javascript; charset=utf-8') {
      routes.set(path, { body, type, headers: {} });
    },
    waitForLeads(n) {
      return new Promise((resolve) => {
        const check = () => (site.leads.length >= n ? resolve(site.leads) : waiters.push(check));
        check();
      });
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };

  const server = createServer(async (req, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/v1/leads') return lead(req, res);
    const route = routes.get(path);
    if (!route) return res.writeHead(404).end('not found');
    const body = typeof route.body === 'string' ? route.body : await route.body();
    res
      .writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store', ...route.headers })
      .end(body);
  });

  async function lead(req: IncomingMessage, res: ServerResponse) {
    if (req.method === 'OPTIONS') return res.writeHead(204, cors()).end();
    if (site.mode === 'down') return req.socket.destroy();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    site.attempts++;
    if (site.delayMs) await new Promise((r) => setTimeout(r, site.delayMs));
    const mode = site.failNext-- > 0 ? 'fail' : site.mode;
    if (mode === 'fail')
      return res
        .writeHead(503, { ...cors(), 'content-type': 'application/json' })
        .end('{"error":"unavailable"}');
    if (typeof mode === 'object')
      return res
        .writeHead(mode.status, { ...cors(), 'content-type': 'application/json' })
        .end(JSON.stringify(mode.body));
    site.leads.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers: req.headers });
    res.writeHead(202, { ...cors(), 'content-type': 'application/json' }).end('{"ok":true}');
    for (const w of waiters.splice(0)) w();
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  site.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return site;
}

const cors = () => ({
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST',
  'access-control-allow-headers': 'content-type',
});

/** A strict policy: nothing inline, no eval, scripts and styles from this origin only. */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'";
