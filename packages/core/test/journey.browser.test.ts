/**
 * The journey in a real Chromium: the snippet and script-tag build on loopback pages served under
 * two subdomains of one registrable domain (www.example.test, app.example.test -> 127.0.0.1), so the
 * cookie domain probe, the cookie <-> localStorage restore, consent and hidden fields meet a real
 * cookie jar, real storage partitioning and a real parser.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/chromium.js';
import { snippet } from '../src/snippet.js';
import type { Attribution } from '../src/types.js';

const bundle = async (entry: string, format: 'iife' | 'esm') => {
  const out = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    minify: true,
    format,
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
};

const forms = `
  <form id="plain">
    <input type="hidden" name="utm_source"><input type="hidden" name="utm_campaign">
    <input type="text" name="utm_medium" value="typed by visitor"><input type="email" name="email">
  </form>
  <script>
    // A form that arrives after the script, as HubSpot and Webflow embeds do.
    setTimeout(() => document.body.insertAdjacentHTML('beforeend',
      '<form id="late"><input type="hidden" name="utm_campaign"><input type="hidden" name="channel"></form>'), 50);
  </script>`;

const scripts: Record<string, string> = {};
const server = createServer((req, res) => {
  const path = new URL(req.url!, 'http://x').pathname;
  if (scripts[path]) {
    res.setHeader('content-type', 'text/javascript');
    return res.end(scripts[path]);
  }
  // /pending: a plain script tag with data-consent; every other page: the snippet.
  const loader =
    path === '/pending'
      ? '<script async src="/leadkit-core.js" data-consent="pending" data-hidden-fields="on"></script>'
      : `<script>${snippet('/leadkit-core.js', { 'hidden-fields': 'on' })}</script>`;
  res.setHeader('content-type', 'text/html');
  res.end(
    `<!doctype html><html><head>${loader}<script type="module" src="/vitals.js"></script></head>` +
      `<body><h1>Leadkit test page ${path}</h1><p>${'Enough text to paint. '.repeat(20)}</p>${forms}</body></html>`,
  );
});

let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let port: number;

beforeAll(async () => {
  scripts['/leadkit-core.js'] = await bundle('../src/iife.ts', 'iife');
  // Landing-page vitals through the optional entry, attached via the command queue.
  scripts['/vitals.js'] = await bundle('./fixtures/vitals-page.ts', 'esm');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  browser = await launchChromium({
    args: ['--host-resolver-rules=MAP www.example.test 127.0.0.1, MAP app.example.test 127.0.0.1'],
  });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  server.close();
});

const www = (path: string) => `http://www.example.test:${port}${path}`;
const app = (path: string) => `http://app.example.test:${port}${path}`;

/** The attribution, once the script has loaded and run its queue. */
const attribution = () =>
  page.evaluate(
    () =>
      new Promise<Attribution>((resolve) =>
        window.leadkit!('ready', (j: { attribution(): Attribution }) => resolve(j.attribution())),
      ),
  );

/** Resolves after the page's pending idle callbacks (where the journey is stored) have run. */
const afterIdle = () =>
  page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => setTimeout(resolve))));

const leadkitCookie = async (url: string) =>
  (await browser.context.cookies(url)).find((c) => c.name === 'leadkit');

const field = (selector: string) => page.inputValue(selector);

describe('journey in Chromium', () => {
  it('stores the journey in a cookie on the registrable domain, shared by subdomains', async () => {
    await page.goto(www('/landing?utm_source=newsletter&utm_medium=email&utm_campaign=launch'));
    const landed = await attribution();
    expect(landed.firstTouch).toMatchObject({ channel: 'Email', campaign: 'launch' });
    await afterIdle();
    const cookie = await leadkitCookie(www('/'));
    expect(cookie).toMatchObject({ domain: '.example.test', path: '/', sameSite: 'Lax', secure: false });
    expect(cookie!.value.length).toBeLessThan(3000);
    expect(await page.evaluate(() => localStorage.getItem('leadkit'))).toContain(landed.visitorId);
    expect(await browser.context.cookies(www('/'))).not.toContainEqual(
      expect.objectContaining({ name: '__lk_probe' }),
    );

    await page.goto(app('/signup'));
    const onApp = await attribution();
    expect(onApp).toMatchObject({
      visitorId: landed.visitorId,
      pageviews: 2,
      firstTouch: { campaign: 'launch' },
    });
    await afterIdle();
    expect(await page.evaluate(() => localStorage.getItem('leadkit'))).toContain(landed.visitorId);
  });

  it('restores a deleted cookie from localStorage, and localStorage from the cookie', async () => {
    await page.goto(www('/a'));
    const { visitorId } = await attribution();
    await afterIdle();

    await browser.context.clearCookies();
    await page.goto(www('/b'));
    expect((await attribution()).visitorId).toBe(visitorId);
    await afterIdle();
    expect((await leadkitCookie(www('/')))?.domain).toBe('.example.test');

    await page.evaluate(() => localStorage.clear());
    await page.goto(www('/c'));
    expect((await attribution()).visitorId).toBe(visitorId);
    await afterIdle();
    expect(await page.evaluate(() => localStorage.getItem('leadkit'))).toContain(visitorId);
  });

  it('fills a plain form and a form added later, leaving typed values alone', async () => {
    await page.goto(www('/form?utm_source=partner&utm_medium=affiliate&utm_campaign=fall'));
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('#late [name=channel]')?.value);
    expect(await field('#plain [name=utm_source]')).toBe('partner');
    expect(await field('#plain [name=utm_campaign]')).toBe('fall');
    expect(await field('#plain [name=utm_medium]')).toBe('typed by visitor');
    expect(await field('#late [name=utm_campaign]')).toBe('fall');
    expect(await field('#late [name=channel]')).toBe('Affiliates');
  });

  it('records landing-page vitals through @leadkit/core/vitals', async () => {
    // A new visitor, so this page starts the session and is its landing page.
    await page.evaluate(() => localStorage.clear());
    await browser.context.clearCookies();
    await page.goto(www('/?utm_source=vitals&utm_medium=cpc'));
    await page.getByRole('heading').click(); // input finalises LCP
    await page.waitForFunction(
      () =>
        new Promise((resolve) =>
          window.leadkit!('ready', (j: { attribution(): Attribution }) =>
            resolve(j.attribution().vitals?.LCP),
          ),
        ),
    );
    expect((await attribution()).vitals!.LCP).toBeGreaterThan(0);
  });

  it('writes nothing while consent is pending, then stores on grant (host-only cookie on an IP)', async () => {
    const ip = `http://127.0.0.1:${port}`;
    await page.goto(`${ip}/pending?utm_source=ads&utm_medium=cpc`);
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('#late [name=channel]')?.value);
    expect(await field('#plain [name=utm_source]')).toBe('ads');
    await afterIdle();
    expect(await page.evaluate(() => localStorage.getItem('leadkit'))).toBeNull();
    expect(await leadkitCookie(ip)).toBeUndefined();

    await page.evaluate(() => window.leadkit!('grant'));
    expect(await page.evaluate(() => localStorage.getItem('leadkit'))).toContain('utm_source=ads');
    expect(await leadkitCookie(ip)).toMatchObject({ domain: '127.0.0.1' });
  });
});
