/**
 * The hidden-fields example in Chromium: an email visit, then a paid-social visit, then the vendor form is
 * submitted to its own backend with the attribution @leadkit/core filled in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuilt } from '../../scripts/demo/build.mjs';
import { ROOT } from '../../scripts/test/demo-process.js';
import { eventually, type Site, startSite } from '../../scripts/test/loopback.js';
import { type Chromium, launchChromium } from '../../test/chromium.js';
import { closeAll } from '../../test/teardown.js';

let site: Site;
let browser: Chromium;

beforeAll(async () => {
  ensureBuilt(ROOT);
  site = await startSite({
    '/index.html': fileURLToPath(new URL('index.html', import.meta.url)),
    '/leadkit-core.js': join(ROOT, 'packages/core/dist/leadkit-core.js'),
    '/thanks': () => 'Thanks, see you at the webinar.',
  });
  browser = await launchChromium();
}, 300_000);
afterAll(() => closeAll(browser, site));

it('the vendor form posts the first and last touch, the UTMs and the click ID to its backend', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${site.origin}/?utm_source=newsletter&utm_medium=email&utm_campaign=october_digest`);
  await page.goto(
    `${site.origin}/?utm_source=facebook&utm_medium=paid_social&utm_campaign=webinar&fbclid=IwAR0demo`,
  );
  // The core fills the inputs once it has loaded; a person takes longer than that to type.
  await expect.poll(() => page.inputValue('input[name=channel]')).toBe('Paid Social');
  await page.fill('#firstname', 'Ada');
  await page.fill('#email', 'ada@example.com');
  await page.click('button[type=submit]');
  await page.waitForURL(`${site.origin}/thanks`);

  const post = await eventually(() => site.posts.find((p) => p.path === '/submit'));
  expect(post.headers['content-type']).toBe('application/x-www-form-urlencoded');
  const values = Object.fromEntries(new URLSearchParams(post.body));
  expect(values).toMatchObject({
    firstname: 'Ada',
    email: 'ada@example.com',
    utm_source: 'facebook',
    utm_medium: 'paid_social',
    utm_campaign: 'webinar',
    channel: 'Paid Social',
    first_channel: 'Email',
    first_source: 'newsletter',
    first_medium: 'email',
    first_campaign: 'october_digest',
    fbclid: 'IwAR0demo',
  });
  expect(values.landing_page).toBe(
    `${site.origin}/?utm_source=newsletter&utm_medium=email&utm_campaign=october_digest`,
  );
  expect(values.visitor_id).toMatch(/\S{8,}/);
  expect(values.gclid).toBe(''); // no Google click: left empty, not made up
});

it('the page itself is the vendor’s: it names no Leadkit input and no inline script', () => {
  const html = readFileSync(fileURLToPath(new URL('index.html', import.meta.url)), 'utf8');
  expect(html).toContain('<script async src="leadkit-core.js" data-hidden-fields="on"></script>');
  expect(html.match(/<script/g)).toHaveLength(1);
});
