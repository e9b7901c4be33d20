/**
 * Test helpers for destinations: a real HTTP server on 127.0.0.1 playing the vendor (it records each
 * request and answers from a script), a delivery context whose fetch is the real SSRF guard with
 * 127.0.0.1 allowed, and a fully populated lead.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Lead, type LeadInput, LeadSchema } from '@leadkit/core/lead';
import type { DeliveryContext } from '../src/destinations/types.js';
import { createGuardedFetch } from '../src/ssrf.js';

export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
}

export interface VendorAnswer {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON. */
  body?: unknown;
}

export interface FakeVendor {
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a vendor double on 127.0.0.1:0 answering each request with `answer(request, index)`. */
export async function startVendor(
  answer: (request: RecordedRequest, index: number) => VendorAnswer | Promise<VendorAnswer>,
): Promise<FakeVendor> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        json,
      };
      requests.push(recorded);
      const reply = await answer(recorded, requests.length - 1);
      const isText = typeof reply.body === 'string' || reply.body === undefined;
      res.writeHead(reply.status, {
        'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json;charset=UTF-8',
        ...reply.headers,
      });
      res.end(isText ? (reply.body as string | undefined) : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const guardedFetch = createGuardedFetch({ allowHosts: ['127.0.0.1'] });

export function deliveryContext(overrides: Partial<DeliveryContext> = {}): DeliveryContext {
  return {
    attempt: 1,
    fetch: guardedFetch,
    signal: new AbortController().signal,
    now: new Date('2026-09-01T10:00:00Z'),
    receivedAt: new Date('2026-09-01T09:59:58Z'),
    ...overrides,
  };
}

const touch = (over: Record<string, unknown>) => ({
  channel: 'Direct',
  source: '(direct)',
  medium: '(none)',
  clickIds: {},
  landingPage: 'https://www.example.com/',
  timestamp: '2026-08-20T08:00:00.000Z',
  ...over,
});

export const HUTK = '0123456789abcdef0123456789abcdef';

/** A lead with every part filled, like the form widget sends; `over` replaces top-level parts. */
export function sampleLead(over: Partial<LeadInput> = {}): Lead {
  return LeadSchema.parse({
    id: 'lead_01J8Z3W6PQ4B7N2M5K8X',
    formId: 'contact-sales',
    submittedAt: '2026-09-01T09:59:57.000Z',
    fields: {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      company: 'Analytical Engines Ltd',
      phone: '+44 20 7946 0000',
      message: 'We would like a demo.',
      hutk: HUTK,
    },
    consent: {
      granted: true,
      text: 'I agree to be contacted about my request.',
      at: '2026-09-01T09:59:50.000Z',
    },
    attribution: {
      firstTouch: touch({
        channel: 'Organic Search',
        source: 'google',
        medium: 'organic',
        referrer: 'https://www.google.com/',
        landingPage: 'https://www.example.com/blog/engines',
        timestamp: '2026-08-20T08:00:00.000Z',
      }),
      lastTouch: touch({
        channel: 'Paid Search',
        source: 'google',
        medium: 'cpc',
        campaign: 'spring_launch',
        term: 'difference engine',
        content: 'ad_a',
        clickIds: { gclid: 'Cj0KCQjw' },
        landingPage: 'https://www.example.com/pricing?utm_source=google&utm_medium=cpc&gclid=Cj0KCQjw',
        timestamp: '2026-09-01T09:50:00.000Z',
      }),
      visitorId: 'v_123',
      sessionId: 's_456',
      pageviews: 7,
    },
    page: {
      url: 'https://www.example.com/contact',
      title: 'Contact sales',
      referrer: 'https://www.example.com/pricing',
    },
    context: { locale: 'en-GB', timeZone: 'Europe/London' },
    ...over,
  });
}
