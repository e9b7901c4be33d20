/**
 * The widget adds nothing to Cumulative Layout Shift. An async script runs after the browser's first
 * paint, so an in-page form's space must be reserved by the site's CSS (the widget logs the exact rule);
 * with it, CLS is 0. Popups live in the top layer and lock scrolling without moving the page; slide-ins
 * are fixed. Layout shifts are recorded from the very start of each page load.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chromium } from '../../../test/chromium.js';
import { closeAll } from '../../../test/teardown.js';
import type { FormConfig } from '../src/config-schema.js';
import { estimateHeight } from '../src/reserve.js';
import { scriptTag } from './helpers/build.js';
import { formPage } from './helpers/page.js';
import type { Site } from './helpers/site.js';
import { startWidgetSite } from './helpers/widget-site.js';

const fields: FormConfig['fields'] = [
  { name: 'name', type: 'text', label: 'Full name', required: true },
  { name: 'email', type: 'email', label: 'Work email', required: true, help: 'We reply within a day' },
  { name: 'size', type: 'radio', label: 'Company size', options: ['1-10', '11-50', '51-200', '201+'] },
  { name: 'message', type: 'textarea', label: 'How can we help?' },
  {
    name: 'consent',
    type: 'consent',
    label: 'I agree that Leadkit may contact me about this request',
    required: true,
  },
];
const article = '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>'.repeat(8);

let site: Site;
let browser: Chromium;

const inline: FormConfig = {
  id: 'inline',
  title: 'Talk to sales',
  intro: 'One working day, promised.',
  fields,
};
const steps: FormConfig = {
  id: 'steps',
  title: 'Book a demo',
  fields,
  steps: [
    { title: 'About you', fields: ['name', 'email'] },
    { title: 'Your company', fields: ['size', 'message', 'consent'] },
  ],
};
const popup = {
  id: 'popup',
  title: 'Book a demo',
  fields,
  display: { mode: 'popup', trigger: 'delay', delay: 0.2 },
};
const slide = {
  id: 'slide',
  title: 'Questions?',
  fields: [fields[1]!],
  display: { mode: 'slide-in', trigger: 'delay', delay: 0.2 },
};

/** The site's own stylesheet with the rule the widget recommends (the form is 1264 px wide here). */
const reserveCss = (height: number) => `<link rel="stylesheet" href="/site-${height}.css">`;

beforeAll(async () => {
  ({ site, browser } = await startWidgetSite());
  await scriptTag();
  const page = (
    path: string,
    config: object,
    height: number,
    o: { after?: string; before?: string } = {},
  ) => {
    site.file(`/site-${height}.css`, `leadkit-form{display:block;min-height:${height}px}`, 'text/css');
    site.page(path, formPage(config, { head: height ? reserveCss(height) : '', ...o }));
  };
  page('/inline', inline, estimateHeight(inline, 1264, 16), { before: article, after: article });
  // The script arrives late (a slow network), so the page is certainly painted before it runs.
  site.file('/slow/leadkit.js', () => new Promise((r) => setTimeout(() => r(scriptTag()), 300)));
  site.page(
    '/inline-no-css',
    formPage(inline, { before: article, after: article }).replace('/leadkit.js', '/slow/leadkit.js'),
  );
  page('/steps', steps, estimateHeight(steps, 1264, 16), { before: article, after: article });
  // A popup without an opener shows its launcher button in the page: one button's height.
  page('/popup', popup, 44, { after: article.repeat(6) });
  page('/slide', slide, 0, { after: article.repeat(6) });
});
afterAll(() => closeAll(browser, site));

async function cls(path: string, ready: (p: Page) => Promise<unknown>): Promise<number> {
  const p = await browser.context.newPage();
  await p.addInitScript(() => {
    const w = window as Window & { cls?: number };
    w.cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[])
        if (!e.hadRecentInput) w.cls! += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await p.goto(site.origin + path);
  await ready(p);
  // Two frames after the last change, so any shift has been reported.
  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const value = await p.evaluate(() => (window as Window & { cls?: number }).cls!);
  await p.close();
  return value;
}

describe('CLS', () => {
  it('is 0 for an inline form between paragraphs, with the reserved height in the site CSS', async () => {
    expect(await cls('/inline', (p) => p.locator('leadkit-form button[type=submit]').waitFor())).toBe(0);
  });

  it('without that CSS, a late script logs the rule to add', async () => {
    const p = await browser.context.newPage();
    const logged: string[] = [];
    p.on('console', (m) => logged.push(m.text()));
    await p.goto(`${site.origin}/inline-no-css`);
    await p.locator('leadkit-form button[type=submit]').waitFor();
    expect(logged.join('\n')).toContain(
      `leadkit-form { display: block; min-height: ${estimateHeight(inline, 1264, 16)}px }`,
    );
    await p.close();
  });

  it('is 0 for a multi-step form', async () => {
    expect(await cls('/steps', (p) => p.locator('leadkit-form button[type=submit]').waitFor())).toBe(0);
  });

  it('is 0 when a popup opens by itself and locks scrolling', async () => {
    expect(await cls('/popup', (p) => p.locator('leadkit-form dialog h2').waitFor())).toBe(0);
  });

  it('is 0 when a slide-in opens by itself', async () => {
    expect(await cls('/slide', (p) => p.locator('leadkit-form dialog h2').waitFor())).toBe(0);
  });

  it('the reserved height holds the rendered form (no jump when it appears)', async () => {
    const p = await browser.context.newPage();
    await p.goto(`${site.origin}/inline`);
    await p.locator('leadkit-form button[type=submit]').waitFor();
    const { reserved, used } = await p.evaluate(() => {
      const root = document.querySelector('leadkit-form')!.shadowRoot!.querySelector('div')!;
      return {
        reserved: Number.parseFloat(root.style.minHeight),
        used: root.firstElementChild!.getBoundingClientRect().height,
      };
    });
    expect(used).toBeLessThanOrEqual(reserved);
    // Not wildly more than needed either: at most a fifth left empty.
    expect(reserved - used).toBeLessThan(reserved / 5);
    await p.close();
  });
});
