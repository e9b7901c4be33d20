/**
 * The demo end to end, as a visitor and a marketer would use it: `scripts/start.mjs` as a child process on
 * free ports with a temporary data folder; campaign links in real Chromium; the form; the inbox; the
 * receiving CRM with a verified signature; Ctrl-C; and a restart that finds the lead again.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../test/chromium.js';
import { ensureBuilt } from './demo/build.mjs';
import { type Demo, ROOT, startDemo } from './test/demo-process.js';

let dataDir: string;
let args: string[];
let demo: Demo | undefined;
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  ensureBuilt(ROOT);
  dataDir = mkdtempSync(join(tmpdir(), 'leadkit-demo-'));
  // The repository's config, except that a robot fills forms faster than the spam check allows.
  const config = JSON.parse(readFileSync(join(ROOT, 'leadkit.config.json'), 'utf8'));
  config.spam = { ...config.spam, minFillMs: 0 };
  const configPath = join(dataDir, 'leadkit.config.json');
  writeFileSync(configPath, JSON.stringify(config));
  args = ['--no-build', '--config', configPath, '--data-dir', dataDir];
  args.push('--site-port', '0', '--crm-port', '0', '--webhook-port', '0');
  demo = await startDemo(args);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (demo && demo.child.exitCode === null) await demo.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Reloads `url` until `text` shows on it (delivery is asynchronous), then returns the page's text. */
async function textOnceShown(page: Page, url: string, text: string): Promise<string> {
  for (let i = 0; i < 40; i++) {
    await page.goto(url);
    const body = (await page.locator('body').textContent()) ?? '';
    if (body.includes(text)) return body;
    await page.waitForTimeout(250);
  }
  throw new Error(`"${text}" never appeared on ${url}:\n${(await page.locator('body').textContent()) ?? ''}`);
}

async function submitDemoForm(page: Page, name: string, email: string) {
  const form = page.locator('leadkit-form.card');
  await form.locator('[name=name]').fill(name);
  await form.locator('[name=email]').fill(email);
  await form.locator('[name=company]').fill('Fjord Bank');
  await form.locator('[name=consent]').check();
  await form.locator('button[type=submit]').click();
  await form.locator('[part=success]').waitFor();
}

describe('pnpm start', () => {
  it('prints the URLs, an inbox link with its token and four campaign links', () => {
    expect(demo!.inbox).toMatch(/\/inbox\?token=[0-9a-f]{48}$/);
    expect(demo!.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/leads$/);
    expect(demo!.links['Paid search']).toContain('gclid=');
    expect(demo!.links['Paid social']).toContain('utm_medium=paid_social');
    expect(demo!.links.Email).toContain('utm_medium=email');
    expect(new URL(demo!.links.Referral!).hostname).toBe('localhost');
  });

  it('an email link, then a paid search link, then the form: the lead reaches the inbox and the CRM', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(demo!.links.Email!);
    await page.goto(demo!.links['Paid search']!);
    await submitDemoForm(page, 'Ada Lovelace', 'ada@fjord.example');
    expect(errors).toEqual([]); // the strict CSP of the landing page needs no exception for the widget

    const inbox = await textOnceShown(page, demo!.inbox, 'demo-crm: delivered');
    expect(inbox).toContain('demo-request');
    expect(inbox).toContain('Paid Search');
    expect(inbox).toContain('newsletter / email · november_digest'); // first touch
    expect(inbox).toContain('google / cpc · brand_search'); // last touch

    const crm = await textOnceShown(page, demo!.crm, 'ada@fjord.example');
    expect(crm).toContain('Ada Lovelace');
    expect(crm).toContain('✓ verified');
    expect(crm).not.toContain('refused');
    expect(crm).toContain('Email: newsletter / email · november_digest');
    expect(crm).toContain('Paid Search: google / cpc · brand_search');
    // Qualified at intake (leadkit.config.json): work address 30 + demo request 20 = 50, an MQL with an owner.
    expect(crm).toMatch(/score 50 \(B\) · mql · owner (Ada Byron|Grace Hopper)/);
    await page.close();
  });

  it('the referral link passes through a page on another host; the popup form records a Referral', async () => {
    const visitor = await launchChromium(); // a new visitor: no journey yet
    try {
      const page = await visitor.context.newPage();
      // Opened on the landing page's host name, /go moves to the other one so the referrer is not "self".
      await page.goto(demo!.links.Referral!.replace('localhost', '127.0.0.1'));
      expect(new URL(page.url()).hostname).toBe('localhost');
      await page.getByRole('link', { name: /Harbor/ }).click();
      await page.waitForURL(demo!.site);
      await page.getByRole('button', { name: 'Get the 2026 support benchmark' }).click();
      const dialog = page.locator('leadkit-form dialog[open]');
      await dialog.locator('[name=email]').fill('grace@example.org');
      await dialog.getByLabel('Head of support').check();
      await dialog.locator('[name=consent]').check();
      await dialog.locator('button[type=submit]').click();
      await dialog.locator('[part=success]').waitFor();

      const crm = await textOnceShown(page, demo!.crm, 'grace@example.org');
      expect(crm).toContain('Referral: localhost / referral');
      expect(crm).toContain('benchmark-report');
      expect(crm).toContain('score 45 (C) · lead'); // work address 30 + head of support 15
    } finally {
      await visitor.close();
    }
  });

  it('Ctrl-C stops cleanly, and a second start finds the leads again', async () => {
    const code = await demo!.stop();
    expect(code).toBe(0);
    expect(demo!.output()).toContain('Stopped.');

    demo = await startDemo(args);
    const page = await browser.context.newPage();
    const inbox = await textOnceShown(page, demo.inbox, 'demo-request');
    expect(inbox).toContain('Paid Search');
    expect(inbox).toContain('benchmark-report');
    const crm = await textOnceShown(page, demo.crm, 'ada@fjord.example');
    expect(crm).toContain('grace@example.org');
    await page.close();
    expect(await demo.stop()).toBe(0);
  });
});
