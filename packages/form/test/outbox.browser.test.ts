/**
 * Not losing leads: retries on 5xx, the localStorage outbox while the endpoint is unreachable, delivery
 * when the browser is back online and on the next page view, one lead per fill however often it is sent.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Chromium } from '../../../test/chromium.js';
import { closeAll } from '../../../test/teardown.js';
import { en } from '../src/i18n/en.js';
import { failOnPageErrors, formPage, openForm } from './helpers/page.js';
import type { Site } from './helpers/site.js';
import { startWidgetSite } from './helpers/widget-site.js';

failOnPageErrors();

const config = {
  id: 'outbox',
  fields: [{ name: 'email', type: 'email', label: 'Work email', required: true }],
};

let site: Site;
let browser: Chromium;

beforeAll(async () => {
  ({ site, browser } = await startWidgetSite());
  site.page('/form', formPage(config));
  site.page('/other', formPage({ ...config, id: 'other' }));
});
beforeEach(async () => {
  site.mode = 'ok';
  site.failNext = 0;
  site.delayMs = 0;
  site.leads.length = 0;
  site.attempts = 0;
  await browser.context.setOffline(false);
});
afterAll(() => closeAll(browser, site));

const form = (p: Page) => p.locator('leadkit-form');
const outbox = (p: Page) =>
  p.evaluate(() => JSON.parse(localStorage.getItem('leadkit:outbox') ?? '[]').length as number);

async function send(p: Page, email = 'ada@example.com') {
  await form(p).locator('[name=email]').fill(email);
  await form(p).locator('button[type=submit]').click();
}

describe('delivery', () => {
  it('retries a 5xx with backoff and sends one lead with one id', async () => {
    site.failNext = 2;
    const p = await openForm(browser.context, `${site.origin}/form`);
    await send(p);
    const [lead] = await site.waitForLeads(1);
    expect(site.attempts).toBe(3);
    await expect.poll(() => form(p).locator('[part=success]').count()).toBe(1);
    expect(await outbox(p)).toBe(0);
    expect(lead!.body.fields.email).toBe('ada@example.com');
    await p.close();
  });

  it('never sends twice for a double click', async () => {
    site.delayMs = 400;
    const p = await openForm(browser.context, `${site.origin}/form`);
    await form(p).locator('[name=email]').fill('ada@example.com');
    await form(p).locator('button[type=submit]').dblclick();
    await form(p)
      .locator('button[type=submit]')
      .click({ force: true })
      .catch(() => {});
    await site.waitForLeads(1);
    await expect.poll(() => form(p).locator('[part=success]').count()).toBe(1);
    expect(site.attempts).toBe(1);
    await p.close();
  });

  it('keeps the lead on the device while offline, says so, and sends it when back online', async () => {
    const p = await openForm(browser.context, `${site.origin}/form`);
    const errors = p.evaluate(
      () =>
        new Promise((resolve) =>
          document.addEventListener('leadkit:error', (e) => resolve((e as CustomEvent).detail.queued), {
            once: true,
          }),
        ),
    );
    await browser.context.setOffline(true);
    await send(p);
    await expect
      .poll(() => form(p).locator('[role=status]').textContent(), { timeout: 20_000 })
      .toContain(en.queued);
    expect(await errors).toBe(true);
    expect(await outbox(p)).toBe(1);
    expect(site.attempts).toBe(0);
    // Answers stay, and nothing went out while offline.
    expect(await form(p).locator('[name=email]').inputValue()).toBe('ada@example.com');
    await browser.context.setOffline(false);
    const [lead] = await site.waitForLeads(1);
    expect(lead!.body.formId).toBe('outbox');
    await expect.poll(() => form(p).locator('[part=success]').count()).toBe(1);
    expect(await outbox(p)).toBe(0);
    await p.close();
  });

  it('sends what an earlier page view could not, once the endpoint is back', async () => {
    site.mode = 'down';
    const p = await openForm(browser.context, `${site.origin}/form`);
    await send(p, 'grace@example.com');
    await expect
      .poll(() => form(p).locator('[role=status]').textContent(), { timeout: 20_000 })
      .toContain(en.queued);
    const id = await p.evaluate(() => JSON.parse(localStorage.getItem('leadkit:outbox')!)[0].lead.id);
    await p.close();
    site.mode = 'ok';
    const next = await openForm(browser.context, `${site.origin}/other`);
    const [lead] = await site.waitForLeads(1);
    expect(lead!.body).toMatchObject({ id, formId: 'outbox', fields: { email: 'grace@example.com' } });
    await expect.poll(() => outbox(next)).toBe(0);
    expect(site.leads).toHaveLength(1);
    await next.close();
  });

  it('shows the server reason for a refusal and drops it from the outbox', async () => {
    site.mode = { status: 403, body: { error: 'origin not allowed' } };
    const p = await openForm(browser.context, `${site.origin}/form`);
    await send(p);
    await expect.poll(() => form(p).locator('[role=status]').textContent()).toContain('origin not allowed');
    expect(site.attempts).toBe(1);
    expect(await outbox(p)).toBe(0);
    await p.close();
  });
});
