/**
 * axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa) finds nothing — violations or unexplained
 * "incomplete" results — in inline, popup, multi-step and slide-in forms, before and after a failed
 * submit; and each can be completed with the keyboard alone.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chromium } from '../../../test/chromium.js';
import { closeAll } from '../../../test/teardown.js';
import { runAxe } from './helpers/a11y.js';
import { failOnPageErrors, focused, formPage, openForm } from './helpers/page.js';
import type { Site } from './helpers/site.js';
import { startWidgetSite } from './helpers/widget-site.js';

failOnPageErrors();

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
let browser: Chromium;

beforeAll(async () => {
  ({ site, browser } = await startWidgetSite());
  site.page('/inline', formPage(inline));
  site.page('/multi', formPage(multi));
  site.page(
    '/popup',
    formPage(popup, { before: '<p><button id="open" type="button">Book a demo</button></p>' }),
  );
  site.page('/slide', formPage(slide));
});
afterAll(() => closeAll(browser, site));

const form = (p: Page) => p.locator('leadkit-form');
const open = (path: string) => openForm(browser.context, site.origin + path);
const submit = (p: Page) => form(p).locator('button[type=submit]').click();

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

/** Ticks the consent box and sends, with Tab, Space and Enter alone; returns the lead that arrived. */
async function agreeAndSendByKeyboard(p: Page) {
  await tabTo(p, { name: 'consent' });
  await p.keyboard.press('Space');
  await tabTo(p, { part: 'submit' });
  const before = site.leads.length;
  await p.keyboard.press('Enter');
  return (await site.waitForLeads(before + 1)).at(-1)!.body;
}

/** Opens `path`, then for each state in order: does what leads to it, and runs axe there. */
async function expectCleanThrough(path: string, states: Record<string, (p: Page) => Promise<unknown>>) {
  const p = await open(path);
  for (const [state, reach] of Object.entries(states)) {
    await reach(p);
    await expectClean(p, state);
  }
  await p.close();
}
const asLoaded = async () => {};

describe('axe: 0 violations', () => {
  it('inline, before and after a failed submit', () =>
    expectCleanThrough('/inline', { 'on load': asLoaded, 'after a failed submit': submit }));

  it('multi-step, on every step and after a failed Continue', () =>
    expectCleanThrough('/multi', {
      'step 1 failed': submit,
      'step 2': async (p) => {
        await form(p).locator('[name=name]').fill('Ada');
        await form(p).locator('[name=email]').fill('ada@example.com');
        await submit(p);
      },
      'step 2 failed': submit,
    }));

  it('popup, open and after a failed submit', () =>
    expectCleanThrough('/popup', {
      open: (p) => p.locator('#open').click(),
      'after a failed submit': submit,
    }));

  it('slide-in, closed and open', () =>
    expectCleanThrough('/slide', {
      closed: asLoaded,
      'open after a failed submit': async (p) => {
        await form(p).locator('[part=launcher]').click();
        await submit(p);
      },
    }));
});

describe('keyboard only', () => {
  it('completes the inline form with Tab, typing, Space, arrows and Enter', async () => {
    const p = await open('/inline');
    await tabTo(p, { name: 'name' });
    await p.keyboard.type('Ada Lovelace');
    await p.keyboard.press('Tab');
    await p.keyboard.type('ada@example.com');
    await p.keyboard.press('Tab');
    await p.keyboard.press('Space');
    await p.keyboard.press('ArrowDown');
    await tabTo(p, { name: 'country' });
    await p.keyboard.press('ArrowDown');
    expect((await agreeAndSendByKeyboard(p)).fields).toMatchObject({
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
    const p = await open('/popup');
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
    expect((await agreeAndSendByKeyboard(p)).formId).toBe('popup');
    await expect.poll(async () => (await focused(p))?.text).toBe('Thank you');
    await p.keyboard.press('Escape');
    expect(await p.evaluate(() => document.activeElement?.id)).toBe('open');
    await p.close();
  });
});
