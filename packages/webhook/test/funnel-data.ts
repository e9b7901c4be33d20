/**
 * Generated funnel data for the report tests: leads whose touches are built by @leadkit/core's parseTouch
 * from landing URLs and referrers (first and last touch often differ), spread over a time range, with
 * business or free-mail addresses (scoring makes the business ones MQLs), and CRM outcomes for some of
 * them: contacted, qualified, won in two currencies (with amount corrections), lost, disqualified.
 * Seeded, so every run posts the same data.
 */
import { parseTouch } from '@leadkit/core';
import type { LeadInput } from '@leadkit/core/lead';
import type { OutcomeStatus } from '../src/store/types.js';

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Campaign names, including one that needs CSV quoting. */
export const CAMPAIGNS = [
  'spring_sale',
  'brand',
  'retarget_q4',
  'webinar_nov',
  'newsletter_dec',
  'ebook_ai',
  'black_friday',
  'partner_push',
  'launch_v2',
  'summer_promo',
  'q4, "enterprise"',
] as const;

/** Ways to arrive; utm ones carry a campaign, the rest none. */
const ARRIVALS: { url: (campaign: string) => string; referrer?: string; campaign: boolean }[] = [
  {
    url: (c) =>
      `https://shop.example.com/?utm_source=google&utm_medium=cpc&utm_campaign=${encodeURIComponent(c)}`,
    campaign: true,
  },
  {
    url: (c) =>
      `https://shop.example.com/lp?utm_source=facebook&utm_medium=paid_social&utm_campaign=${encodeURIComponent(c)}`,
    campaign: true,
  },
  {
    url: (c) =>
      `https://shop.example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=${encodeURIComponent(c)}`,
    campaign: true,
  },
  {
    url: (c) =>
      `https://shop.example.com/?utm_source=partner&utm_medium=affiliate&utm_campaign=${encodeURIComponent(c)}`,
    campaign: true,
  },
  {
    url: (c) =>
      `https://shop.example.com/?utm_source=adnet&utm_medium=display&utm_campaign=${encodeURIComponent(c)}`,
    campaign: true,
  },
  { url: () => 'https://shop.example.com/blog/post', referrer: 'https://www.google.com/', campaign: false },
  { url: () => 'https://shop.example.com/', referrer: 'https://www.linkedin.com/', campaign: false },
  {
    url: () => 'https://shop.example.com/pricing',
    referrer: 'https://news.ycombinator.com/item',
    campaign: false,
  },
  { url: () => 'https://shop.example.com/', campaign: false },
];

export interface GeneratedOutcome {
  status: OutcomeStatus;
  at: number;
  amount?: number;
  currency?: string;
}

export interface GeneratedLead {
  lead: LeadInput;
  email: string;
  receivedAt: number;
  business: boolean;
  first: { channel: string; campaign: string | null; at: number };
  last: { channel: string; campaign: string | null };
  /** Distinct outcomes, in the order they are posted. */
  outcomes: GeneratedOutcome[];
  spam: boolean;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

/**
 * `count` leads received between `from` and `to` (plus every `spamEvery`-th one flagged as spam), and
 * outcomes for about half of them.
 */
export function generateFunnel(options: {
  seed: number;
  count: number;
  from: number;
  to: number;
  spamEvery?: number;
  /** Extra receipt times (e.g. just around a month boundary) used for the first leads. */
  pinned?: number[];
}): GeneratedLead[] {
  const random = prng(options.seed);
  const out: GeneratedLead[] = [];
  for (let i = 0; i < options.count; i++) {
    const receivedAt =
      options.pinned?.[i] ?? Math.floor(options.from + random() * (options.to - options.from));
    const firstAt = receivedAt - Math.floor(random() * 20 * DAY) - HOUR;
    const firstArrival = pick(random, ARRIVALS);
    // Most leads come back another way before the form.
    const lastArrival = random() < 0.65 ? pick(random, ARRIVALS) : firstArrival;
    const firstCampaign = pick(random, CAMPAIGNS);
    const lastCampaign = random() < 0.5 ? firstCampaign : pick(random, CAMPAIGNS);
    const firstTouch = parseTouch({
      url: firstArrival.url(firstCampaign),
      referrer: firstArrival.referrer,
      timestamp: new Date(firstAt).toISOString(),
    });
    const lastTouch = parseTouch({
      url: lastArrival.url(lastCampaign),
      referrer: lastArrival.referrer,
      timestamp: new Date(receivedAt - 10 * 60_000).toISOString(),
    });
    const business = random() < 0.45;
    const email = `person${i}@${business ? `company${i % 37}.example` : 'gmail.com'}`;
    const spam = options.spamEvery !== undefined && i % options.spamEvery === options.spamEvery - 1;
    const lead: LeadInput = {
      id: `lead_funnel_${options.seed}_${i}`,
      formId: 'demo-request',
      fields: { email, ...(spam ? { _gotcha: 'filled by a bot' } : {}) },
      attribution: {
        firstTouch,
        lastTouch,
        sessionEntry: lastTouch,
        touches: [firstTouch, lastTouch],
        visitorId: `v_${i}`,
        sessionId: `s_${i}`,
        firstSeen: new Date(firstAt).toISOString(),
        pageviews: 3,
        sessions: 2,
      },
      meta: { fillMs: 9000 },
    } as LeadInput;
    out.push({
      lead,
      email,
      receivedAt,
      business,
      first: { channel: firstTouch.channel, campaign: firstTouch.campaign ?? null, at: firstAt },
      last: { channel: lastTouch.channel, campaign: lastTouch.campaign ?? null },
      outcomes: spam ? [] : outcomesFor(random, receivedAt, business),
      spam,
    });
  }
  return out;
}

function outcomesFor(random: () => number, receivedAt: number, business: boolean): GeneratedOutcome[] {
  const r = random();
  if (r > (business ? 0.85 : 0.45)) return [];
  // Distinct times (ms offsets) keep "newest" unambiguous; minutes to days after the lead.
  const contacted = receivedAt + Math.floor(5 * 60_000 + random() * 3 * DAY);
  const list: GeneratedOutcome[] = [{ status: 'contacted', at: contacted }];
  const path = random();
  if (path < 0.2) {
    list.push({ status: 'disqualified', at: contacted + Math.floor(random() * 2 * DAY) + 1 });
    return list;
  }
  const qualified = contacted + Math.floor(HOUR + random() * 5 * DAY);
  list.push({ status: 'qualified', at: qualified });
  if (path < 0.45) {
    list.push({ status: 'lost', at: qualified + Math.floor(DAY + random() * 10 * DAY) });
    return list;
  }
  if (path < 0.85) {
    const wonAt = qualified + Math.floor(DAY + random() * 20 * DAY);
    const currency = random() < 0.75 ? 'USD' : 'EUR';
    const amount = Math.round(500 + random() * 20_000) + (random() < 0.5 ? 0.5 : 0);
    // Some deals report an amount without a currency (the primary one is meant).
    const won: GeneratedOutcome =
      currency === 'USD' && random() < 0.3
        ? { status: 'won', at: wonAt, amount }
        : { status: 'won', at: wonAt, amount, currency };
    list.push(won);
    if (random() < 0.2) {
      // An amount correction, reported later with a newer time: the newest won counts.
      list.push({ ...won, at: wonAt + HOUR, amount: amount + 250 });
    }
    if (random() < 0.15) {
      // A stale "lost" from before the win arrives late: the stage stays customer.
      list.push({ status: 'lost', at: qualified + 1 });
    }
  }
  // Post the later ones first for some leads: order of arrival must not matter.
  if (random() < 0.3) list.reverse();
  return list;
}

/**
 * Posts the leads through POST /v1/leads with the clock at each receipt time, then their outcomes through
 * POST /v1/leads/{id}/outcome (admin token), each sent twice for some leads (the repeat must change
 * nothing), with the clock at the outcome's time.
 */
export async function postFunnel(
  baseUrl: string,
  token: string,
  leads: GeneratedLead[],
  setClock: (t: number) => void,
): Promise<void> {
  for (const g of [...leads].sort((a, b) => a.receivedAt - b.receivedAt)) {
    setClock(g.receivedAt);
    const res = await fetch(`${baseUrl}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(g.lead),
    });
    if (res.status !== 202) throw new Error(`lead ${g.lead.id}: ${res.status} ${await res.text()}`);
  }
  const random = prng(7);
  for (const g of leads) {
    for (const [n, o] of g.outcomes.entries()) {
      setClock(Math.max(o.at, g.receivedAt) + 1000);
      const times = random() < 0.2 ? 2 : 1;
      for (let k = 0; k < times; k++) {
        const res = await fetch(`${baseUrl}/v1/leads/${g.lead.id}/outcome`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'idempotency-key': `${g.lead.id}-${n}`,
          },
          body: JSON.stringify({ ...o, at: new Date(o.at).toISOString() }),
        });
        if (res.status !== 200)
          throw new Error(`outcome for ${g.lead.id}: ${res.status} ${await res.text()}`);
      }
    }
  }
}
