/**
 * The script-tag build in a real Chromium: embedding, the command queue, data-* options, languages, the
 * popup file, CSP.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Chromium } from '../../../test/chromium.js';
import { closeAll } from '../../../test/teardown.js';
import { localeFile, popupFile } from './helpers/build.js';
import { failOnPageErrors, formPage, openForm } from './helpers/page.js';
import { type Site, STRICT_CSP } from './helpers/site.js';
import { startWidgetSite } from './helpers/widget-site.js';

failOnPageErrors();

const config = {
  id: 'demo',
  title: 'Talk to sales',
  fields: [
    { name: 'name', type: 'text', label: 'Full name', required: true },
    { name: 'email', type: 'email', label: 'Work email', required: true },
    { name: 'consent', type: 'consent', label: 'I agree to be contacted about Leadkit', required: true },
  ],
};

/** Styles only from a `<style nonce="r4nd0m">`: what a page without constructable stylesheets must use. */
const NONCE_STYLE_CSP = "default-src 'self'; script-src 'self'; style-src 'nonce-r4nd0m'";

let site: Site;
let popupRequests = 0;
let popupHeld = Promise.resolve();
let browser: Chromium;

beforeAll(async () => {
  ({ site, browser } = await startWidgetSite());
  site.file('/leadkit.de.js', () => localeFile('de'));
  // The popup code served instead, counting who asked for it; a test can hold it back (a slow network).
  site.file('/leadkit.popup.js', async () => {
    popupRequests += 1;
    await popupHeld;
    return popupFile();
  });
  // Takes constructable stylesheets away, as in engines without them, so the <style nonce> path runs.
  site.file('/no-adopted-sheets.js', 'delete ShadowRoot.prototype.adoptedStyleSheets;');
  site.page('/inline', formPage(config));
});
beforeEach(() => {
  site.mode = 'ok';
});
afterAll(() => closeAll(browser, site));

const form = (p: Page) => p.locator('leadkit-form');
const open = (path: string) => openForm(browser.context, site.origin + path);

async function fillAndSend(p: Page, root = form(p)) {
  await root.locator('input[name=name]').fill('Ada Lovelace');
  await root.locator('input[name=email]').fill('ada@example.com');
  await root.locator('input[name=consent]').check();
  const before = site.leads.length;
  await root.locator('button[type=submit]').click();
  return (await site.waitForLeads(before + 1)).at(-1)!;
}

/** Opens `path`, collecting from the first request on the CSP violations the page reports. */
async function openWatchingCsp(path: string): Promise<{ p: Page; violations: string[] }> {
  const p = await browser.context.newPage();
  const violations: string[] = [];
  p.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await p.goto(site.origin + path);
  return { p, violations };
}

/** Opens a popup form's page and, once the form has mounted its dialog, clicks the opener. */
async function openPopup(path: string) {
  const opened = await openWatchingCsp(path);
  await form(opened.p).locator('dialog').waitFor({ state: 'attached' });
  await opened.p.locator('#open').click();
  return opened;
}

/** The popup stylesheet (from leadkit.popup.js) applied: the dialog's padding leaves room for the ×. */
const popupPaddingTop = (p: Page) =>
  form(p)
    .locator('dialog')
    .evaluate((d) => getComputedStyle(d).paddingTop);

describe('script tag', () => {
  it('submits a lead that carries the page UTM attribution', async () => {
    const p = await open('/inline?utm_source=newsletter&utm_medium=email&utm_campaign=spring');
    const lead = await fillAndSend(p);
    expect(lead.body).toMatchObject({
      v: 1,
      formId: 'demo',
      fields: { name: 'Ada Lovelace', email: 'ada@example.com', consent: true },
      consent: { granted: true, text: 'I agree to be contacted about Leadkit' },
      page: { title: 'Pricing', url: expect.stringContaining('utm_source=newsletter') },
      context: { locale: expect.any(String), timeZone: expect.any(String) },
      attribution: {
        firstTouch: {
          source: 'newsletter',
          medium: 'email',
          campaign: 'spring',
          landingPage: expect.stringContaining('/inline?utm_source=newsletter'),
        },
        lastTouch: { source: 'newsletter' },
        pageviews: 1,
      },
    });
    // The page captures facts only; the server derives the channel (no classifier in leadkit.js).
    expect(lead.body.attribution.firstTouch).not.toHaveProperty('channel');
    expect(lead.body.id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(lead.body.id).not.toContain('.');
    await expect.poll(() => form(p).locator('h2').textContent()).toBe('Thank you');
    await p.close();
  });

  it('a second copy of the script changes nothing', async () => {
    site.page(
      '/twice',
      formPage(config, { head: '<script async src="/leadkit.js" data-endpoint="/v1/leads"></script>' }),
    );
    const pageviews = (p: Page) =>
      p.evaluate(
        () => (window.leadkit!('init') as { attribution(): { pageviews: number } }).attribution().pageviews,
      );
    const once = await open('/inline');
    const before = await pageviews(once);
    await once.close();
    const p = await open('/twice');
    await p.waitForLoadState('load');
    expect(
      await p.evaluate(
        () => document.querySelector('leadkit-form')!.shadowRoot!.querySelectorAll('.lk').length,
      ),
    ).toBe(1);
    // One journey counted this page view once; one form, one lead.
    expect(await pageviews(p)).toBe(before + 1);
    const lead = await fillAndSend(p);
    expect(lead.body.formId).toBe('demo');
    await p.close();
  });

  it("runs leadkit('form', ...) calls queued by the snippet before the file loaded", async () => {
    site.file(
      '/queue.js',
      `window.leadkit=window.leadkit||function(){(leadkit.q=leadkit.q||[]).push(arguments)};
       leadkit('form', ${JSON.stringify({ ...config, id: 'queued' })}, { target: '#here' });`,
    );
    site.page(
      '/queued',
      `<!doctype html><html lang="en"><head><title>Q</title><script src="/queue.js"></script>
       <script async src="/leadkit.js" data-endpoint="/v1/leads"></script></head><body><div id="here"></div></body></html>`,
    );
    const p = await openForm(browser.context, `${site.origin}/queued`, '#here form');
    const lead = await fillAndSend(p, p.locator('#here'));
    expect(lead.body.formId).toBe('queued');
    await p.close();
  });

  it('reads data-* options through the typed table; the endpoint attribute wins', async () => {
    site.page(
      '/options',
      formPage(config, {
        scriptAttrs: 'data-hidden="plan=pro,source=pricing\\, annual"',
        endpointAttr: `endpoint="${site.origin}/v1/leads"`,
      }).replace('data-endpoint="/v1/leads"', 'data-endpoint="/nowhere"'),
    );
    const p = await open('/options');
    const lead = await fillAndSend(p);
    expect(lead.body.fields).toMatchObject({ plan: 'pro', source: 'pricing, annual' });
    await p.close();
  });

  it('loads the German strings file on demand', async () => {
    site.page('/de', formPage({ ...config, id: 'de', locale: 'de' }, { lang: 'de' }));
    const p = await open('/de');
    expect(await form(p).locator('button[type=submit]').textContent()).toBe('Senden');
    await form(p).locator('button[type=submit]').click();
    expect(await form(p).locator('.sum h3').textContent()).toBe('Es gibt ein Problem');
    await p.close();
  });

  it('logs an error naming the key and shows nothing for an invalid config', async () => {
    site.page(
      '/broken',
      formPage({ id: 'broken', fields: [{ name: 'email', type: 'emial', label: 'Email' }] }),
    );
    const p = await browser.context.newPage();
    const logged: string[] = [];
    p.on('console', (m) => logged.push(m.text()));
    await p.goto(`${site.origin}/broken`);
    await expect
      .poll(() => logged.join('\n'))
      .toContain('[leadkit] Form "broken" not shown: fields[0].type: expected one of text, email');
    expect(
      await p.evaluate(
        () => document.querySelector('leadkit-form')!.shadowRoot?.querySelector('form') ?? null,
      ),
    ).toBeNull();
    await p.close();
  });
});

describe('popup file', () => {
  const popup = { ...config, id: 'popup', display: { mode: 'popup', opener: '#open' } };
  const opener = '<p><button id="open" type="button">Book a demo</button></p>';

  it('is loaded only for popup forms; an opener clicked before it arrived opens the form on arrival', async () => {
    const inline = await open('/inline');
    await inline.waitForLoadState('load');
    await inline.close();
    expect(popupRequests).toBe(0);

    site.page('/popup', formPage(popup, { before: opener }));
    let release = () => {};
    popupHeld = new Promise((resolve) => {
      release = resolve;
    });
    const p = await browser.context.newPage();
    // Not until `load`: a script being fetched holds the load event.
    await p.goto(`${site.origin}/popup`, { waitUntil: 'domcontentloaded' });
    // The form asked for the file as it mounted, before any click; the file is still on its way.
    await expect.poll(() => popupRequests).toBe(1);
    expect(
      await p.evaluate(() => document.querySelector('leadkit-form')!.shadowRoot!.querySelector('dialog')),
    ).toBeNull();
    await p.locator('#open').click();
    release();
    await form(p).locator('dialog[open] h2').waitFor();
    expect(
      await form(p)
        .locator('dialog')
        .evaluate((d) => d.matches(':modal')),
    ).toBe(true);
    const lead = await fillAndSend(p);
    expect(lead.body.formId).toBe('popup');
    await p.close();
  });

  it('loads and styles the popup under a strict CSP', async () => {
    site.page('/popup-csp', formPage({ ...popup, id: 'popup-csp' }, { before: opener }), {
      'content-security-policy': STRICT_CSP,
    });
    const { p, violations } = await openPopup('/popup-csp');
    expect(await popupPaddingTop(p)).toBe('52px');
    expect(
      await form(p)
        .locator('[part=close]')
        .evaluate((b) => getComputedStyle(b).position),
    ).toBe('absolute');
    const lead = await fillAndSend(p);
    expect(lead.body.formId).toBe('popup-csp');
    expect(violations).toEqual([]);
    await p.close();
  });

  it('puts the popup rules in a <style nonce> too where constructable stylesheets are missing', async () => {
    site.page(
      '/popup-nonce',
      formPage(
        { ...popup, id: 'popup-nonce' },
        {
          before: opener,
          head: '<script src="/no-adopted-sheets.js"></script>',
          scriptAttrs: 'data-nonce="r4nd0m"',
        },
      ),
      { 'content-security-policy': NONCE_STYLE_CSP },
    );
    const { p } = await openPopup('/popup-nonce');
    expect(await popupPaddingTop(p)).toBe('52px');
    expect(
      await p.evaluate(
        () => document.querySelector('leadkit-form')!.shadowRoot!.querySelectorAll('style').length,
      ),
    ).toBe(2);
    await p.close();
  });
});

describe('strict Content-Security-Policy', () => {
  it('renders styled and submits with no inline script, no eval and no inline style allowed', async () => {
    site.page('/csp', formPage({ ...config, id: 'csp', locale: 'de' }), {
      'content-security-policy': STRICT_CSP,
    });
    const { p, violations } = await openWatchingCsp('/csp');
    await form(p).locator('form').waitFor();
    // Styles came through a constructable stylesheet: the accent colour is on the button.
    expect(
      await form(p)
        .locator('button[type=submit]')
        .evaluate((b) => getComputedStyle(b).backgroundColor),
    ).toBe('rgb(29, 78, 216)');
    expect(await form(p).locator('button[type=submit]').textContent()).toBe('Senden');
    const lead = await fillAndSend(p);
    expect(lead.body.formId).toBe('csp');
    expect(violations).toEqual([]);
    await p.close();
  });

  it('falls back to a <style> element carrying the page nonce', async () => {
    const csp = NONCE_STYLE_CSP;
    const head = (nonce: string) => `<script src="/no-adopted-sheets.js"></script>`.concat(nonce);
    site.page('/nonce', formPage(config, { head: head(''), scriptAttrs: 'data-nonce="r4nd0m"' }), {
      'content-security-policy': csp,
    });
    site.page('/no-nonce', formPage(config, { head: head('') }), { 'content-security-policy': csp });
    const background = async (path: string) => {
      const p = await open(path);
      const color = await form(p)
        .locator('button[type=submit]')
        .evaluate((b) => getComputedStyle(b).backgroundColor);
      const usedStyleElement = await p.evaluate(
        () => !!document.querySelector('leadkit-form')!.shadowRoot!.querySelector('style'),
      );
      await p.close();
      return { color, usedStyleElement };
    };
    expect(await background('/nonce')).toEqual({ color: 'rgb(29, 78, 216)', usedStyleElement: true });
    // The control: without the nonce the policy really blocks the element.
    expect((await background('/no-nonce')).color).not.toBe('rgb(29, 78, 216)');
  });
});
