/**
 * GET /inbox/report: the funnel report for people: period and basis as plain links and a date form (the
 * CSP allows no script), the answer to "which campaign brought the revenue?" in a sentence, the funnel and
 * campaign bars as inline SVG with text equivalents, first-touch and last-touch tables side by side, every
 * metric in a details table, the definitions, and the CSV. Campaign names are attacker-controlled: all
 * text goes through the escaping `html` template.
 */
import type { AdminDeps } from './admin.js';
import {
  type FunnelCounts,
  type FunnelGroup,
  type FunnelReport,
  type FunnelView,
  NOT_SET,
} from './funnel.js';
import { Html, html } from './html.js';
import type { Reply } from './http.js';
import { inboxHref, inboxPage } from './inbox.js';
import { csvReply, type LoadedReport, loadReport } from './report-api.js';
import { isoDate, PERIOD_PRESETS, PRESET_LABELS } from './reporting.js';

const TOUCHES = [
  ['firstTouch', 'First touch'],
  ['lastTouch', 'Last touch'],
] as const;
const CHART_ROWS = 10;

function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      maximumFractionDigits: Number.isInteger(amount) ? 0 : 2,
    }).format(amount);
  } catch {
    return `${currency} ${amount}`;
  }
}

function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`;
}

function days(value: number | null): string {
  if (value === null) return '—';
  return `${Math.round(value * 10) / 10} d`;
}

/** Minutes as "25 min", "3.5 h" or "2.1 d". */
function wait(minutes: number | null): string {
  if (minutes === null) return '—';
  if (Math.abs(minutes) < 60) return `${Math.round(minutes)} min`;
  if (Math.abs(minutes) < 48 * 60) return `${Math.round(minutes / 6) / 10} h`;
  return `${Math.round(minutes / 144) / 10} d`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Revenue in the primary currency, then each other currency on its own (never added together). */
function revenueText(c: FunnelCounts, report: FunnelReport): Html {
  const [primary, ...others] = report.currencies;
  const extra = others.filter((cur) => (c.revenue[cur] ?? 0) !== 0);
  return html`${money(c.revenue[primary!] ?? 0, primary!)}${extra.map((cur) => html`<br><span class="muted">+ ${money(c.revenue[cur]!, cur)}</span>`)}`;
}

/** "1 Dec 2026 – 31 Dec 2026" in the report's time zone, or "all time". */
function periodText(loaded: LoadedReport, timeZone: string): string {
  const { from, to } = loaded.period;
  if (from === undefined && to === undefined) return 'all time';
  const f = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' });
  const start = from === undefined ? 'the first lead' : f.format(from);
  const end = to === undefined ? 'now' : f.format(to - 1);
  return `${start} – ${end}`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Leads → MQLs → qualified → won as bars scaled to the leads, each with its step's conversion. */
function funnelChart(t: FunnelCounts): Html {
  const steps = [
    ['Leads', t.leads, null],
    ['MQLs', t.mqls, t.rates.leadToMql],
    ['Qualified', t.qualified, t.rates.mqlToQualified],
    ['Won', t.won, t.rates.qualifiedToWon],
  ] as const;
  const width = 600;
  const labelWidth = 90;
  const room = width - labelWidth - 190;
  const max = Math.max(1, ...steps.map((s) => s[1]));
  const rows = steps.map(([label, n, rate], i) => {
    const y = i * 30;
    const w = n === 0 ? 0 : Math.max(2, Math.round((room * n) / max));
    return html`<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${label}</text><rect class="track" x="${labelWidth}" y="${y + 4}" width="${room}" height="18" rx="3"></rect><rect class="bar" x="${labelWidth}" y="${y + 4}" width="${w}" height="18" rx="3"></rect><text x="${labelWidth + room + 8}" y="${y + 17}">${count(n)}${rate === null ? '' : html`<tspan class="value"> · ${percent(rate)} of previous</tspan>`}</text>`;
  });
  const summary = steps
    .map(([label, n, rate]) => `${label} ${n}${rate === null ? '' : ` (${percent(rate)} of previous)`}`)
    .join(', ');
  return html`<svg role="img" aria-label="Funnel: ${summary}" width="${width}" height="${steps.length * 30}" viewBox="0 0 ${width} ${steps.length * 30}" font-size="13" font-family="system-ui, sans-serif">${rows}</svg>`;
}

/**
 * Campaigns by revenue (green) with their leads (thin blue), largest revenue first. Both touches share
 * one scale so the two charts side by side compare honestly.
 */
function campaignChart(
  groups: FunnelGroup[],
  touchLabel: string,
  currency: string,
  scale: { revenue: number; leads: number },
): Html {
  if (groups.length === 0) return html`<p class="muted">No leads in this period.</p>`;
  const top = [...groups]
    .sort((a, b) => (b.revenue[currency] ?? 0) - (a.revenue[currency] ?? 0) || b.leads - a.leads)
    .slice(0, CHART_ROWS);
  const width = 560;
  const labelWidth = 150;
  const room = width - labelWidth - 120;
  const rowHeight = 40;
  const rows = top.map((g, i) => {
    const y = i * rowHeight;
    const revenue = g.revenue[currency] ?? 0;
    const rw = revenue <= 0 ? 0 : Math.max(2, Math.round((room * revenue) / Math.max(1, scale.revenue)));
    const lw = g.leads === 0 ? 0 : Math.max(2, Math.round((room * g.leads) / Math.max(1, scale.leads)));
    return html`<g><title>${g.name}: ${money(revenue, currency)}, ${g.leads} leads, ${g.won} won</title><text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${truncate(g.name, 20)}</text><rect class="money" x="${labelWidth}" y="${y + 4}" width="${rw}" height="16" rx="3"></rect><text x="${labelWidth + rw + 6}" y="${y + 17}">${money(revenue, currency)}</text><rect class="bar" x="${labelWidth}" y="${y + 24}" width="${lw}" height="7" rx="2"></rect><text class="value" x="${labelWidth + lw + 6}" y="${y + 32}" font-size="11">${g.leads} ${g.leads === 1 ? 'lead' : 'leads'} · ${g.won} won</text></g>`;
  });
  const summary = top
    .map((g) => `${g.name} ${money(g.revenue[currency] ?? 0, currency)} from ${g.leads} leads, ${g.won} won`)
    .join('; ');
  const height = top.length * rowHeight;
  return html`<svg role="img" aria-label="Revenue in ${currency} and leads by ${touchLabel.toLowerCase()} campaign: ${summary}" width="100%" height="${height}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMinYMin meet" font-size="13" font-family="system-ui, sans-serif">${rows}</svg>${groups.length > CHART_ROWS ? html`<p class="muted">Top ${CHART_ROWS} of ${groups.length}; the table below has them all.</p>` : ''}`;
}

function compactTable(
  caption: string,
  dimension: string,
  groups: FunnelGroup[],
  total: FunnelCounts,
  report: FunnelReport,
): Html {
  const row = (name: string, c: FunnelCounts) =>
    html`<th scope="row">${name}</th><td class="num">${count(c.leads)}</td><td class="num">${count(c.mqls)}</td><td class="num">${count(c.qualified)}</td><td class="num">${count(c.won)}</td><td class="num">${revenueText(c, report)}</td><td class="num">${percent(c.rates.leadToWon)}</td>`;
  return html`<div class="scroll"><table><caption class="muted">${caption}</caption><thead><tr><th scope="col">${dimension}</th><th scope="col" class="num">Leads</th><th scope="col" class="num">MQLs</th><th scope="col" class="num">Qualified</th><th scope="col" class="num">Won</th><th scope="col" class="num">Revenue</th><th scope="col" class="num">Lead→won</th></tr></thead><tbody>${
    groups.length
      ? groups.map((g) => html`<tr>${row(g.name, g)}</tr>`)
      : html`<tr><td colspan="7" class="muted">No leads in this period.</td></tr>`
  }</tbody><tfoot><tr>${row('Total', total)}</tr></tfoot></table></div>`;
}

function fullTable(
  title: string,
  dimension: string,
  groups: FunnelGroup[],
  total: FunnelCounts,
  report: FunnelReport,
) {
  const cells = (c: FunnelCounts) =>
    html`<td class="num">${count(c.leads)}</td><td class="num">${count(c.mqls)}</td><td class="num">${count(c.qualified)}</td><td class="num">${count(c.won)}</td><td class="num">${revenueText(c, report)}</td><td class="num">${percent(c.rates.leadToMql)}</td><td class="num">${percent(c.rates.mqlToQualified)}</td><td class="num">${percent(c.rates.qualifiedToWon)}</td><td class="num">${percent(c.rates.leadToWon)}</td><td class="num">${days(c.medianDaysToLead)}</td><td class="num">${days(c.medianDaysToWon)}</td><td class="num">${wait(c.medianMinutesToContact)}</td>`;
  return html`<h3>${title}</h3><div class="scroll"><table><thead><tr><th scope="col">${dimension}</th><th scope="col" class="num">Leads</th><th scope="col" class="num">MQLs</th><th scope="col" class="num">Qualified</th><th scope="col" class="num">Won</th><th scope="col" class="num">Revenue</th><th scope="col" class="num">Lead→MQL</th><th scope="col" class="num">MQL→qualified</th><th scope="col" class="num">Qualified→won</th><th scope="col" class="num">Lead→won</th><th scope="col" class="num">Median days first touch→lead</th><th scope="col" class="num">Median days lead→won</th><th scope="col" class="num">Median speed-to-lead</th></tr></thead><tbody>${groups.map((g) => html`<tr><th scope="row">${g.name}</th>${cells(g)}</tr>`)}</tbody><tfoot><tr><th scope="row">Total</th>${cells(total)}</tr></tfoot></table></div>`;
}

/** The named campaign with the most revenue in `currency`, or undefined when none brought any. */
function topCampaign(view: FunnelView, currency: string): FunnelGroup | undefined {
  let best: FunnelGroup | undefined;
  for (const g of view.byCampaign) {
    if (g.name !== NOT_SET && (g.revenue[currency] ?? 0) > (best?.revenue[currency] ?? 0)) best = g;
  }
  return best;
}

/** The report's headline: which campaign brought the revenue, by first and by last touch. */
function answer(loaded: LoadedReport, periodLabel: string): Html {
  const { report } = loaded;
  const currency = report.currencies[0]!;
  const first = topCampaign(report.firstTouch, currency);
  const last = topCampaign(report.lastTouch, currency);
  const revenue = report.firstTouch.total.revenue[currency] ?? 0;
  const verb = loaded.basis === 'cohort' ? 'from leads received in' : 'won in';
  if (revenue === 0) return html`<p class="answer">No ${currency} revenue ${verb} ${periodLabel} yet.</p>`;
  const part = (g: FunnelGroup, touch: string) =>
    html`<strong>${g.name}</strong> by ${touch} (${money(g.revenue[currency]!, currency)} of ${money(revenue, currency)}, ${g.won} won)`;
  const unnamed = report.firstTouch.byCampaign.find((g) => g.name === NOT_SET)?.revenue[currency] ?? 0;
  const rest = unnamed
    ? html` Leads whose first touch had no campaign brought ${money(unnamed, currency)}.`
    : '';
  if (!first || !last) {
    return html`<p class="answer">${money(revenue, currency)} ${verb} ${periodLabel}, none of it from a named campaign.${rest}</p>`;
  }
  return html`<p class="answer">Top campaign by revenue ${verb} ${periodLabel}: ${part(first, 'first touch')}${first.name === last.name ? html` and by last touch` : html`; ${part(last, 'last touch')}`}.${rest}</p>`;
}

function controls(
  token: string,
  loaded: LoadedReport | undefined,
  params: URLSearchParams,
  timeZone: string,
): Html {
  const basis = loaded?.basis ?? (params.get('basis') === 'activity' ? 'activity' : 'cohort');
  const preset = loaded?.period.preset ?? params.get('period') ?? 'this-month';
  /** This page's address with some parameters changed; a preset drops the custom dates. */
  const keep = (change: { period?: string; basis?: string }) => {
    const p: Record<string, string> = { period: change.period ?? preset, basis: change.basis ?? basis };
    if (p.period === 'custom') {
      for (const k of ['from', 'through', 'to']) {
        const v = params.get(k);
        if (v) p[k] = v;
      }
    }
    return inboxHref(token, '/inbox/report', p);
  };
  const chip = (href: string, label: string, active: boolean) =>
    html`<a href="${href}"${new Html(active ? ' aria-current="true"' : '')} class="chip">${label}</a>`;
  const presets = PERIOD_PRESETS.map((p) => chip(keep({ period: p }), PRESET_LABELS[p], preset === p));
  const from = loaded?.period.from;
  const to = loaded?.period.to;
  return html`<div class="filters">
<div><span class="muted">Period</span><div class="chips">${presets}</div></div>
<form method="get" action="/inbox/report" aria-label="Custom period"><input type="hidden" name="token" value="${token}"><input type="hidden" name="basis" value="${basis}"><input type="hidden" name="period" value="custom">
<label>From <input type="date" name="from" value="${from === undefined ? '' : isoDate(from, timeZone)}" required></label>
<label>Through <input type="date" name="through" value="${to === undefined ? '' : isoDate(to - 1, timeZone)}" required></label>
<button>Apply dates</button></form>
<div><span class="muted">Count by</span><div class="chips">${chip(keep({ basis: 'cohort' }), 'Lead date (cohort)', basis === 'cohort')}${chip(keep({ basis: 'activity' }), 'Event date (activity)', basis === 'activity')}</div></div>
<div><a class="download" href="${keep({}).replace('/inbox/report?', '/inbox/report.csv?')}" download>Download CSV</a></div>
</div>`;
}

const DEFINITIONS = html`<details><summary>How the numbers are counted</summary><dl class="defs">
<dt>Lead</dt><dd>A submission that is not spam. Erased leads still count (their anonymous facts are kept).</dd>
<dt>MQL</dt><dd>Scored at or above the MQL threshold at intake, or qualified or won later (sales accepting a lead makes it an MQL).</dd>
<dt>Qualified</dt><dd>Any <code>qualified</code> or <code>won</code> outcome from the CRM.</dd>
<dt>Won</dt><dd>The lead’s current stage is customer (its newest stage-setting outcome is <code>won</code>).</dd>
<dt>Revenue</dt><dd>The amount of each won lead’s newest <code>won</code> outcome, per currency; other currencies are listed apart, never added.</dd>
<dt>Lead date (cohort)</dt><dd>Leads received in the period, and everything that happened to them since, whenever it happened.</dd>
<dt>Event date (activity)</dt><dd>Each number by the date of its own event: leads and MQLs when received, qualified at the first qualified or won outcome, won and revenue when won, speed-to-lead at the first contact. Answers “which campaign brought the revenue this month?”. Rates can pass 100% here.</dd>
<dt>First / last touch</dt><dd>The channel and campaign of the visitor’s first visit, and of the visit that led to the form. “(not set)” when there was none.</dd>
<dt>Medians</dt><dd>Days from the first touch to the lead, days from the lead to its won outcome, and speed-to-lead: time from the lead to its first outcome of any kind. Of an even count, the mean of the middle two.</dd>
</dl></details>`;

/** The report page; a bad period or basis shows the page with the problem instead of the numbers. */
export async function renderReport(deps: AdminDeps, token: string, params: URLSearchParams): Promise<Reply> {
  const { timeZone } = deps.config.reporting;
  let loaded: LoadedReport;
  try {
    loaded = await loadReport(deps, params);
  } catch (e) {
    const page = inboxPage(
      'Funnel report',
      token,
      'report',
      html`<h1>Funnel report</h1>${controls(token, undefined, params, timeZone)}<p class="answer" role="alert">${(e as Error).message}</p>`,
    );
    return { ...page, status: 400 };
  }
  const { report } = loaded;
  const currency = report.currencies[0]!;
  const periodLabel = periodText(loaded, timeZone);
  const total = report.firstTouch.total;
  const others = report.currencies.slice(1).filter((c) => total.revenue[c]);
  const scale = {
    revenue: Math.max(
      0,
      ...TOUCHES.flatMap(([k]) => report[k].byCampaign.map((g) => g.revenue[currency] ?? 0)),
    ),
    leads: Math.max(0, ...TOUCHES.flatMap(([k]) => report[k].byCampaign.map((g) => g.leads))),
  };
  const kpi = (value: string | Html, label: string) =>
    html`<div class="kpi"><b>${value}</b><span>${label}</span></div>`;
  const pair = (render: (key: 'firstTouch' | 'lastTouch', label: string) => Html) =>
    html`<div class="pair">${TOUCHES.map(([k, label]) => html`<section aria-label="${label}">${render(k, label)}</section>`)}</div>`;
  return inboxPage(
    'Funnel report',
    token,
    'report',
    html`<h1>Funnel report <span class="muted">· ${periodLabel} (${timeZone}) · ${loaded.basis === 'cohort' ? 'by lead date' : 'by event date'}</span></h1>
${controls(token, loaded, params, timeZone)}
${answer(loaded, periodLabel)}
<div class="kpis">${kpi(count(total.leads), 'leads')}${kpi(count(total.mqls), `MQLs · ${percent(total.rates.leadToMql)} of leads`)}${kpi(count(total.qualified), `qualified · ${percent(total.rates.mqlToQualified)} of MQLs`)}${kpi(count(total.won), `won · ${percent(total.rates.qualifiedToWon)} of qualified`)}${kpi(money(total.revenue[currency] ?? 0, currency), others.length ? `revenue · also ${others.map((c) => money(total.revenue[c]!, c)).join(', ')}` : 'revenue')}${kpi(wait(total.medianMinutesToContact), 'median speed-to-lead')}${kpi(days(total.medianDaysToWon), 'median lead→won')}</div>
<h2>Funnel</h2>${funnelChart(total)}
<h2>Revenue and leads by campaign</h2>
${pair((k, label) => html`<h3>${label}</h3>${campaignChart(report[k].byCampaign, label, currency, scale)}`)}
${others.length ? html`<p class="muted">Bars show ${currency} only; revenue in ${others.join(', ')} is in the tables, never added to it.</p>` : ''}
<h2>By channel</h2>
${pair((k, label) => compactTable(`${label} channel`, 'Channel', report[k].byChannel, report[k].total, report))}
<h2>By campaign</h2>
${pair((k, label) => compactTable(`${label} campaign`, 'Campaign', report[k].byCampaign, report[k].total, report))}
<details><summary>Every metric: conversion between stages, medians</summary>
${TOUCHES.map(([k, label]) => html`${fullTable(`${label} · channel`, 'Channel', report[k].byChannel, report[k].total, report)}${fullTable(`${label} · campaign`, 'Campaign', report[k].byCampaign, report[k].total, report)}`)}
</details>
${DEFINITIONS}`,
  );
}

/** /inbox/report.csv: the same CSV as the API, for the page's download link (token in the query). */
export async function reportCsv(deps: AdminDeps, params: URLSearchParams): Promise<Reply> {
  try {
    return csvReply(await loadReport(deps, params), deps.config.reporting.timeZone);
  } catch (e) {
    return {
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      body: (e as Error).message,
    };
  }
}
