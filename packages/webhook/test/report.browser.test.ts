/**
 * The funnel report in a real Chromium, as a marketer would use it: generated leads and outcomes posted
 * through HTTP, the report opened from the inbox, period and basis switched by clicking, the answer to
 * "which campaign brought the revenue this month?" read off the page, the CSV downloaded. Its CSP lets
 * nothing but its own style through, axe finds nothing serious, and screenshots (light and dark) go to
 * /tmp/leadkit-shots for people to look at.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/chromium.js';
import { type RunningServer, startServer } from '../src/node.js';
import { type GeneratedLead, generateFunnel, postFunnel } from './funnel-data.js';
import { tempDir } from './helpers.js';

const TOKEN = 'report-browser-token-0123456789';
const SHOTS = '/tmp/leadkit-shots';
// "Today" for the server: 20 Dec 2026; leads from mid-October.
const NOW = Date.UTC(2026, 11, 20, 12);
const DEC = Date.UTC(2026, 11, 1);

let browser: Awaited<ReturnType<typeof launchChromium>>;
let server: RunningServer;
let tmp: ReturnType<typeof tempDir>;
let clock = NOW;
let leads: GeneratedLead[];

beforeAll(async () => {
  tmp = tempDir();
  server = await startServer({
    config: {
      adminToken: TOKEN,
      rateLimit: false,
      retentionDays: 3650,
      scoring: {
        rules: [{ name: 'Business email', when: { field: 'emailType', eq: 'business' }, points: 60 }],
      },
    },
    port: 0,
    dbPath: join(tmp.dir, 'leadkit.db'),
    log: () => {},
    handleSignals: false,
    now: () => clock,
  });
  leads = generateFunnel({ seed: 11, count: 120, from: Date.UTC(2026, 9, 15), to: NOW - 86_400_000 });
  await postFunnel(server.url, TOKEN, leads, (t) => {
    clock = t;
  });
  clock = NOW;
  browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  tmp?.cleanup();
});

/** The named campaign with the most USD won in December, counted by the won outcome's time. */
function topCampaignWonInDecember(): string {
  const byCampaign = new Map<string, number>();
  for (const g of leads) {
    const won = g.outcomes.filter((o) => o.status === 'won').sort((a, b) => b.at - a.at)[0];
    const newest = [...g.outcomes].filter((o) => o.status !== 'contacted').sort((a, b) => b.at - a.at)[0];
    if (!won || newest?.status !== 'won' || won.at < DEC || (won.currency ?? 'USD') !== 'USD') continue;
    const name = g.first.campaign;
    if (name === null) continue;
    byCampaign.set(name, (byCampaign.get(name) ?? 0) + won.amount!);
  }
  return [...byCampaign].sort((a, b) => b[1] - a[1])[0]![0];
}

async function serious(page: Page): Promise<string[]> {
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  await page.evaluate(readFileSync(axePath, 'utf8'));
  return page.evaluate(async () => {
    const r = await (
      window as unknown as {
        axe: { run: () => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
      }
    ).axe.run();
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.nodes.length})`);
  });
}

describe('funnel report in Chromium', () => {
  it('answers which campaign brought the revenue this month, at a glance', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(`${server.url}/inbox?token=${TOKEN}`);
    await page.getByRole('link', { name: 'Funnel report' }).click();
    await page.waitForURL(/\/inbox\/report\?/);
    expect(await page.title()).toBe('Funnel report');
    expect(await page.locator('h1').textContent()).toContain('1 Dec 2026 – 31 Dec 2026');

    // Revenue booked this month, whatever month the lead came: count by event date.
    await page.getByRole('link', { name: 'Event date (activity)' }).click();
    await page.waitForURL(/basis=activity/);
    const answer = await page.locator('.answer').textContent();
    expect(answer).toContain('Top campaign by revenue won in 1 Dec 2026 – 31 Dec 2026: ');
    expect(answer).toContain(`${topCampaignWonInDecember()} by first touch`);

    // Two charts side by side, each with a text equivalent naming the campaigns.
    const charts = page.locator('.pair svg[role="img"]');
    expect(await charts.count()).toBe(2);
    expect(await charts.first().getAttribute('aria-label')).toMatch(
      /^Revenue in USD and leads by first touch campaign: /,
    );
    const [left, right] = await Promise.all(
      [0, 1].map((i) => page.locator('.pair').first().locator('section').nth(i).boundingBox()),
    );
    expect(right!.x).toBeGreaterThan(left!.x + left!.width - 1);
    expect(Math.abs(right!.y - left!.y)).toBeLessThan(2);
    expect(await page.locator('svg[aria-label^="Funnel: Leads"] rect.bar').count()).toBe(4);
    // Tables stay, with a total row, for each touch.
    expect(await page.locator('table tfoot th', { hasText: 'Total' }).count()).toBeGreaterThanOrEqual(4);
    expect(await page.getByRole('rowheader', { name: 'q4, "enterprise"' }).count()).toBeGreaterThan(0);

    expect(await serious(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'report.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SHOTS, 'report-dark.png'), fullPage: false });
    expect(await serious(page)).toEqual([]);
    expect(problems).toEqual([]);

    // Last month, by lead date, then the CSV of what is shown.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('link', { name: 'Lead date (cohort)' }).click();
    await page.getByRole('link', { name: 'Last month' }).click();
    await page.waitForURL(/period=last-month/);
    expect(await page.locator('h1').textContent()).toContain('1 Nov 2026 – 30 Nov 2026');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('leadkit-funnel-2026-11-01-to-2026-11-30-cohort.csv');
    const csv = readFileSync((await file.path())!, 'utf8');
    const novemberLeads = leads.filter(
      (g) => !g.spam && g.receivedAt >= Date.UTC(2026, 10, 1) && g.receivedAt < DEC,
    ).length;
    expect(csv).toMatch(new RegExp(`\\r\\nfirst,total,all leads,${novemberLeads},`));

    // A custom period through the date form.
    await page.getByLabel('From', { exact: true }).fill('2026-11-10');
    await page.getByLabel('Through', { exact: true }).fill('2026-11-12');
    await page.getByRole('button', { name: 'Apply dates' }).click();
    await page.waitForURL(/period=custom/);
    expect(await page.locator('h1').textContent()).toContain('10 Nov 2026 – 12 Nov 2026');
    await page.close();
  }, 60_000);

  it('opens one lead from ?lead=<id> (the Slack link), asking for the token first', async () => {
    const won = leads.find((g) => g.outcomes.some((o) => o.status === 'won') && g.business)!;
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/inbox?lead=${won.lead.id}`);
    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.waitForURL(/lead=/);
    expect(await page.locator('h1').textContent()).toBe(won.email);
    expect(await page.getByText('Business email (+60)').isVisible()).toBe(true);
    expect(await page.locator('table').nth(1).textContent()).toContain('won');
    expect(await serious(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'lead.png'), fullPage: true });
    await page.close();
  });
});
