/**
 * Test helpers for destinations: a real HTTP server on 127.0.0.1 playing the vendor (it records each
 * request and answers from a script), a delivery context whose fetch is the real SSRF guard with
 * 127.0.0.1 allowed, and a fully populated lead.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Lead, type LeadInput, LeadSchema } from '@leadkit/core/lead';
import { afterEach } from 'vitest';
import type { DeliveryContext, DeliveryResult, Destination } from '../src/destinations/types.js';
import { createGuardedFetch } from '../src/ssrf.js';
import type { Owner, Qualification } from '../src/store/types.js';

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

export type VendorScript = (request: RecordedRequest, index: number) => VendorAnswer | Promise<VendorAnswer>;

/** Starts a vendor double on 127.0.0.1:0 answering each request with `answer(request, index)`. */
export async function startVendor(answer: VendorScript): Promise<FakeVendor> {
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
      if (!server.listening) return;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * For one test file: returns a `startVendor` whose doubles are all closed after each test (closing one
 * early, to start another, is fine). Call it at the top level of the file.
 */
export function useVendorDoubles(): (answer: VendorScript) => Promise<FakeVendor> {
  const open: FakeVendor[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((v) => v.close()));
  });
  return async (answer) => {
    const v = await startVendor(answer);
    open.push(v);
    return v;
  };
}

export type Route = VendorAnswer | ((request: RecordedRequest, index: number) => VendorAnswer);

/**
 * A script answering by `METHOD /path` from `routes` (a function route gets the request and the index of
 * the request among all the double has had); any other request gets `notFound(request)`.
 */
export function byRoute(
  routes: Record<string, Route | undefined>,
  notFound: (request: RecordedRequest) => VendorAnswer,
): VendorScript {
  return (req, i) => {
    const route = routes[`${req.method} ${req.path}`];
    if (!route) return notFound(req);
    return typeof route === 'function' ? route(req, i) : route;
  };
}

/**
 * A script that answers the first request only after aborting `attempt`: the vendor received it, but the
 * attempt timed out before the answer came (a later answer comes at once).
 */
export function answersFirstAfterTimeout(
  attempt: AbortController,
  answer: VendorScript,
  lateByMs = 50,
): VendorScript {
  return async (req, i) => {
    const reply = await answer(req, i);
    if (i === 0) {
      attempt.abort();
      await new Promise((resolve) => setTimeout(resolve, lateByMs));
    }
    return reply;
  };
}

/**
 * A script passing each request on to the double at `origin` and answering with what it answers: put
 * in front of a double, with answersFirstAfterTimeout, it makes an answer arrive late.
 */
export function forwardTo(origin: string): VendorScript {
  return async (req) => {
    const query = req.query.size > 0 ? `?${req.query}` : '';
    const headers: Record<string, string> = {};
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
    const forwarded = await fetch(`${origin}${req.path}${query}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' ? undefined : req.body,
    });
    return { status: forwarded.status, body: await forwarded.json() };
  };
}

/** One delivery attempt of `lead` (the sample lead by default); `context` replaces parts of deliveryContext(). */
export function deliverOnce(
  destination: Destination,
  lead: Lead = sampleLead(),
  context: Partial<DeliveryContext> = {},
): Promise<DeliveryResult> {
  return destination.deliver(lead, deliveryContext(context));
}

/** Delivers `lead` (the sample lead by default) `times` times, one attempt after another. */
export async function deliverTimes(
  destination: Destination,
  times: number,
  lead: Lead = sampleLead(),
): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = [];
  for (let i = 0; i < times; i++) results.push(await destination.deliver(lead, deliveryContext()));
  return results;
}

/**
 * A result in the form tables of HTTP outcomes compare: a retry as [status, afterMs] (afterMs undefined
 * when the destination set no wait), anything else as its kind.
 */
export const outcomeOf = (result: DeliveryResult): [number | undefined, number | undefined] | string =>
  result.kind === 'retry' ? [result.status, result.afterMs] : result.kind;

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

/** A lead scored 72 (A), at the MQL stage, assigned to `owner`. */
export const qualifiedFor = (owner: Owner): Qualification => ({
  score: 72,
  grade: 'A',
  fired: [],
  stage: 'mql',
  owner,
});

/** The columns docs/destinations.md suggests for a Google Sheets tab or an Airtable table, in order. */
export const DEFAULT_COLUMNS = [
  'Received',
  'Email',
  'Name',
  'Company',
  'Phone',
  'Message',
  'Channel',
  'First source',
  'First medium',
  'First campaign',
  'Last source',
  'Last medium',
  'Last campaign',
  'Landing page',
  'Lead id',
];

/** What the default columns hold for sampleLead() received at deliveryContext()'s receivedAt. */
export const SAMPLE_LEAD_COLUMNS: Readonly<Record<string, string | undefined>> = {
  Received: '2026-09-01T09:59:58.000Z',
  Email: 'ada@example.com',
  Name: 'Ada Lovelace',
  Company: 'Analytical Engines Ltd',
  Phone: '+44 20 7946 0000',
  Message: 'We would like a demo.',
  Channel: 'Paid Search',
  'First source': 'google',
  'First medium': 'organic',
  // The first touch had no campaign.
  'First campaign': undefined,
  'Last source': 'google',
  'Last medium': 'cpc',
  'Last campaign': 'spring_launch',
  'Landing page': 'https://www.example.com/blog/engines',
  'Lead id': 'lead_01J8Z3W6PQ4B7N2M5K8X',
};
