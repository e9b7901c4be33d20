/** Prefill, hidden fields, events and dataLayer, success redirect, and the Turnstile hook, in Chromium. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chromium } from '../../../test/chromium.js';
import { closeAll } from '../../../test/teardown.js';
import { localeFile } from './helpers/build.js';
import { failOnPageErrors, focused, formPage, openForm } from './helpers/page.js';
import type { Site } from './helpers/site.js';
import { startWidgetSite } from './helpers/widget-site.js';

failOnPageErrors();

let site: Site;
let browser: Chromium;

beforeAll(async () => {
  ({ site, browser } = await startWidgetSite());
  site.file('/leadkit.fr.js', () => localeFile('fr'));
});
afterAll(() => closeAll(browser, site));

const form = (p: Page) => p.locator('leadkit-form');
const lastLead = async () => (await site.waitForLeads(site.leads.length + 1)).at(-1)!.body;

describe('prefill and hidden fields', () => {
  it('fills visible fields from URL parameters and hidden ones from a parameter, a cookie or a constant', async () => {
    site.page(
      '/prefill',
      formPage({
        id: 'prefill',
        fields: [
          { name: 'email', type: 'email', label: 'Work email', param: 'email', required: true },
          { name: 'plan', type: 'hidden', param: 'plan' },
          { name: 'partner', type: 'hidden', cookie: 'partner' },
          { name: 'source', type: 'hidden', default: 'pricing-page' },
        ],
      }),
    );
    await browser.context.addCookies([{ name: 'partner', value: 'acme%20co', url: site.origin }]);
    const p = await openForm(browser.context, `${site.origin}/prefill?email=ada%40example.com&plan=pro`);
    expect(await form(p).locator('[name=email]').inputValue()).toBe('ada@example.com');
    expect(await form(p).locator('[name=plan]').count()).toBe(0);
    const sent = lastLead();
    await form(p).locator('button[type=submit]').click();
    expect((await sent).fields).toEqual({
      email: 'ada@example.com',
      plan: 'pro',
      partner: 'acme co',
      source: 'pricing-page',
    });
    await p.close();
  });
});

describe('events', () => {
  it('dispatches leadkit:submit and leadkit:success and pushes ids (not answers) to dataLayer', async () => {
    site.file(
      '/listen.js',
      `window.dataLayer = []; window.seen = [];
       for (const t of ['leadkit:submit', 'leadkit:success', 'leadkit:error'])
         document.addEventListener(t, (e) => seen.push([e.type, e.detail.formId, !!e.detail.lead.id, e.composed]));`,
    );
    site.page(
      '/events',
      formPage(
        { id: 'events', fields: [{ name: 'email', type: 'email', label: 'Email', required: true }] },
        { head: '<script src="/listen.js"></script>' },
      ),
    );
    const p = await openForm(browser.context, `${site.origin}/events`);
    await form(p).locator('[name=email]').fill('ada@example.com');
    await form(p).locator('button[type=submit]').click();
    await form(p).locator('[part=success]').waitFor();
    expect(await p.evaluate(() => (window as Window & { seen?: unknown }).seen)).toEqual([
      ['leadkit:submit', 'events', true, true],
      ['leadkit:success', 'events', true, true],
    ]);
    const pushed = await p.evaluate(
      () => (window as Window & { dataLayer?: Record<string, unknown>[] }).dataLayer!,
    );
    expect(pushed.map((e) => e.event)).toEqual(['leadkit:submit', 'leadkit:success']);
    expect(pushed[1]).toMatchObject({
      leadkitFormId: 'events',
      leadkitLeadId: expect.stringMatching(/^v1-/),
    });
    expect(JSON.stringify(pushed)).not.toContain('ada@example.com');
    await p.close();
  });
});

describe('success', () => {
  it('redirects after the lead is accepted when success.redirect is set', async () => {
    site.page('/thanks', '<!doctype html><title>Thanks</title><p>Thanks</p>');
    site.page(
      '/redirect',
      formPage({
        id: 'redirect',
        success: { redirect: '/thanks' },
        fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
      }),
    );
    const p = await openForm(browser.context, `${site.origin}/redirect`);
    await form(p).locator('[name=email]').fill('ada@example.com');
    await Promise.all([
      p.waitForURL(`${site.origin}/thanks`),
      form(p).locator('button[type=submit]').click(),
    ]);
    expect(site.leads.at(-1)!.body.formId).toBe('redirect');
    await p.close();
  });
});

describe('Turnstile hook', () => {
  const config = {
    id: 'ts',
    locale: 'fr',
    turnstile: { siteKey: '0xAAAA' },
    fields: [{ name: 'email', type: 'email', label: 'E-mail', required: true }],
  };

  it('renders explicitly inside the shadow root with the form language and sends the token', async () => {
    // Cloudflare's script cannot load offline; this stand-in has its API shape and records the call.
    site.file(
      '/turnstile.js',
      `window.turnstile = { render(el, o) { window.rendered = { inShadow: el.getRootNode() instanceof ShadowRoot, sitekey: o.sitekey, language: o.language }; setTimeout(() => o.callback('tok-123')); } };`,
    );
    site.page('/turnstile', formPage(config, { head: '<script src="/turnstile.js"></script>' }));
    const p = await openForm(browser.context, `${site.origin}/turnstile`);
    await form(p).locator('[name=email]').fill('ada@example.com');
    expect(await p.evaluate(() => (window as Window & { rendered?: unknown }).rendered)).toEqual({
      inShadow: true,
      sitekey: '0xAAAA',
      language: 'fr',
    });
    const sent = lastLead();
    await form(p).locator('button[type=submit]').click();
    expect((await sent).meta.turnstileToken).toBe('tok-123');
    await p.close();
  });

  it('without Turnstile on the page, still sends the lead (the server flags it)', async () => {
    site.page('/no-turnstile', formPage({ ...config, id: 'no-ts' }));
    const p = await openForm(browser.context, `${site.origin}/no-turnstile`);
    await form(p).locator('[name=email]').fill('ada@example.com');
    const sent = lastLead();
    await form(p).locator('button[type=submit]').click();
    const lead = await sent;
    expect(lead.formId).toBe('no-ts');
    expect(lead.meta.turnstileToken).toBeUndefined();
    await p.close();
  });
});

describe('automatic triggers', () => {
  const config = (trigger: string) => ({
    id: `t-${trigger}`,
    title: 'Before you go',
    fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
    display: { mode: 'popup', trigger, scroll: 50, opener: '#never' },
  });
  const isOpen = (p: Page) =>
    form(p)
      .locator('dialog')
      .evaluate((d: HTMLDialogElement) => d.open);

  it('scroll depth opens the popup once the visitor has read far enough, once per visitor', async () => {
    site.page('/scroll', formPage(config('scroll'), { after: '<p>text</p>'.repeat(200) }));
    const p = await openForm(browser.context, `${site.origin}/scroll`);
    expect(await isOpen(p)).toBe(false);
    await p.mouse.wheel(0, 600);
    await p.waitForTimeout(100);
    expect(await isOpen(p)).toBe(false);
    await p.evaluate(() => scrollTo(0, document.documentElement.scrollHeight / 2));
    await expect.poll(() => isOpen(p)).toBe(true);
    await p.keyboard.press('Escape');
    await p.reload();
    await p.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
    await p.waitForTimeout(300);
    expect(await isOpen(p)).toBe(false);
    await p.close();
  });

  it('exit intent opens it when the pointer leaves through the top of the window', async () => {
    site.page('/exit', formPage(config('exit')));
    const p = await openForm(browser.context, `${site.origin}/exit`);
    await p.mouse.move(400, 300);
    await p.mouse.move(400, 150);
    expect(await isOpen(p)).toBe(false);
    await p.mouse.move(400, -5);
    await expect.poll(() => isOpen(p)).toBe(true);
    expect(await focused(p)).toMatchObject({ tag: 'h2', text: 'Before you go' });
    await p.close();
  });
});

describe('theming', () => {
  it('follows prefers-color-scheme, and a site colour wins in both schemes', async () => {
    site.page(
      '/theme',
      formPage({ id: 'theme', fields: [{ name: 'email', type: 'email', label: 'Email' }] }),
    );
    site.page(
      '/theme-custom',
      formPage(
        { id: 'theme2', fields: [{ name: 'email', type: 'email', label: 'Email' }] },
        { head: '<style>leadkit-form{--leadkit-accent:#0f766e}</style>' },
      ),
    );
    const accent = async (path: string, scheme: 'light' | 'dark') => {
      const p = await browser.context.newPage();
      await p.emulateMedia({ colorScheme: scheme });
      await p.goto(site.origin + path);
      const color = await form(p)
        .locator('button[type=submit]')
        .evaluate((b) => getComputedStyle(b).backgroundColor);
      await p.close();
      return color;
    };
    expect(await accent('/theme', 'light')).toBe('rgb(29, 78, 216)');
    expect(await accent('/theme', 'dark')).toBe('rgb(108, 182, 255)');
    expect(await accent('/theme-custom', 'dark')).toBe('rgb(15, 118, 110)');
  });

  it('exposes parts to the page stylesheet', async () => {
    site.page(
      '/parts',
      formPage(
        { id: 'parts', fields: [{ name: 'email', type: 'email', label: 'Email' }] },
        { head: '<style>leadkit-form::part(submit){text-transform:uppercase}</style>' },
      ),
    );
    const p = await openForm(browser.context, `${site.origin}/parts`);
    expect(
      await form(p)
        .locator('button[type=submit]')
        .evaluate((b) => getComputedStyle(b).textTransform),
    ).toBe('uppercase');
    await p.close();
  });
});
