import { describe, expect, it } from 'vitest';
import { buildFunnel, median, NOT_SET } from '../src/funnel.js';
import { csvCell, funnelCsv } from '../src/report-csv.js';
import type { FunnelRow, OutcomeStatus, Stage } from '../src/store/types.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 4, 1);

type O = [OutcomeStatus, number, number?, string?];
function row(
  id: string,
  receivedDay: number,
  first: [string | null, string | null, number | null],
  last: [string | null, string | null],
  intakeStage: Stage,
  stage: Stage,
  outcomes: O[] = [],
): FunnelRow {
  return {
    leadId: id,
    receivedAt: T0 + receivedDay * DAY,
    first: { channel: first[0], campaign: first[1], at: first[2] === null ? null : T0 + first[2] * DAY },
    last: { channel: last[0], campaign: last[1], at: null },
    intakeStage,
    stage,
    outcomes: outcomes.map(([status, day, amount, currency]) => ({
      status,
      at: T0 + day * DAY,
      amount: amount ?? null,
      currency: currency ?? null,
    })),
  };
}

// Five leads in May, one in April; days are from May 1.
const ROWS: FunnelRow[] = [
  // April lead, qualified and won in May: counts in May only on the activity basis.
  row('a', -10, ['Email', 'spring', -12], ['Email', 'spring'], 'lead', 'customer', [
    ['qualified', 2],
    ['won', 5, 1000, 'USD'],
  ]),
  row('b', 0, ['Paid Search', 'brand', -2], ['Email', 'spring'], 'mql', 'customer', [
    ['contacted', 0.5],
    ['won', 3, 500, 'USD'],
    // The newest won outcome is the one counted (an amount correction).
    ['won', 4, 700, 'USD'],
  ]),
  row('c', 1, ['Paid Search', null, null], ['Paid Search', null], 'lead', 'sql', [['qualified', 2]]),
  row('d', 2, [null, null, null], [null, null], 'mql', 'lost', [
    ['contacted', 2.25],
    ['lost', 9],
  ]),
  row('e', 3, ['Organic Search', 'brand', 1], ['Paid Search', 'brand'], 'lead', 'customer', [
    // Won in euros, amount without currency in the next lead: primary currency.
    ['won', 10, 300, 'EUR'],
  ]),
  row('f', 4, ['Email', 'spring', 4], ['Email', 'spring'], 'lead', 'customer', [['won', 6, 50]]),
];

const MAY = { from: T0, to: Date.UTC(2026, 5, 1), currency: 'USD' };

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('buildFunnel, cohort basis', () => {
  const report = buildFunnel(ROWS, { ...MAY, basis: 'cohort' });

  it('counts the leads received in the period with everything since', () => {
    const t = report.firstTouch.total;
    // Every May lead is an MQL: b and d at intake, c, e and f by a qualified or won outcome.
    expect(t).toMatchObject({ leads: 5, mqls: 5, qualified: 4, won: 3 });
    // b: 700 (newest won), f: 50 (no currency = primary); e in EUR apart.
    expect(t.revenue).toEqual({ USD: 750, EUR: 300 });
    expect(report.currencies).toEqual(['USD', 'EUR']);
    expect(t.rates).toEqual({ leadToMql: 1, mqlToQualified: 4 / 5, qualifiedToWon: 3 / 4, leadToWon: 3 / 5 });
    // First touch to lead: b 2, e 2, f 0 days → 2.
    expect(t.medianDaysToLead).toBe(2);
    // Lead to won: b 4, e 7, f 2 → 4.
    expect(t.medianDaysToWon).toBe(4);
    // First contact: b 0.5 d, c 1 d, d 0.25 d, e 7 d, f 2 d → c's 1 day.
    expect(t.medianMinutesToContact).toBe(24 * 60);
    expect(report.lastTouch.total).toEqual(t);
  });

  it('groups by first and by last touch, with (not set) for missing values', () => {
    const names = (groups: { name: string; leads: number }[]) => groups.map((g) => [g.name, g.leads]);
    expect(names(report.firstTouch.byChannel)).toEqual([
      ['Paid Search', 2],
      ['Email', 1],
      ['Organic Search', 1],
      [NOT_SET, 1],
    ]);
    expect(names(report.lastTouch.byChannel)).toEqual([
      ['Email', 2],
      ['Paid Search', 2],
      [NOT_SET, 1],
    ]);
    expect(names(report.firstTouch.byCampaign)).toEqual([
      ['brand', 2],
      [NOT_SET, 2],
      ['spring', 1],
    ]);
    const spring = report.lastTouch.byCampaign.find((g) => g.name === 'spring')!;
    expect(spring).toMatchObject({ leads: 2, mqls: 2, qualified: 2, won: 2, revenue: { USD: 750, EUR: 0 } });
    // Even count: mean of 4 and 2 days.
    expect(spring.medianDaysToWon).toBe(3);
  });
});

describe('buildFunnel, activity basis', () => {
  const report = buildFunnel(ROWS, { ...MAY, basis: 'activity' });

  it('counts each event by its own time, including leads received before the period', () => {
    const t = report.firstTouch.total;
    // Leads and MQLs by receipt (a is April's); qualified a, b, c, e, f (first qualified/won in May);
    // won a, b, e, f.
    expect(t).toMatchObject({ leads: 5, mqls: 5, qualified: 5, won: 4 });
    expect(t.revenue).toEqual({ USD: 1750, EUR: 300 });
    expect(t.rates.qualifiedToWon).toBe(4 / 5);
    const spring = report.firstTouch.byCampaign.find((g) => g.name === 'spring')!;
    expect(spring).toMatchObject({ leads: 1, won: 2, revenue: { USD: 1050, EUR: 0 } });
    // a's first touch to lead counts in April, not here.
    expect(spring.medianDaysToLead).toBe(0);
  });

  it('leaves out what happened after the period', () => {
    const first3Days = buildFunnel(ROWS, { from: T0, to: T0 + 3 * DAY, basis: 'activity', currency: 'USD' });
    // Qualified: a and c on day 2; b's won on day 3 is outside.
    expect(first3Days.firstTouch.total).toMatchObject({ leads: 3, mqls: 3, qualified: 2, won: 0 });
    expect(first3Days.firstTouch.total.revenue).toEqual({ USD: 0 });
    // First contacts in the window: a 12 d, b 0.5 d, c 1 d, d 0.25 d after arrival → (0.5 + 1) / 2 days.
    expect(first3Days.firstTouch.total.medianMinutesToContact).toBe(0.75 * 1440);
  });
});

describe('CSV', () => {
  it('neutralises formulas, quotes per RFC 4180 and keeps numbers numbers', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""x"")"`,
    );
    for (const start of ['+', '-', '@', '\t', '\r'])
      expect(csvCell(`${start}1`).replace(/"/g, '')).toMatch(/^'/);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(null)).toBe('');
  });

  it('starts with a BOM and the header, has a row per group and a total per touch', () => {
    const csv = funnelCsv(buildFunnel(ROWS, { ...MAY, basis: 'cohort' }));
    expect(
      csv.startsWith('\uFEFFtouch,dimension,name,leads,mqls,qualified,won,revenue USD,revenue EUR,'),
    ).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    // header + first (4 channels, 3 campaigns, total) + last (3 channels, 3 campaigns, total)
    expect(lines).toHaveLength(1 + 8 + 7);
    expect(lines).toContain('first,total,all leads,5,5,4,3,750,300,100,80,75,60,2,4,1440');
    expect(lines).toContain('last,campaign,spring,2,2,2,2,750,0,100,100,100,100,1,3,1800');
  });
});
