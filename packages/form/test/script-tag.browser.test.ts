import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/chromium.js';
import { scriptTag } from './helpers/build.js';
import { type Site, startSite } from './helpers/site.js';

const config = {
  id: 'demo',
  title: 'Talk to sales',
  fields: [
    { name: 'name', type: 'text', label: 'Full name', required: true },
    { name: 'email', type: 'email', label: 'Work email', required: true },
    { name: 'consent', type: 'consent', label: 'I agree to be contacted about Leadkit', required: true },
  ],
};

const page = (
  body: string,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pricing</title>
<script async src="/leadkit.js" data-endpoint="/v1/leads"></script></head>
<body><main><h1>Pricing</h1>${body}<p>Content below the form.</p></main></body></html>`;

let site: Site;
let browser: { context: BrowserContext; close: () => Promise<void> };

beforeAll(async () => {
  site = await startSite();
  site.file('/leadkit.js', scriptTag);
  site.page(
    '/inline',
    page(`<leadkit-form><script type="application/json">${JSON.stringify(config)}</script></leadkit-form>`),
  );
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function open(path: string): Promise<Page> {
  const p = await browser.context.newPage();
  p.on('pageerror', (e) => console.error('[page error]', e));
  await p.goto(site.origin + path);
  return p;
}

describe('script tag', () => {
  it('submits a lead that carries the page UTM attribution', async () => {
    const p = await open('/inline?utm_source=newsletter&utm_medium=email&utm_campaign=spring');
    await p.locator('leadkit-form input[name=name]').fill('Ada Lovelace');
    await p.locator('leadkit-form input[name=email]').fill('ada@example.com');
    await p.locator('leadkit-form input[name=consent]').check();
    await p.locator('leadkit-form button[type=submit]').click();
    const [lead] = await site.waitForLeads(1);
    expect(lead!.body).toMatchObject({
      v: 1,
      formId: 'demo',
      fields: { name: 'Ada Lovelace', email: 'ada@example.com', consent: true },
      consent: { granted: true, text: 'I agree to be contacted about Leadkit' },
      page: { title: 'Pricing' },
      attribution: { firstTouch: { source: 'newsletter', medium: 'email', campaign: 'spring' } },
    });
    expect(lead!.body.id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    await expect.poll(() => p.locator('leadkit-form h2').textContent()).toBe('Thank you');
    await p.close();
  });
});
