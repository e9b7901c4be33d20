/**
 * The docs' plain HTML form in a real Chromium: a `<form action=".../v1/forms/contact" method="POST">` with
 * no script of its own, its hidden inputs filled by @leadkit/core's script tag (`data-hidden-fields="on"`),
 * posts to a real server (another origin, a real SQLite file); the browser lands on `_next` and the
 * stored lead carries the page's UTM attribution.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Chromium, launchChromium } from '../../../test/chromium.js';
import { closeAll } from '../../../test/teardown.js';
import { loopbackWebhookOptions } from '../../../test/webhook.js';
import { type RunningServer, startServer } from '../src/node.js';
import { tempDir } from './helpers.js';

let site: { origin: string; close(): Promise<void> };
let webhook: RunningServer;
let browser: Chromium;
let tmp: ReturnType<typeof tempDir>;

/** What ships as packages/core/dist/leadkit-core.js, built from source so the test never runs a stale build. */
async function coreScript(): Promise<string> {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('../../core/src/iife.ts', import.meta.url))],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

/** The docs' plain HTML form (web-developers.md), run as written: only the URLs point at the loopback servers. */
function contactPage(webhookUrl: string, siteOrigin: string): string {
  const doc = readFileSync(
    fileURLToPath(new URL('../../../docs/content/web-developers.md', import.meta.url)),
    'utf8',
  );
  const block = [...doc.matchAll(/```html\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((b) => b.includes('/v1/forms/'));
  if (!block) throw new Error('No html block posting to /v1/forms/ in docs/content/web-developers.md');
  const form = block
    .replace('https://cdn.jsdelivr.net/npm/@leadkit/core@0/dist/leadkit-core.js', '/leadkit-core.js')
    .replace('https://hooks.example.com', webhookUrl)
    .replace('https://www.example.com', siteOrigin);
  return `<!doctype html><html lang="en"><head><title>Contact</title></head><body>${form}</body></html>`;
}

beforeAll(async () => {
  tmp = tempDir();
  const script = await coreScript();
  let page = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/leadkit-core.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (path === '/contact') res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    else if (path === '/thanks')
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>Thanks</title><h1>Thanks!</h1>');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site = {
    origin,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  webhook = await startServer(loopbackWebhookOptions(origin, tmp.dir));
  page = contactPage(webhook.url, origin);
  browser = await launchChromium();
});
afterAll(async () => {
  await closeAll(browser, webhook, site);
  tmp?.cleanup();
});

it('a plain HTML form filled by the core script tag posts its attribution and lands on _next', async () => {
  const p = await browser.context.newPage();
  await p.goto(`${site.origin}/contact?utm_source=newsletter&utm_medium=email&utm_campaign=launch`);
  // The core fills hidden inputs in idle time after it loads.
  await p.waitForFunction(() => document.querySelector<HTMLInputElement>('[name=utm_source]')?.value !== '');
  await p.locator('[name=email]').fill('ada@example.com');
  await p.locator('[name=topic][value=pricing]').check();
  await p.locator('[name=topic][value=demo]').check();
  await Promise.all([p.waitForURL(`${site.origin}/thanks`), p.locator('button[type=submit]').click()]);
  expect(await p.locator('h1').textContent()).toBe('Thanks!');

  const stored = await webhook.store.listLeads();
  expect(stored).toHaveLength(1);
  const { lead, spamReason } = stored[0]!;
  // The honeypot input is hidden from people: left empty, it flags nothing.
  expect(spamReason).toBeNull();
  expect(lead.formId).toBe('contact');
  expect(lead.fields).toEqual({ email: 'ada@example.com', message: '', topic: ['pricing', 'demo'] });
  expect(lead.attribution?.visitorId).toMatch(/.+/);
  expect(lead.attribution?.firstTouch).toMatchObject({
    channel: 'Email',
    source: 'newsletter',
    medium: 'email',
    campaign: 'launch',
    landingPage: `${site.origin}/contact?utm_source=newsletter&utm_medium=email&utm_campaign=launch`,
  });
  expect(lead.attribution?.lastTouch).toMatchObject({ channel: 'Email', source: 'newsletter' });
  // Chromium's default referrer policy sends only the origin across origins.
  expect(lead.page?.url).toBe(`${site.origin}/`);
  await p.close();
});
