/** The script-tag example in Chromium: both forms post to a real adapter with the page's UTM attribution. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, startServer } from '@leadkit/webhook/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuilt } from '../../scripts/demo/build.mjs';
import { ROOT } from '../../scripts/test/demo-process.js';
import { eventually, type Site, startSite } from '../../scripts/test/loopback.js';
import { type Chromium, launchChromium } from '../../test/chromium.js';
import { openPage } from '../../test/page.js';
import { closeAll } from '../../test/teardown.js';
import { loopbackWebhookOptions } from '../../test/webhook.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
let site: Site;
let webhook: RunningServer;
let dir: string;
let browser: Chromium;

beforeAll(async () => {
  ensureBuilt(ROOT);
  dir = mkdtempSync(join(tmpdir(), 'leadkit-script-tag-'));
  let endpoint = '';
  site = await startSite({
    '/index.html': () =>
      readFileSync(here('index.html'), 'utf8').replace('http://127.0.0.1:8787/v1/leads', endpoint),
    '/leadkit.js': join(ROOT, 'packages/form/dist/leadkit.js'),
    '/leadkit.popup.js': join(ROOT, 'packages/form/dist/leadkit.popup.js'),
  });
  webhook = await startServer(loopbackWebhookOptions(site.origin, dir));
  endpoint = `${webhook.url}/v1/leads`;
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await closeAll(browser, webhook, site);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('the inline form and the popup deliver leads with the landing page’s campaign', async () => {
  const { page, errors } = await openPage(
    browser.context,
    `${site.origin}/?utm_source=google&utm_medium=cpc&utm_campaign=spring&utm_term=crm+software`,
  );

  const contact = page.locator('leadkit-form').first();
  await contact.locator('[name=name]').fill('Ada Lovelace');
  await contact.locator('[name=email]').fill('ada@example.com');
  await contact.locator('[name=topic]').selectOption('A demo');
  await contact.locator('[name=consent]').check();
  await contact.locator('button[type=submit]').click();
  await contact.locator('[part=success]').waitFor();

  await page.getByRole('button', { name: 'Subscribe to the newsletter' }).click();
  const dialog = page.locator('leadkit-form dialog[open]');
  await dialog.locator('[name=email]').fill('grace@example.com');
  await dialog.locator('[name=consent]').check();
  await dialog.locator('button[type=submit]').click();
  await dialog.locator('[part=success]').waitFor();

  const leads = await eventually(async () => {
    const list = await webhook.store.listLeads();
    return list.length === 2 ? list : undefined;
  });
  const byForm = Object.fromEntries(leads.map((s) => [s.lead.formId, s.lead]));
  expect(byForm.contact).toMatchObject({
    fields: { name: 'Ada Lovelace', email: 'ada@example.com', topic: 'A demo', consent: true },
    consent: { granted: true, text: 'I agree that Example Co may contact me about this request' },
    attribution: {
      lastTouch: {
        channel: 'Paid Search',
        source: 'google',
        medium: 'cpc',
        campaign: 'spring',
        term: 'crm software',
      },
    },
  });
  expect(byForm.newsletter).toMatchObject({
    fields: { email: 'grace@example.com' },
    attribution: { firstTouch: { campaign: 'spring' } },
  });
  expect(errors).toEqual([]);
});
