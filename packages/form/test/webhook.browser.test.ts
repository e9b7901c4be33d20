/**
 * End to end: the script-tag page and an npm `mount()` page (on one origin) post to a real
 * `@leadkit/webhook` server (another origin, CORS by `allowedOrigins`, a real SQLite file), and the
 * stored lead carries the page's UTM attribution.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@leadkit/webhook/node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chromium } from '../../../test/chromium.js';
import { closeAll } from '../../../test/teardown.js';
import { loopbackWebhookOptions } from '../../../test/webhook.js';
import { bundle } from './helpers/build.js';
import { failOnPageErrors, formPage, openForm } from './helpers/page.js';
import type { Site } from './helpers/site.js';
import { startWidgetSite } from './helpers/widget-site.js';

failOnPageErrors();

const fields = [
  { name: 'email', type: 'email', label: 'Work email', required: true },
  { name: 'consent', type: 'consent', label: 'I agree to be contacted', required: true },
];

let site: Site;
let webhook: RunningServer;
let dir: string;
let browser: Chromium;

beforeAll(async () => {
  ({ site, browser } = await startWidgetSite());
  dir = mkdtempSync(join(tmpdir(), 'leadkit-form-e2e-'));
  webhook = await startServer(loopbackWebhookOptions(site.origin, dir));
  const endpoint = `${webhook.url}/v1/leads`;
  site.page(
    '/script-tag',
    formPage({ id: 'script-tag', fields }).replace(
      'data-endpoint="/v1/leads"',
      `data-endpoint="${endpoint}"`,
    ),
  );
  site.file('/app.js', () =>
    bundle(
      {
        contents: `import { mount } from './src/index.ts';
          mount(document.getElementById('app'), ${JSON.stringify({ id: 'npm-mount', endpoint, title: 'Get a demo', fields })});`,
      },
      'esm',
    ),
  );
  site.page(
    '/npm',
    '<!doctype html><html lang="en"><head><title>App</title><script type="module" src="/app.js"></script></head><body><main id="app"></main></body></html>',
  );
});
afterAll(async () => {
  await closeAll(browser, webhook, site);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function submitAndFind(p: Page, formId: string) {
  const root = p.locator('form').first();
  await root.locator('[name=email]').fill('ada@example.com');
  await root.locator('[name=consent]').check();
  await root.locator('button[type=submit]').click();
  await p.locator('[part=success]').waitFor();
  const stored = await webhook.store.listLeads();
  return stored.find((s) => s.lead.formId === formId)!;
}

describe('into a real @leadkit/webhook', () => {
  it('the script-tag page delivers a lead with its UTM attribution', async () => {
    const p = await openForm(
      browser.context,
      `${site.origin}/script-tag?utm_source=linkedin&utm_medium=paid_social&utm_campaign=q3`,
    );
    const stored = await submitAndFind(p, 'script-tag');
    expect(stored.spamReason).toBeNull();
    expect(stored.lead).toMatchObject({
      fields: { email: 'ada@example.com', consent: true },
      consent: { granted: true, text: 'I agree to be contacted' },
      // The browser sends no channel; the server derived it from the landing page.
      attribution: {
        firstTouch: { source: 'linkedin', medium: 'paid_social', campaign: 'q3', channel: 'Paid Social' },
      },
    });
    await p.close();
  });

  it('npm mount() delivers a lead with its UTM attribution', async () => {
    const p = await openForm(
      browser.context,
      `${site.origin}/npm?utm_source=google&utm_medium=cpc&gclid=abc123`,
      'main form',
    );
    const stored = await submitAndFind(p, 'npm-mount');
    expect(stored.lead).toMatchObject({
      page: { title: 'App' },
      attribution: {
        lastTouch: { source: 'google', medium: 'cpc', clickIds: { gclid: 'abc123' }, channel: 'Paid Search' },
      },
    });
    await p.close();
  });

  it('a filled honeypot is stored and flagged, never dropped (R23)', async () => {
    const p = await openForm(browser.context, `${site.origin}/script-tag`);
    await p.locator('leadkit-form [name=lk_hp]').fill('http://spam.example', { force: true });
    await p.locator('leadkit-form [name=email]').fill('bot@example.com');
    await p.locator('leadkit-form [name=consent]').check();
    await p.locator('leadkit-form button[type=submit]').click();
    await p.locator('leadkit-form [part=success]').waitFor();
    const spam = await webhook.store.listLeads({ spam: true });
    expect(spam.find((s) => s.lead.fields.email === 'bot@example.com')?.spamReason).toBeTruthy();
    await p.close();
  });
});
