/**
 * The funnel report: leads → MQLs → qualified → won, revenue, conversion rates and medians, per channel and
 * per campaign, by first touch and by last touch. Pure: the store hands over rows, this counts them.
 *
 * Definitions (docs/content/funnel-report.md says the same to users):
 * - MQL: intake stage `mql`, or any `qualified`/`won` outcome (sales accepting a lead makes it an MQL, so
 *   the funnel never narrows backwards). Qualified: any `qualified` or `won` outcome. Won: current stage
 *   `customer`. Revenue: the amount of the newest `won` outcome of each won lead, per currency.
 * - Basis `cohort`: leads received in [from, to), with everything that happened to them since.
 *   Basis `activity`: each count by the time of its own event (leads and MQLs by receipt, qualified by the
 *   first qualified/won outcome, won and revenue by the won outcome, speed-to-lead by the first contact).
 */
import type { FunnelRow } from './store/types.js';

export type FunnelBasis = 'cohort' | 'activity';
export const FUNNEL_BASES: readonly FunnelBasis[] = ['cohort', 'activity'];
/** Shown for a missing channel or campaign. */
export const NOT_SET = '(not set)';

export interface FunnelOptions {
  /** Inclusive start (epoch ms); undefined = since the beginning. */
  from?: number | undefined;
  /** Exclusive end (epoch ms); undefined = until now. */
  to?: number | undefined;
  basis: FunnelBasis;
  /** ISO 4217 code that amounts without a currency are taken to be in, listed first. */
  currency: string;
}

export interface FunnelRates {
  leadToMql: number | null;
  mqlToQualified: number | null;
  qualifiedToWon: number | null;
  leadToWon: number | null;
}

export interface FunnelCounts {
  leads: number;
  mqls: number;
  qualified: number;
  won: number;
  /** Currency → sum, rounded to cents. The primary currency is always present. */
  revenue: Record<string, number>;
  /** Fractions (0.25 = 25 %), null when the stage before is empty. */
  rates: FunnelRates;
  /** Median days from the first touch to the lead (leads whose first touch has a time). */
  medianDaysToLead: number | null;
  /** Median days from the lead to its won outcome (won leads). */
  medianDaysToWon: number | null;
  /** Median minutes from the lead to its first outcome (leads sales reached). */
  medianMinutesToContact: number | null;
}

export interface FunnelGroup extends FunnelCounts {
  /** The channel or campaign, or "(not set)". */
  name: string;
}

export interface FunnelView {
  byChannel: FunnelGroup[];
  byCampaign: FunnelGroup[];
  total: FunnelCounts;
}

export interface FunnelReport {
  from: number | null;
  to: number | null;
  basis: FunnelBasis;
  /** The primary currency first, then the others by revenue (largest first). */
  currencies: string[];
  firstTouch: FunnelView;
  lastTouch: FunnelView;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Median; of an even count, the mean of the middle two. Null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** What one lead contributes, with the time of each event (null = did not happen). */
interface LeadFacts {
  receivedAt: number;
  mql: boolean;
  qualifiedAt: number | null;
  wonAt: number | null;
  revenue: { currency: string; amount: number } | null;
  contactedAt: number | null;
  firstTouchAt: number | null;
}

function factsOf(row: FunnelRow, currency: string): LeadFacts {
  let qualifiedAt: number | null = null;
  let newestWon: FunnelRow['outcomes'][number] | undefined;
  let contactedAt: number | null = null;
  for (const o of row.outcomes) {
    if (contactedAt === null || o.at < contactedAt) contactedAt = o.at;
    if (o.status === 'qualified' || o.status === 'won') {
      if (qualifiedAt === null || o.at < qualifiedAt) qualifiedAt = o.at;
    }
    // Newest by `at`; the later report wins a tie, as in stageOf.
    if (o.status === 'won' && (newestWon === undefined || o.at >= newestWon.at)) newestWon = o;
  }
  const won = row.stage === 'customer' && newestWon !== undefined;
  return {
    receivedAt: row.receivedAt,
    mql: row.intakeStage === 'mql' || qualifiedAt !== null,
    qualifiedAt,
    wonAt: won ? newestWon!.at : null,
    revenue:
      won && newestWon!.amount !== null
        ? { currency: newestWon!.currency ?? currency, amount: newestWon!.amount }
        : null,
    contactedAt,
    firstTouchAt: row.first.at,
  };
}

/** Counts a set of leads; `inPeriod` says whether an event time counts (cohort: always true). */
function count(
  facts: readonly LeadFacts[],
  inPeriod: (t: number) => boolean,
  cohort: boolean,
  currency: string,
): FunnelCounts {
  let leads = 0;
  let mqls = 0;
  let qualified = 0;
  let won = 0;
  const revenue: Record<string, number> = { [currency]: 0 };
  const toLead: number[] = [];
  const toWon: number[] = [];
  const toContact: number[] = [];
  // In a cohort every event of a lead counts (the rows were chosen by receipt); in activity each event
  // counts by its own time.
  const counts = (t: number | null) => t !== null && (cohort || inPeriod(t));
  for (const f of facts) {
    const received = inPeriod(f.receivedAt);
    if (cohort && !received) continue;
    if (received) {
      leads++;
      if (f.mql) mqls++;
      if (f.firstTouchAt !== null) toLead.push((f.receivedAt - f.firstTouchAt) / DAY_MS);
    }
    if (counts(f.qualifiedAt)) qualified++;
    if (counts(f.wonAt)) {
      won++;
      toWon.push((f.wonAt! - f.receivedAt) / DAY_MS);
      if (f.revenue) revenue[f.revenue.currency] = (revenue[f.revenue.currency] ?? 0) + f.revenue.amount;
    }
    if (counts(f.contactedAt)) toContact.push((f.contactedAt! - f.receivedAt) / MINUTE_MS);
  }
  for (const c of Object.keys(revenue)) revenue[c] = Math.round(revenue[c]! * 100) / 100;
  return {
    leads,
    mqls,
    qualified,
    won,
    revenue,
    rates: {
      leadToMql: ratio(mqls, leads),
      mqlToQualified: ratio(qualified, mqls),
      qualifiedToWon: ratio(won, qualified),
      leadToWon: ratio(won, leads),
    },
    medianDaysToLead: median(toLead),
    medianDaysToWon: median(toWon),
    medianMinutesToContact: median(toContact),
  };
}

function isEmpty(c: FunnelCounts): boolean {
  return c.leads === 0 && c.qualified === 0 && c.won === 0 && c.medianMinutesToContact === null;
}

function groups(
  rows: readonly { key: string; facts: LeadFacts }[],
  countOf: (facts: LeadFacts[]) => FunnelCounts,
): FunnelGroup[] {
  const byKey = new Map<string, LeadFacts[]>();
  for (const r of rows) {
    const list = byKey.get(r.key);
    if (list) list.push(r.facts);
    else byKey.set(r.key, [r.facts]);
  }
  const out: FunnelGroup[] = [];
  for (const [name, facts] of byKey) {
    const c = countOf(facts);
    if (!isEmpty(c)) out.push({ name, ...c });
  }
  // Most leads first; "(not set)" last among equals so named sources lead.
  return out.sort(
    (a, b) =>
      b.leads - a.leads ||
      b.won - a.won ||
      Number(a.name === NOT_SET) - Number(b.name === NOT_SET) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/**
 * Builds the report from the store's rows. Rows outside the period are ignored (cohort) or count only
 * for their events inside it (activity), so the caller may pass more rows than needed.
 */
export function buildFunnel(rows: readonly FunnelRow[], options: FunnelOptions): FunnelReport {
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const to = options.to ?? Number.POSITIVE_INFINITY;
  const inPeriod = (t: number) => t >= from && t < to;
  const cohort = options.basis === 'cohort';
  const currency = options.currency;
  const countOf = (facts: LeadFacts[]) => count(facts, inPeriod, cohort, currency);
  const all = rows.map((row) => ({ row, facts: factsOf(row, currency) }));
  const view = (touch: 'first' | 'last'): FunnelView => ({
    byChannel: groups(
      all.map((a) => ({ key: a.row[touch].channel ?? NOT_SET, facts: a.facts })),
      countOf,
    ),
    byCampaign: groups(
      all.map((a) => ({ key: a.row[touch].campaign ?? NOT_SET, facts: a.facts })),
      countOf,
    ),
    total: countOf(all.map((a) => a.facts)),
  });
  const firstTouch = view('first');
  const lastTouch = view('last');
  const totals = firstTouch.total.revenue;
  const currencies = [
    currency,
    ...Object.keys(totals)
      .filter((c) => c !== currency)
      .sort((a, b) => totals[b]! - totals[a]! || (a < b ? -1 : 1)),
  ];
  for (const v of [firstTouch, lastTouch]) {
    for (const g of [...v.byChannel, ...v.byCampaign, v.total]) {
      for (const c of currencies) g.revenue[c] ??= 0;
    }
  }
  return {
    from: options.from ?? null,
    to: options.to ?? null,
    basis: options.basis,
    currencies,
    firstTouch,
    lastTouch,
  };
}
