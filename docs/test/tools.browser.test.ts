/**
 * The playground and the inspector in real Chromium, on the built site: validation messages, the live
 * widget, the embed snippet, a submission (previewed, then to a real @leadkit/webhook), and the
 * inspector's channel and deciding rule.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@leadkit/webhook/node';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../test/chromium.js';
import { openPage } from '../../test/page.js';
import { closeAll } from '../../test/teardown.js';
import { loopbackWebhookOptions } from '../../test/webhook.js';
import { buildDocs, serveDocs } from './build-site.js';

let out: string;
let site: { origin: string; server: Server };
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  out = await buildDocs();
  site = await serveDocs(out);
  browser = await launchChromium();
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
}, 120_000);
afterAll(async () => {
  await closeAll(browser, site?.server);
  rmSync(out, { recursive: true, force: true });
});

/** Uncaught errors of every page a test opened: any fails the test (the tools must never break). */
const opened: string[][] = [];
afterEach(() => {
  expect(opened.splice(0).flat(), 'uncaught errors in the page').toEqual([]);
});

async function open(path: string): Promise<Page> {
  const { page, errors } = await openPage(browser.context, `${site.origin}/${path}`);
  opened.push(errors);
  return page;
}

/** Replaces the editor's text as a person would (select all, type), which fires `input`. */
async function setConfig(page: Page, config: unknown) {
  await page.locator('#config').fill(typeof config === 'string' ? config : JSON.stringify(config, null, 2));
}

const contact = {
  id: 'playground-test',
  title: 'Ask us anything',
  fields: [
    { name: 'email', type: 'email', label: 'Work email', required: true },
    { name: 'consent', type: 'consent', label: 'You may contact me', required: true },
  ],
};

describe('form playground', () => {
  it('shows the starting example live, with its embed snippet', async () => {
    const page = await open('playground.html');
    await expect.poll(() => page.locator('#validation').textContent()).toContain('Valid config');
    await page.locator('#preview [name=email]').waitFor();
    const snippet = await page.locator('#snippet').textContent();
    expect(snippet).toContain('<leadkit-form>');
    expect(snippet).toContain('"id": "contact"');
    expect(snippet).toContain('leadkit.js');
    await page.close();
  });

  it('names each problem by key, and rebuilds the widget once the JSON is valid again', async () => {
    const page = await open('playground.html');
    await page.locator('#preview [name=email]').waitFor();
    await setConfig(page, { ...contact, fields: [{ name: 'email', type: 'emial', lable: 'Email' }] });
    await expect.poll(() => page.locator('#validation').textContent()).toContain('fields[0].type');
    const text = await page.locator('#validation').textContent();
    expect(text).toContain('fields[0].lable: unknown key');
    expect(await page.locator('#config').getAttribute('aria-invalid')).toBe('true');

    await setConfig(page, '{ "id": "x", ');
    await expect.poll(() => page.locator('#validation').textContent()).toContain('Not valid JSON');

    await setConfig(page, contact);
    await expect.poll(() => page.locator('#preview').locator('text=Ask us anything').count()).toBe(1);
    expect(await page.locator('#snippet').textContent()).toContain('"id": "playground-test"');
    await page.locator('#copy').click();
    await expect.poll(() => page.locator('#copy-status').textContent()).toBe('Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('"id": "playground-test"');
    await page.close();
  });

  it('previews a submission without sending it: the lead passes the lead schema', async () => {
    const page = await open('playground.html');
    await setConfig(page, contact);
    await expect.poll(() => page.locator('#preview').locator('text=Ask us anything').count()).toBe(1);
    await page.locator('#preview [name=email]').fill('ada@example.com');
    await page.locator('#preview [name=consent]').check();
    await page.locator('#preview button[type=submit]').click();
    await page.locator('#preview [part=success]').waitFor();
    const lead = JSON.parse((await page.locator('#payload').textContent()) ?? '{}');
    expect(lead).toMatchObject({
      formId: 'playground-test',
      fields: { email: 'ada@example.com', consent: true },
    });
    expect(await page.locator('#payload-note').textContent()).toContain('passes the lead schema');
    await page.close();
  });

  it('with an endpoint, sends to a real @leadkit/webhook', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadkit-docs-webhook-'));
    let webhook: RunningServer | undefined;
    try {
      webhook = await startServer(loopbackWebhookOptions(site.origin, dir));
      const page = await open('playground.html');
      await page.locator('#endpoint').fill(`${webhook.url}/v1/leads`);
      await setConfig(page, contact);
      await expect.poll(() => page.locator('#preview').locator('text=Ask us anything').count()).toBe(1);
      expect(await page.locator('#snippet').textContent()).toContain(
        `data-endpoint="${webhook.url}/v1/leads"`,
      );
      await page.locator('#preview [name=email]').fill('grace@example.com');
      await page.locator('#preview [name=consent]').check();
      await page.locator('#preview button[type=submit]').click();
      await page.locator('#preview [part=success]').waitFor();
      const [stored] = await webhook.store.listLeads();
      expect(stored?.lead).toMatchObject({
        formId: 'playground-test',
        fields: { email: 'grace@example.com' },
      });
      await page.close();
    } finally {
      await webhook?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('attribution inspector', () => {
  it('shows the touch, the channel and the GA4 rule that decided it', async () => {
    const url = 'https://www.example.com/?utm_source=linkedin&utm_medium=paid_social&utm_campaign=q4';
    const page = await open(`inspector.html?${new URLSearchParams({ url, referrer: '' })}`);
    await expect.poll(() => page.locator('#channel').textContent()).toBe('Paid Social');
    expect(await page.locator('#rule').textContent()).toBe('GA4 rule 5 of 19: Paid Social');
    expect(await page.locator('#reason').textContent()).toContain('"linkedin" is in Google\'s social list');
    expect(await page.locator('#source-medium').textContent()).toBe('linkedin / paid_social');
    const touch = JSON.parse((await page.locator('#touch').textContent()) ?? '{}');
    expect(touch).toMatchObject({ channel: 'Paid Social', campaign: 'q4', landingPage: url });

    await page.getByRole('button', { name: 'Google Ads' }).click();
    await expect.poll(() => page.locator('#channel').textContent()).toBe('Paid Search');
    expect(await page.locator('#origin').textContent()).toContain('gclid');
    expect(await page.locator('#click-ids').textContent()).toContain('gclid=');

    await page.locator('#url').fill('https://www.example.com/pricing');
    await page.locator('#referrer').fill('https://www.bing.com/');
    await expect.poll(() => page.locator('#channel').textContent()).toBe('Organic Search');
    expect(await page.locator('#source-medium').textContent()).toBe('bing / organic');
    await page.close();
  });

  it('applies custom rules typed in, and says when they are not JSON', async () => {
    const page = await open('inspector.html');
    await page.getByRole('button', { name: 'ChatGPT' }).click();
    await expect.poll(() => page.locator('#channel').textContent()).toBe('AI Assistants');
    expect(await page.locator('#rule').textContent()).toBe('Your rule 1');

    await page.locator('#rules').fill('[{ "channel": ');
    await expect.poll(() => page.locator('#rules-status').textContent()).toContain('not valid JSON');
    expect(await page.locator('#channel').textContent()).toBe('Referral'); // GA4's own rules still apply
    await page.close();
  });
});
