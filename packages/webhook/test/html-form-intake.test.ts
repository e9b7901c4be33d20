import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LeadkitConfigInput } from '../src/config.js';
import { type RunningServer, type SqliteStore, startServer } from '../src/node.js';
import { type Receiver, startReceiver, tempDir } from './helpers.js';

const SITE = 'https://shop.example.com';

let server: RunningServer | undefined;
let tmp: ReturnType<typeof tempDir> | undefined;
let siteverify: Receiver | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await siteverify?.close();
  siteverify = undefined;
  tmp?.cleanup();
  tmp = undefined;
});

async function start(config: LeadkitConfigInput = {}, now?: () => number) {
  tmp = tempDir();
  server = await startServer({
    config: { allowedOrigins: [SITE], rateLimit: false, ...config },
    port: 0,
    host: '127.0.0.1',
    dbPath: join(tmp.dir, 'leadkit.db'),
    log: () => {},
    handleSignals: false,
    ...(now ? { now } : {}),
  });
  return server;
}

/** Posts as a browser does: urlencoded, with Origin and Referer of the page, no redirect following. */
function postForm(
  body: URLSearchParams | string,
  headers: Record<string, string> = {},
  formId = 'contact',
): Promise<Response> {
  return fetch(`${server!.url}/v1/forms/${formId}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: SITE,
      referer: `${SITE}/contact`,
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      ...headers,
    },
    body: body.toString(),
  });
}

const leads = () => server!.store.listLeads();
const spamLeads = () => server!.store.listLeads({ spam: true });

describe('POST /v1/forms/{formId}', () => {
  it('stores the form as a lead (arrays for repeated names, attribution rebuilt) and 303s to _next', async () => {
    await start();
    const body = new URLSearchParams([
      ['email', 'ada@example.com'],
      ['interest', 'pricing'],
      ['interest', 'demo'],
      ['message', ''],
      ['_next', `${SITE}/thanks`],
      ['landing_page', `${SITE}/?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=abc123`],
      ['referrer', 'https://www.google.com/'],
      ['utm_source', 'google'],
      ['utm_medium', 'cpc'],
      ['utm_campaign', 'spring'],
      ['gclid', 'abc123'],
      ['channel', 'Paid Search'],
      ['visitor_id', 'v_42'],
    ]);
    const res = await postForm(body);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${SITE}/thanks`);
    const stored = await leads();
    expect(stored).toHaveLength(1);
    const { lead } = stored[0]!;
    expect(lead.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(lead.formId).toBe('contact');
    expect(lead.fields).toEqual({ email: 'ada@example.com', interest: ['pricing', 'demo'], message: '' });
    expect(lead.page).toEqual({ url: `${SITE}/contact` });
    const a = lead.attribution!;
    expect(a.visitorId).toBe('v_42');
    expect(a.firstTouch).toMatchObject({
      channel: 'Paid Search',
      source: 'google',
      medium: 'cpc',
      campaign: 'spring',
      clickIds: { gclid: 'abc123' },
      referrer: 'https://www.google.com/',
    });
    // The utm_* values match the first touch's: one touch, first and last.
    expect(a.lastTouch).toEqual(a.firstTouch);
    expect(a.touches).toHaveLength(1);
  });

  it('rebuilds a different last touch from the posted utm_* values and click IDs', async () => {
    await start();
    const res = await postForm(
      new URLSearchParams({
        email: 'ada@example.com',
        landing_page: `${SITE}/blog/post?utm_source=newsletter&utm_medium=email`,
        utm_source: 'facebook',
        utm_medium: 'paid_social',
        fbclid: 'IwAR1',
      }),
    );
    expect(res.status).toBe(200);
    const a = (await leads())[0]!.lead.attribution!;
    expect(a.firstTouch).toMatchObject({ channel: 'Email', source: 'newsletter', medium: 'email' });
    expect(a.lastTouch).toMatchObject({
      channel: 'Paid Social',
      source: 'facebook',
      medium: 'paid_social',
      clickIds: { fbclid: 'IwAR1' },
      landingPage: `${SITE}/blog/post?utm_source=facebook&utm_medium=paid_social&fbclid=IwAR1`,
    });
    expect(a.touches).toHaveLength(2);
  });

  it('without attribution fields stores the lead with no attribution and shows the thank-you page', async () => {
    await start();
    // Hidden inputs the core never filled (no script on the page) are sent empty.
    const res = await postForm(
      new URLSearchParams({ email: 'ada@example.com', utm_source: '', landing_page: '', visitor_id: '' }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain('<h1>Thank you</h1>');
    expect(page).toContain(`<a href="${SITE}/contact">Back to the form</a>`);
    expect(page).not.toContain('<script');
    const stored = await leads();
    expect(stored.map((s) => [s.lead.fields, s.lead.attribution])).toEqual([
      [{ email: 'ada@example.com' }, undefined],
    ]);
  });

  it('a double post inside the 10-minute window is one lead; the next window is another', async () => {
    let clock = Date.UTC(2026, 11, 5, 10, 0, 0);
    await start({}, () => clock);
    const body = new URLSearchParams({ email: 'ada@example.com', visitor_id: 'v_1', landing_page: SITE });
    const first = await postForm(body, { accept: 'application/json' });
    clock += 60_000;
    const second = await postForm(body, { accept: 'application/json' });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    const id = ((await first.json()) as { id: string }).id;
    expect(await second.json()).toEqual({ id });
    expect(await leads()).toHaveLength(1);
    clock += 10 * 60_000;
    const later = await postForm(body, { accept: 'application/json' });
    expect(((await later.json()) as { id: string }).id).not.toBe(id);
    expect(await leads()).toHaveLength(2);
  });

  it('refuses a foreign Origin with 403 and stores nothing', async () => {
    await start();
    const res = await postForm(new URLSearchParams({ email: 'ada@example.com' }), {
      origin: 'https://evil.example',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Add it to &quot;allowedOrigins&quot;');
    expect(await leads()).toEqual([]);
  });

  it('refuses _next on a foreign origin with 400 before storing (no open redirect)', async () => {
    await start({ allowedOrigins: ['*'] });
    const res = await postForm(
      new URLSearchParams({ email: 'ada@example.com', _next: 'https://evil.example/phish' }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    const page = await res.text();
    expect(page).toContain('add &quot;https://evil.example&quot; there');
    expect(await leads()).toEqual([]);
  });

  it('refuses other content types with 415 naming what to send', async () => {
    await start();
    const multipart = new FormData();
    multipart.set('email', 'ada@example.com');
    const res = await fetch(`${server!.url}/v1/forms/contact`, {
      method: 'POST',
      headers: { origin: SITE },
      body: multipart,
    });
    expect(res.status).toBe(415);
    expect(await res.text()).toContain('Content-Type must be application/x-www-form-urlencoded');
    const json = await postForm('{"email":"a@b.c"}', {
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(json.status).toBe(415);
    expect(((await json.json()) as { error: string }).error).toMatch(/multipart\/form-data .* not supported/);
    expect(await leads()).toEqual([]);
  });

  it('a filled honeypot is stored as spam, without the honeypot field', async () => {
    await start();
    const res = await postForm(
      new URLSearchParams({ email: 'bot@example.com', _gotcha: 'http://spam.example' }),
    );
    expect(res.status).toBe(200);
    expect(await leads()).toEqual([]);
    const spam = await spamLeads();
    expect(spam.map((s) => [s.spamReason, s.lead.fields])).toEqual([
      ['honeypot filled', { email: 'bot@example.com' }],
    ]);
  });

  it('checks cf-turnstile-response with siteverify and keeps the token out of the fields', async () => {
    // A loopback siteverify: only the token "good" passes.
    siteverify = await startReceiver((req, res) => {
      const ok = new URLSearchParams(req.body).get('response') === 'good';
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ success: ok }));
    });
    await start({ spam: { turnstile: { secret: 'ts-secret', verifyUrl: siteverify.url } } });
    await postForm(new URLSearchParams({ email: 'ada@example.com', 'cf-turnstile-response': 'good' }));
    await postForm(new URLSearchParams({ email: 'bot@example.com', 'cf-turnstile-response': 'forged' }));
    expect(siteverify.requests.map((r) => new URLSearchParams(r.body).get('response'))).toEqual([
      'good',
      'forged',
    ]);
    expect((await leads()).map((s) => s.lead.fields)).toEqual([{ email: 'ada@example.com' }]);
    expect((await spamLeads()).map((s) => [s.lead.fields, s.spamReason])).toEqual([
      [{ email: 'bot@example.com' }, expect.stringMatching(/^turnstile rejected/)],
    ]);
  });

  it('escapes hostile values on the error page and lists every problem', async () => {
    await start();
    const hostile = '<script>alert(1)</script>';
    const res = await postForm(new URLSearchParams({ [hostile]: 'x'.repeat(10_001), email: hostile }));
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain(`<a href="${SITE}/contact">Back to the form</a>`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await leads()).toEqual([]);
  });

  it('escapes a hostile Referer in the thank-you page back link', async () => {
    await start({ allowedOrigins: ['*'] });
    const res = await postForm(new URLSearchParams({ email: 'ada@example.com' }), {
      referer: `${SITE}/"><script>alert(1)</script>`,
    });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).not.toContain('<script>');
    expect(page).toContain(`href="${SITE}/%22%3E%3Cscript%3Ealert(1)%3C/script%3E"`);
  });

  it('answers JSON exactly like /v1/leads when Accept prefers application/json', async () => {
    await start();
    const ok = await postForm(new URLSearchParams({ email: 'ada@example.com', _next: `${SITE}/thanks` }), {
      accept: 'application/json',
    });
    expect(ok.status).toBe(202);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SITE);
    const { id } = (await ok.json()) as { id: string };
    expect((await leads()).map((s) => s.lead.id)).toEqual([id]);
    const bad = await postForm(new URLSearchParams({ email: 'x'.repeat(10_001) }), {
      accept: 'application/json',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: 'The lead does not match the schema; see issues.',
      issues: [{ path: 'fields.email', message: expect.any(String) }],
    });
  });

  it('answers a store failure with a 503 page and Retry-After', async () => {
    await start();
    (server!.store as SqliteStore).db.close();
    const res = await postForm(new URLSearchParams({ email: 'ada@example.com' }));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const page = await res.text();
    expect(page).toContain('<h1>Please try again shortly</h1>');
    expect(page).toContain('retry shortly');
  });

  it('takes the same size cap and per-form rate limit as JSON intake', async () => {
    await start({ maxBodyBytes: 1024, rateLimit: { perForm: { points: 1, durationSeconds: 60 } } });
    const big = await postForm(new URLSearchParams({ email: 'a@example.com', message: 'x'.repeat(2000) }));
    expect(big.status).toBe(413);
    expect((await postForm(new URLSearchParams({ email: 'a@example.com' }))).status).toBe(200);
    const limited = await postForm(new URLSearchParams({ email: 'b@example.com' }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await leads()).length).toBe(1);
  });
});
