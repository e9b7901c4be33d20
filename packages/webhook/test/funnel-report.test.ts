/**
 * The funnel report against an independent count. 440 generated leads (40 of them spam) across 9 ways
 * of arriving (7+ channels) and 11 campaigns, first and last touch built by @leadkit/core's parseTouch and
 * often different, received over two months on a moving server clock; outcomes posted through the real
 * outcome endpoint (some out of order, some twice, amount corrections, stale losses, two currencies);
 * three people erased. Then every number of the JSON report (both bases, both touches, three periods in
 * Europe/Berlin) and of the CSV is checked against a computation written here from the generated data.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/node.js';
import { type GeneratedLead, generateFunnel, postFunnel } from './funnel-data.js';
import { tempDir } from './helpers.js';

const TOKEN = 'funnel-report-token-0123456789';
const NOW = Date.UTC(2026, 11, 20, 12);
const DAY = 86_400_000;
// Europe/Berlin is UTC+1 from 25 Oct 2026: months start at 23:00 UTC the day before.
const NOV_START = Date.UTC(2026, 9, 31, 23);
const DEC_START = Date.UTC(2026, 10, 30, 23);
const JAN_START = Date.UTC(2026, 11, 31, 23);

let server: RunningServer;
let tmp: ReturnType<typeof tempDir>;
let clock = NOW;
let all: GeneratedLead[];
let erased: string[] = [];

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
      reporting: { currency: 'USD', timeZone: 'Europe/Berlin' },
    },
    port: 0,
    dbPath: join(tmp.dir, 'leadkit.db'),
    log: () => {},
    handleSignals: false,
    now: () => clock,
  });
  all = generateFunnel({
    seed: 2026,
    count: 440,
    from: Date.UTC(2026, 9, 20),
    to: Date.UTC(2026, 11, 18),
    spamEvery: 11,
    // Around the month boundaries: UTC says one month, Berlin the next.
    pinned: [DEC_START - 30 * 60_000, DEC_START + 30 * 60_000, NOV_START + 30 * 60_000, NOV_START - 1],
  });
  await postFunnel(server.url, TOKEN, all, (t) => {
    clock = t;
  });
  clock = NOW;
  // Erased people keep counting: their leads' anonymous facts stay.
  erased = all
    .filter((g) => !g.spam && g.business && g.outcomes.length > 0)
    .slice(0, 3)
    .map((g) => g.email);
  for (const email of erased) {
    const res = await fetch(`${server.url}/v1/leads?email=${encodeURIComponent(email)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
  }
}, 240_000);

afterAll(async () => {
  await server?.close();
  tmp?.cleanup();
});

// ---- The independent computation -----------------------------------------------------------------

interface Facts {
  receivedAt: number;
  firstAt: number;
  mql: boolean;
  qualifiedAt: number | null;
  wonAt: number | null;
  revenue: { currency: string; cents: number } | null;
  contactedAt: number | null;
  first: { channel: string; campaign: string };
  last: { channel: string; campaign: string };
}

function factsOf(g: GeneratedLead): Facts {
  const os = g.outcomes;
  const stageSetting = os.filter((o) => o.status !== 'contacted');
  // The newest stage-setting outcome decides the stage; the later-posted one wins a tie.
  let newest: (typeof os)[number] | undefined;
  for (const o of stageSetting) if (!newest || o.at >= newest.at) newest = o;
  const won = newest?.status === 'won';
  let newestWon: (typeof os)[number] | undefined;
  for (const o of os) if (o.status === 'won' && (!newestWon || o.at >= newestWon.at)) newestWon = o;
  const qualifying = os.filter((o) => o.status === 'qualified' || o.status === 'won').map((o) => o.at);
  return {
    receivedAt: g.receivedAt,
    firstAt: g.first.at,
    mql: g.business || qualifying.length > 0,
    qualifiedAt: qualifying.length ? Math.min(...qualifying) : null,
    wonAt: won ? newestWon!.at : null,
    revenue: won
      ? { currency: newestWon!.currency ?? 'USD', cents: Math.round(newestWon!.amount! * 100) }
      : null,
    contactedAt: os.length ? Math.min(...os.map((o) => o.at)) : null,
    first: { channel: g.first.channel, campaign: g.first.campaign ?? '(not set)' },
    last: { channel: g.last.channel, campaign: g.last.campaign ?? '(not set)' },
  };
}

function middle(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

interface Expected {
  leads: number;
  mqls: number;
  qualified: number;
  won: number;
  revenueCents: Record<string, number>;
  daysToLead: number | null;
  daysToWon: number | null;
  minutesToContact: number | null;
}

function expectedFor(facts: Facts[], from: number, to: number, basis: 'cohort' | 'activity'): Expected {
  const within = (t: number | null) => t !== null && t >= from && t < to;
  const e: Expected = {
    leads: 0,
    mqls: 0,
    qualified: 0,
    won: 0,
    revenueCents: {},
    daysToLead: null,
    daysToWon: null,
    minutesToContact: null,
  };
  const toLead: number[] = [];
  const toWon: number[] = [];
  const toContact: number[] = [];
  for (const f of facts) {
    const received = within(f.receivedAt);
    if (basis === 'cohort') {
      if (!received) continue;
      e.leads++;
      if (f.mql) e.mqls++;
      if (f.qualifiedAt !== null) e.qualified++;
      if (f.wonAt !== null) {
        e.won++;
        toWon.push((f.wonAt - f.receivedAt) / DAY);
        e.revenueCents[f.revenue!.currency] = (e.revenueCents[f.revenue!.currency] ?? 0) + f.revenue!.cents;
      }
      toLead.push((f.receivedAt - f.firstAt) / DAY);
      if (f.contactedAt !== null) toContact.push((f.contactedAt - f.receivedAt) / 60_000);
    } else {
      if (received) {
        e.leads++;
        if (f.mql) e.mqls++;
        toLead.push((f.receivedAt - f.firstAt) / DAY);
      }
      if (within(f.qualifiedAt)) e.qualified++;
      if (within(f.wonAt)) {
        e.won++;
        toWon.push((f.wonAt! - f.receivedAt) / DAY);
        e.revenueCents[f.revenue!.currency] = (e.revenueCents[f.revenue!.currency] ?? 0) + f.revenue!.cents;
      }
      if (within(f.contactedAt)) toContact.push((f.contactedAt! - f.receivedAt) / 60_000);
    }
  }
  e.daysToLead = middle(toLead);
  e.daysToWon = middle(toWon);
  e.minutesToContact = middle(toContact);
  return e;
}

function isEmpty(e: Expected) {
  return e.leads === 0 && e.qualified === 0 && e.won === 0 && e.minutesToContact === null;
}

function grouped(
  facts: Facts[],
  key: (f: Facts) => string,
  from: number,
  to: number,
  basis: 'cohort' | 'activity',
) {
  const groups = new Map<string, Facts[]>();
  for (const f of facts) groups.set(key(f), [...(groups.get(key(f)) ?? []), f]);
  const out = new Map<string, Expected>();
  for (const [name, list] of groups) {
    const e = expectedFor(list, from, to, basis);
    if (!isEmpty(e)) out.set(name, e);
  }
  return out;
}

// ---- Checking the report ---------------------------------------------------------------------------

interface Counts {
  leads: number;
  mqls: number;
  qualified: number;
  won: number;
  revenue: Record<string, number>;
  rates: {
    leadToMql: number | null;
    mqlToQualified: number | null;
    qualifiedToWon: number | null;
    leadToWon: number | null;
  };
  medianDaysToLead: number | null;
  medianDaysToWon: number | null;
  medianMinutesToContact: number | null;
}
type Group = Counts & { name: string };
interface View {
  byChannel: Group[];
  byCampaign: Group[];
  total: Counts;
}
interface Report {
  from: string | null;
  to: string | null;
  basis: string;
  currencies: string[];
  firstTouch: View;
  lastTouch: View;
}

function rate(part: number, whole: number) {
  return whole === 0 ? null : part / whole;
}

function closeOrNull(actual: number | null, expected: number | null, what: string) {
  if (expected === null) expect(actual, what).toBeNull();
  else expect(actual, what).toBeCloseTo(expected, 9);
}

function checkCounts(actual: Counts, e: Expected, currencies: string[], what: string) {
  expect(
    { leads: actual.leads, mqls: actual.mqls, qualified: actual.qualified, won: actual.won },
    what,
  ).toEqual({
    leads: e.leads,
    mqls: e.mqls,
    qualified: e.qualified,
    won: e.won,
  });
  for (const c of currencies)
    expect(actual.revenue[c], `${what} revenue ${c}`).toBe((e.revenueCents[c] ?? 0) / 100);
  expect(Object.keys(actual.revenue).sort(), what).toEqual([...currencies].sort());
  closeOrNull(actual.rates.leadToMql, rate(e.mqls, e.leads), `${what} lead→MQL`);
  closeOrNull(actual.rates.mqlToQualified, rate(e.qualified, e.mqls), `${what} MQL→qualified`);
  closeOrNull(actual.rates.qualifiedToWon, rate(e.won, e.qualified), `${what} qualified→won`);
  closeOrNull(actual.rates.leadToWon, rate(e.won, e.leads), `${what} lead→won`);
  closeOrNull(actual.medianDaysToLead, e.daysToLead, `${what} median days to lead`);
  closeOrNull(actual.medianDaysToWon, e.daysToWon, `${what} median days to won`);
  closeOrNull(actual.medianMinutesToContact, e.minutesToContact, `${what} median speed-to-lead`);
}

function checkGroups(actual: Group[], expected: Map<string, Expected>, currencies: string[], what: string) {
  expect(actual.map((g) => g.name).sort(), `${what} names`).toEqual([...expected.keys()].sort());
  for (const g of actual) checkCounts(g, expected.get(g.name)!, currencies, `${what} ${g.name}`);
  // Most leads first.
  for (let i = 1; i < actual.length; i++) expect(actual[i]!.leads).toBeLessThanOrEqual(actual[i - 1]!.leads);
}

/** RFC 4180: quoted cells with doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

const PERIODS = [
  { query: 'period=this-month', from: DEC_START, to: JAN_START, name: 'December (Berlin)' },
  { query: 'period=last-month', from: NOV_START, to: DEC_START, name: 'November (Berlin)' },
  {
    query: 'period=all-time',
    from: Number.NEGATIVE_INFINITY,
    to: Number.POSITIVE_INFINITY,
    name: 'all time',
  },
] as const;

async function get(path: string) {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return res;
}

describe('funnel report against an independent count', () => {
  it('generated what the issue asks for', () => {
    const leads = all.filter((g) => !g.spam);
    expect(leads).toHaveLength(400);
    expect(new Set(leads.map((g) => g.first.channel)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(leads.map((g) => g.first.campaign).filter(Boolean)).size).toBeGreaterThanOrEqual(10);
    expect(leads.filter((g) => g.first.channel !== g.last.channel).length).toBeGreaterThan(100);
    expect(leads.filter((g) => g.outcomes.some((o) => o.status === 'won')).length).toBeGreaterThan(40);
    const currencies = new Set(leads.flatMap((g) => g.outcomes.map((o) => o.currency ?? 'USD')));
    expect([...currencies].sort()).toEqual(['EUR', 'USD']);
    expect(erased).toHaveLength(3);
  });

  for (const basis of ['cohort', 'activity'] as const) {
    for (const p of PERIODS) {
      it(`${basis}, ${p.name}: every number of both touch views`, async () => {
        const report = (await (await get(`/v1/admin/report?${p.query}&basis=${basis}`)).json()) as Report;
        const facts = all.filter((g) => !g.spam).map(factsOf);
        const total = expectedFor(facts, p.from, p.to, basis);
        expect(report.basis).toBe(basis);
        expect(report.from).toBe(Number.isFinite(p.from) ? new Date(p.from).toISOString() : null);
        expect(report.to).toBe(Number.isFinite(p.to) ? new Date(p.to).toISOString() : null);
        const currencies = ['USD', ...Object.keys(total.revenueCents).filter((c) => c !== 'USD')];
        expect(report.currencies.sort()).toEqual(currencies.sort());
        expect(total.leads).toBeGreaterThan(0);
        for (const touch of ['first', 'last'] as const) {
          const view = report[`${touch}Touch`];
          checkCounts(view.total, total, currencies, `${touch} total`);
          checkGroups(
            view.byChannel,
            grouped(facts, (f) => f[touch].channel, p.from, p.to, basis),
            currencies,
            `${touch} channel`,
          );
          checkGroups(
            view.byCampaign,
            grouped(facts, (f) => f[touch].campaign, p.from, p.to, basis),
            currencies,
            `${touch} campaign`,
          );
        }
      });
    }
  }

  it('the CSV carries the same numbers, rounded as documented', async () => {
    const res = await get('/v1/admin/report.csv?period=last-month&basis=cohort');
    // Keep the BOM that res.text() would strip.
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header!.slice(0, 9)).toEqual([
      'touch',
      'dimension',
      'name',
      'leads',
      'mqls',
      'qualified',
      'won',
      'revenue USD',
      'revenue EUR',
    ]);
    const facts = all.filter((g) => !g.spam).map(factsOf);
    const expectedRows: [string, string, string, Expected][] = [];
    for (const touch of ['first', 'last'] as const) {
      for (const dimension of ['channel', 'campaign'] as const) {
        for (const [name, e] of grouped(facts, (f) => f[touch][dimension], NOV_START, DEC_START, 'cohort')) {
          expectedRows.push([touch, dimension, name, e]);
        }
      }
      expectedRows.push([touch, 'total', 'all leads', expectedFor(facts, NOV_START, DEC_START, 'cohort')]);
    }
    expect(rows).toHaveLength(expectedRows.length);
    const near = (cell: string, exact: number | null, halfStep: number) => {
      if (exact === null) expect(cell).toBe('');
      else expect(Math.abs(Number(cell) - exact)).toBeLessThanOrEqual(halfStep + 1e-9);
    };
    for (const [touch, dimension, name, e] of expectedRows) {
      const row = rows.find((r) => r[0] === touch && r[1] === dimension && r[2] === name);
      expect(row, `${touch} ${dimension} ${name}`).toBeDefined();
      expect(row!.slice(3, 9).map(Number)).toEqual([
        e.leads,
        e.mqls,
        e.qualified,
        e.won,
        (e.revenueCents.USD ?? 0) / 100,
        (e.revenueCents.EUR ?? 0) / 100,
      ]);
      const pct = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole);
      near(row![9]!, pct(e.mqls, e.leads), 0.05);
      near(row![10]!, pct(e.qualified, e.mqls), 0.05);
      near(row![11]!, pct(e.won, e.qualified), 0.05);
      near(row![12]!, pct(e.won, e.leads), 0.05);
      near(row![13]!, e.daysToLead, 0.005);
      near(row![14]!, e.daysToWon, 0.005);
      near(row![15]!, e.minutesToContact, 0.05);
    }
    // The campaign with a comma and quotes survives the round trip.
    expect(rows.some((r) => r[2] === 'q4, "enterprise"')).toBe(true);
  });
});
