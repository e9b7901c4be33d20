/**
 * axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa) finds nothing — violations or unexplained
 * "incomplete" results — in inline, popup, multi-step and slide-in forms, before and after a failed
 * submit; and each can be completed with the keyboard alone.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/chromium.js';
import { runAxe } from './helpers/a11y.js';
import { popupFile, scriptTag } from './helpers/build.js';
import { focused, formPage, openForm } from './helpers/page.js';
import { type Site, startSite } from './helpers/site.js';

const fields = [
  { name: 'name', type: 'text', label: 'Full name', required: true },
  { name: 'email', type: 'email', label: 'Work email', required: true, help: 'We reply within a day' },
  { name: 'size', type: 'radio', label: 'Company size', required: true, options: ['1-10', '11-50'] },
  {
    name: 'country',
    type: 'select',
    label: 'Country',
    options: [
      { value: 'DE', label: 'Germany' },
      { value: 'FR', label: 'France' },
    ],
  },
  { name: 'message', type: 'textarea', label: 'How can we help?' },
  {
    name: 'consent',
    type: 'consent',
    label: 'I agree to be contacted',
    required: true,
    link: { href: '/privacy', text: 'Privacy policy' },
  },
];
const inline = { id: 'inline', title: 'Talk to sales', intro: 'We answer within one working day.', fields };
const multi = {
  id: 'multi',
  title: 'Book a demo',
  fields,
  steps: [
    { title: 'About you', fields: ['name', 'email'] },
    { title: 'Your company', fields: ['size', 'country'] },
    { title: 'Anything else', fields: ['message', 'consent'] },
  ],
};
const popup = { ...multi, id: 'popup', display: { mode: 'popup', opener: '#open' } };
// A corner panel holds a short form; a long one scrolls inside the panel, and axe reports text scrolled
// out of a scroll container as "incomplete" (it cannot see its background), which says nothing about the form.
const slide = {
  id: 'slide',
  title: 'Questions?',
  intro: 'We answer within one working day.',
  fields: [fields[1]!, fields[5]!],
  display: { mode: 'slide-in' },
};

let site: Site;
let browser: { context: BrowserContext; close: () => Promise<void> };

beforeAll(async () => {
  site = await startSite();
  site.file('/leadkit.js', scriptTag);
  site.file('/leadkit.popup.js', popupFile);
  site.page('/inline', formPage(inline));
  site.page('/multi', formPage(multi));
  site.page(
    '/popup',
    formPage(popup, { before: '<p><button id="open" type="button">Book a demo</button></p>' }),
  );
  site.page('/slide', formPage(slide));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const form = (p: Page) => p.locator('leadkit-form');

async function expectClean(p: Page, when: string) {
  const { violations, incomplete } = await runAxe(p);
  expect(JSON.stringify(violations, null, 1), `violations ${when}`).toBe('[]');
  expect(JSON.stringify(incomplete, null, 1), `incomplete ${when}`).toBe('[]');
}

/** Presses Tab until the widget control `name` (or part) has focus; fails after 40 presses. */
async function tabTo(p: Page, target: { name?: string; part?: string }) {
  for (let i = 0; i < 40; i++) {
    const f = await focused(p);
    if ((target.name && f?.name === target.name) || (target.part && f?.part === target.part)) return;
    await p.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${JSON.stringify(target)}`);
}

describe('axe: 0 violations', () => {
  it('inline, before and after a failed submit', async () => {
    const p = await openForm(browser.context, `${site.origin}/inline`);
    await expectClean(p, 'on load');
    await form(p).locator('button[type=submit]').click();
    await expectClean(p, 'after a failed submit');
    await p.close();
  });

  it('multi-step, on every step and after a failed Continue', async () => {
    const p = await openForm(browser.context, `${site.origin}/multi`);
    await form(p).locator('button[type=submit]').click();
    await expectClean(p, 'step 1 failed');
    await form(p).locator('[name=name]').fill('Ada');
    await form(p).locator('[name=email]').fill('ada@example.com');
    await form(p).locator('button[type=submit]').click();
    await expectClean(p, 'step 2');
    await form(p).locator('button[type=submit]').click();
    await expectClean(p, 'step 2 failed');
    await p.close();
  });

  it('popup, open and after a failed submit', async () => {
    const p = await openForm(browser.context, `${site.origin}/popup`);
    await p.locator('#open').click();
    await expectClean(p, 'open');
    await form(p).locator('button[type=submit]').click();
    await expectClean(p, 'after a failed submit');
    await p.close();
  });

  it('slide-in, closed and open', async () => {
    const p = await openForm(browser.context, `${site.origin}/slide`);
    await expectClean(p, 'closed');
    await form(p).locator('[part=launcher]').click();
    await form(p).locator('button[type=submit]').click();
    await expectClean(p, 'open after a failed submit');
    await p.close();
  });
});

describe('keyboard only', () => {
  it('completes the inline form with Tab, typing, Space, arrows and Enter', async () => {
    const p = await openForm(browser.context, `${site.origin}/inline`);
    await tabTo(p, { name: 'name' });
    await p.keyboard.type('Ada Lovelace');
    await p.keyboard.press('Tab');
    await p.keyboard.type('ada@example.com');
    await p.keyboard.press('Tab');
    await p.keyboard.press('Space');
    await p.keyboard.press('ArrowDown');
    await tabTo(p, { name: 'country' });
    await p.keyboard.press('ArrowDown');
    await tabTo(p, { name: 'consent' });
    await p.keyboard.press('Space');
    await tabTo(p, { part: 'submit' });
    const before = site.leads.length;
    await p.keyboard.press('Enter');
    const lead = (await site.waitForLeads(before + 1)).at(-1)!;
    expect(lead.body.fields).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      size: '11-50',
      country: 'DE',
      consent: true,
    });
    await expect.poll(async () => (await focused(p))?.text).toBe('Thank you');
    await p.close();
  });

  it('recovers from errors and completes a multi-step popup without a mouse', async () => {
    const p = await openForm(browser.context, `${site.origin}/popup`);
    // Tab from the top of the page to the opener, then Enter.
    for (let i = 0; i < 10 && (await p.evaluate(() => document.activeElement?.id)) !== 'open'; i++)
      await p.keyboard.press('Tab');
    await p.keyboard.press('Enter');
    expect((await focused(p))?.text).toBe('Step 1 of 3: About you');
    await tabTo(p, { name: 'name' });
    await p.keyboard.press('Enter');
    // The summary has focus; its first link leads to the field.
    expect((await focused(p))?.part).toBe('summary');
    await p.keyboard.press('Tab');
    await p.keyboard.press('Enter');
    expect((await focused(p))?.name).toBe('name');
    await p.keyboard.type('Ada');
    await p.keyboard.press('Tab');
    await p.keyboard.type('ada@example.com');
    await p.keyboard.press('Enter');
    expect((await focused(p))?.text).toBe('Step 2 of 3: Your company');
    await tabTo(p, { name: 'size' });
    await p.keyboard.press('Space');
    await p.keyboard.press('Enter');
    expect((await focused(p))?.text).toBe('Step 3 of 3: Anything else');
    await tabTo(p, { name: 'consent' });
    await p.keyboard.press('Space');
    await tabTo(p, { part: 'submit' });
    const before = site.leads.length;
    await p.keyboard.press('Enter');
    const lead = (await site.waitForLeads(before + 1)).at(-1)!;
    expect(lead.body.formId).toBe('popup');
    await expect.poll(async () => (await focused(p))?.text).toBe('Thank you');
    await p.keyboard.press('Escape');
    expect(await p.evaluate(() => document.activeElement?.id)).toBe('open');
    await p.close();
  });
});
