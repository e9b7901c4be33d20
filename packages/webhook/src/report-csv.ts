/**
 * The funnel report as CSV for spreadsheets: RFC 4180 quoting, CRLF lines, a UTF-8 BOM so Excel reads the
 * accents right, and no formulas: campaign names come from utm_campaign in links anyone can craft, so a
 * cell starting with = + - @ tab or CR gets a leading ' (OWASP CSV injection) and is shown as text.
 */
import type { FunnelCounts, FunnelGroup, FunnelReport } from './funnel.js';

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: neutralised if it could start a formula, quoted if it holds a quote, comma or line break. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  // Numbers we wrote ourselves (e.g. a negative median) stay numbers.
  if (typeof value !== 'number' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function percent(rate: number | null): number | null {
  return rate === null ? null : round(rate * 100, 1);
}

/** The whole report: per touch, a row per channel, a row per campaign, then the total. */
export function funnelCsv(report: FunnelReport): string {
  const header = [
    'touch',
    'dimension',
    'name',
    'leads',
    'mqls',
    'qualified',
    'won',
    ...report.currencies.map((c) => `revenue ${c}`),
    'lead to mql %',
    'mql to qualified %',
    'qualified to won %',
    'lead to won %',
    'median days first touch to lead',
    'median days lead to won',
    'median minutes to first contact',
  ];
  const row = (touch: string, dimension: string, name: string, c: FunnelCounts) =>
    csvLine([
      touch,
      dimension,
      name,
      c.leads,
      c.mqls,
      c.qualified,
      c.won,
      ...report.currencies.map((cur) => c.revenue[cur] ?? 0),
      percent(c.rates.leadToMql),
      percent(c.rates.mqlToQualified),
      percent(c.rates.qualifiedToWon),
      percent(c.rates.leadToWon),
      round(c.medianDaysToLead, 2),
      round(c.medianDaysToWon, 2),
      round(c.medianMinutesToContact, 1),
    ]);
  let out = `\uFEFF${csvLine(header)}`;
  for (const [touch, view] of [
    ['first', report.firstTouch],
    ['last', report.lastTouch],
  ] as const) {
    for (const [dimension, groups] of [
      ['channel', view.byChannel],
      ['campaign', view.byCampaign],
    ] as [string, FunnelGroup[]][]) {
      for (const g of groups) out += row(touch, dimension, g.name, g);
    }
    // Its own dimension, so no campaign can pass for the total.
    out += row(touch, 'total', 'all leads', view.total);
  }
  return out;
}
