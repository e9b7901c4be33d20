/** Shared test parts: temp dirs, a loopback receiver that records what it got, leads, a built CLI. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LeadInput } from '@leadkit/core/lead';

export function tempDir(prefix = 'leadkit-webhook-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that records each request and answers with `respond` (default 204). */
export async function startReceiver(
  respond: (req: Received, res: ServerResponse) => void | Promise<void> = (_req, res) => {
    res.writeHead(204).end();
  },
  port = 0,
): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(r);
      void respond(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let seq = 0;
/** A unique lead id (the contract: 8-64 of A-Z a-z 0-9 _ -). */
export function leadId(): string {
  seq++;
  return `lead_${process.pid}_${Date.now().toString(36)}_${seq}`;
}

export function smallestLead(overrides: Partial<LeadInput> = {}): LeadInput {
  return { id: leadId(), formId: 'contact', fields: { email: 'ada@example.com' }, ...overrides };
}

/** A lead as the widget sends it: touches, consent, page, meta. */
export function fullLead(overrides: Partial<LeadInput> = {}): LeadInput {
  const touch = {
    channel: 'Direct',
    source: 'wrong',
    medium: 'wrong',
    campaign: 'spring',
    clickIds: {},
    landingPage: 'https://shop.example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=spring',
    timestamp: '2026-11-01T10:00:00.000Z',
  };
  return {
    id: leadId(),
    formId: 'demo-request',
    submittedAt: '2026-11-02T10:00:00.000Z',
    fields: { email: 'ada@example.com', name: 'Ada Lovelace', company: 'Analytical Engines' },
    consent: { granted: true, text: 'I agree to be contacted.', at: '2026-11-02T10:00:00.000Z' },
    attribution: {
      firstTouch: touch,
      lastTouch: {
        ...touch,
        landingPage: 'https://shop.example.com/pricing',
        referrer: 'https://www.google.com/',
        campaign: undefined,
      },
      touches: [touch],
      visitorId: 'v_123',
      sessionId: 's_456',
      pageviews: 4,
    },
    page: { url: 'https://shop.example.com/pricing', title: 'Pricing', referrer: 'https://www.google.com/' },
    context: { locale: 'en-GB', timeZone: 'Europe/London' },
    meta: { fillMs: 12_000 },
    ...overrides,
  };
}

const here = dirname(fileURLToPath(import.meta.url));
export const PACKAGE_DIR = join(here, '..');

/**
 * Bundles src/cli.ts with esbuild (source condition) into node_modules/.cache so child processes can run
 * the real CLI without a package build; better-sqlite3 and undici resolve from the package.
 */
export async function buildCli(): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(
    PACKAGE_DIR,
    'node_modules',
    '.cache',
    'leadkit-test',
    `cli-${process.pid}-${seq++}.mjs`,
  );
  await build({
    entryPoints: [join(PACKAGE_DIR, 'src', 'cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@leadkit/source'],
    // Dependencies load from node_modules as they would when installed; only workspace sources are bundled.
    external: ['better-sqlite3', 'undici', 'rate-limiter-flexible', 'zod', 'ky'],
    logLevel: 'silent',
  });
  return outfile;
}

/** Polls `check` until it returns a truthy value (no fixed sleeps in assertions). */
export async function until<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 15_000,
): Promise<Exclude<T, undefined | null | false | 0 | ''>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as Exclude<T, undefined | null | false | 0 | ''>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
