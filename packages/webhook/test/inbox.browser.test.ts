/**
 * The inbox in a real Chromium: its CSP lets its own style through and nothing else (hostile lead values
 * stay text, no script runs), axe finds no serious accessibility problems, and the retry and release
 * buttons work as plain forms.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/chromium.js';
import { type RunningServer, startServer } from '../src/node.js';
import { fullLead, type Receiver, smallestLead, startReceiver, tempDir, until } from './helpers.js';

const TOKEN = 'inbox-browser-token-0123456789';
let browser: Awaited<ReturnType<typeof launchChromium>>;
let server: RunningServer;
let hook: Receiver;
let tmp: ReturnType<typeof tempDir>;
let failing = true;

beforeAll(async () => {
  tmp = tempDir();
  hook = await startReceiver((_req, res) => {
    res.writeHead(failing ? 500 : 204).end();
  });
  server = await startServer({
    config: {
      adminToken: TOKEN,
      security: { allowHosts: ['127.0.0.1'] },
      delivery: { pollMs: 20 },
      destinations: [
        {
          type: 'webhook',
          name: 'crm',
          url: hook.url,
          secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
          retry: { delaysMs: [] },
        },
      ],
    },
    port: 0,
    dbPath: join(tmp.dir, 'leadkit.db'),
    log: () => {},
    handleSignals: false,
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await hook?.close();
  tmp?.cleanup();
});

async function post(lead: object) {
  const res = await fetch(`${server.url}/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(lead),
  });
  expect(res.status).toBe(202);
}

describe('inbox in Chromium', () => {
  it('renders hostile values as text under a CSP that blocks everything else; buttons work', async () => {
    const evil = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>';
    const lead = fullLead({ formId: evil });
    lead.attribution!.firstTouch.campaign = evil;
    await post(lead);
    const spam = smallestLead({ meta: { honeypot: 'autofill' } });
    await post(spam);
    await until(
      async () => (await server.store.listDeliveries({ status: 'failed' })).length === 1,
      'dead letter',
    );

    const page = await browser.context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') violations.push(m.text());
    });
    await page.goto(`${server.url}/inbox?token=${TOKEN}`);
    expect(await page.title()).toBe('Leadkit inbox');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.getByText(evil).first().isVisible()).toBe(true);
    // The nonce'd style sheet applies: a failed badge is red on pink.
    const badge = page.locator('.badge.failed');
    expect(await badge.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(254, 226, 226)');
    expect(await page.locator('svg rect').count()).toBeGreaterThan(0);
    expect(violations).toEqual([]);

    // axe-core, evaluated through DevTools (the page's own CSP forbids injected scripts).
    const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
    await page.evaluate(readFileSync(axePath, 'utf8'));
    const serious = await page.evaluate(async () => {
      const r = await (
        window as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string }[] }> } }
      ).axe.run();
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
    expect(serious).toEqual([]);

    failing = false;
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.waitForURL(/\/inbox\?token=/);
    await until(
      async () => (await server.store.listDeliveries({ status: 'delivered' })).length === 1,
      'retry',
    );

    await page.getByRole('button', { name: 'Release' }).click();
    await page.waitForURL(/\/inbox\?token=/);
    await until(
      async () => (await server.store.listDeliveries({ status: 'delivered' })).length === 2,
      'release',
    );
    await page.reload();
    expect(await page.locator('.badge.delivered').count()).toBe(2);
    expect(await page.getByText('Empty.').isVisible()).toBe(true);
    expect(await page.title()).toBe('Leadkit inbox');
  });
});
