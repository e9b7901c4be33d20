/**
 * The npm-vite example, built by Vite as an app would build it (packages from their dist/), served on
 * loopback and driven in Chromium: the plain page shows the journey and sends a lead, the React page
 * mounts one form under StrictMode and sends a lead, both into a real adapter.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, startServer } from '@leadkit/webhook/node';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuilt } from '../../scripts/demo/build.mjs';
import { ROOT } from '../../scripts/test/demo-process.js';
import { eventually, type Site, startSite } from '../../scripts/test/loopback.js';
import { type Chromium, launchChromium } from '../../test/chromium.js';
import { openPage } from '../../test/page.js';
import { closeAll } from '../../test/teardown.js';
import { loopbackWebhookOptions } from '../../test/webhook.js';

const app = fileURLToPath(new URL('.', import.meta.url));
let out: string;
let site: Site;
let webhook: RunningServer;
let browser: Chromium;

beforeAll(async () => {
  ensureBuilt(ROOT);
  out = mkdtempSync(join(tmpdir(), 'leadkit-npm-vite-'));
  site = await startSite((path) => {
    const file = join(out, 'dist', path);
    return file.startsWith(out) && existsSync(file) && statSync(file).isFile() ? file : undefined;
  });
  webhook = await startServer(loopbackWebhookOptions(site.origin, out));
  process.env.VITE_LEADKIT_ENDPOINT = `${webhook.url}/v1/leads`;
  try {
    await build({
      configFile: join(app, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: join(out, 'dist'), emptyOutDir: true },
    });
  } finally {
    delete process.env.VITE_LEADKIT_ENDPOINT;
  }
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await closeAll(browser, webhook, site);
  if (out) rmSync(out, { recursive: true, force: true });
});

const leadOf = (formId: string) =>
  eventually(async () => (await webhook.store.listLeads()).find((s) => s.lead.formId === formId)?.lead);

it('the plain page shows the journey from init() and sends it with the lead', async () => {
  const { page, errors } = await openPage(
    browser.context,
    `${site.origin}/?utm_source=linkedin&utm_medium=paid_social&utm_campaign=q4_trial`,
  );
  expect(await page.locator('#first-touch').textContent()).toBe(
    'Paid Social (linkedin / paid_social, q4_trial)',
  );

  const form = page.locator('#signup');
  await form.locator('[name=email]').fill('ada@example.com');
  await form.locator('[name=company]').fill('Analytical Engines');
  await form.locator('[name=consent]').check();
  await form.getByRole('button', { name: 'Start my trial' }).click();
  await form.locator('[part=success]').waitFor();

  const lead = await leadOf('vite-signup');
  expect(lead).toMatchObject({
    fields: { email: 'ada@example.com', company: 'Analytical Engines', consent: true },
    attribution: { firstTouch: { channel: 'Paid Social', campaign: 'q4_trial' }, pageviews: 1 },
  });
  expect(errors).toEqual([]);
  await page.close();
});

it('the React page mounts the form in an effect, unmounts it with the component, and sends a lead', async () => {
  const { page, errors } = await openPage(
    browser.context,
    `${site.origin}/react.html?utm_source=newsletter&utm_medium=email`,
  );
  const root = page.locator('#root');
  await root.locator('[name=email]').waitFor();
  expect(await root.locator('form').count()).toBe(1);
  // Unmounting the component runs the effect's cleanup: mount's unmount removes the form.
  await page.getByRole('button', { name: 'Hide the form' }).click();
  await expect.poll(() => root.locator('form').count()).toBe(0);
  await page.getByRole('button', { name: 'Show the form' }).click();
  await root.locator('[name=email]').waitFor();
  expect(await root.locator('form').count()).toBe(1);

  await root.locator('[name=name]').fill('Grace Hopper');
  await root.locator('[name=email]').fill('grace@example.com');
  await root.locator('[name=consent]').check();
  await root.locator('button[type=submit]').click();
  await root.locator('[part=success]').waitFor();

  const lead = await leadOf('react-contact');
  expect(lead).toMatchObject({
    fields: { name: 'Grace Hopper', email: 'grace@example.com' },
    page: { title: 'Contact (React): Example app' },
    attribution: { lastTouch: { channel: 'Email', source: 'newsletter' } },
  });
  expect(errors).toEqual([]);
  await page.close();
});
