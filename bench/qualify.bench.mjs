#!/usr/bin/env node
// Cost of qualifying at intake: per lead, scoring (8 rules on fields, free mail, channel, campaign, pages,
// sessions), owner assignment (a rule, then round-robin on an in-memory SQLite counter) and routing (3
// destination filters), against what intake already does per lead before the write: parse and re-derive
// attribution. Prints microseconds per lead and the ratio. Usage: node bench/qualify.bench.mjs [--leads 20000]
import { numberOption } from './lib/args.mjs';
import { importWebhook } from './lib/webhook-bundle.mjs';

const LEADS = numberOption('leads', 20_000);

const m = await importWebhook('qualify', [
  "export { parseConfig } from './src/config.ts';",
  "export { qualifyLead } from './src/qualify.ts';",
  "export { leadSubject, selectDestinations } from './src/routing.ts';",
  "export { reclassifyLead } from './src/attribution.ts';",
  "export { createSqliteStore } from './src/store/sqlite.ts';",
  "export { parseLead } from '@leadkit/core/lead';",
]);

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const config = m.parseConfig(
  {
    scoring: {
      rules: [
        { when: { field: 'emailType', eq: 'business' }, points: 20 },
        { when: { field: 'emailType', eq: 'free' }, points: -10 },
        { when: { field: 'fields.companySize', in: ['51-200', '201-1000'] }, points: 25 },
        { when: { field: 'fields.role', matches: '^(head|vp|director|chief)' }, points: 15 },
        { when: { field: 'journey.pages', contains: '/pricing' }, points: 20 },
        { when: { field: 'journey.sessions', gte: 3 }, points: 10 },
        { when: { field: 'channel', eq: 'Paid Search' }, points: 5 },
        { when: { field: 'campaign', matches: '^spring' }, points: 5 },
      ],
    },
    owners: {
      reps: [{ name: 'Ada' }, { name: 'Bob' }, { name: 'Cy' }],
      rules: [{ when: { field: 'fields.region', eq: 'EMEA' }, assign: ['Ada', 'Bob'] }],
    },
    destinations: [
      {
        type: 'webhook',
        name: 'sales',
        url: 'https://a.example/x',
        secret,
        when: { field: 'stage', eq: 'mql' },
      },
      {
        type: 'webhook',
        name: 'big',
        url: 'https://b.example/x',
        secret,
        when: {
          all: [
            { field: 'grade', in: ['A', 'B'] },
            { field: 'emailType', eq: 'business' },
          ],
        },
      },
      { type: 'webhook', name: 'newsletter', url: 'https://c.example/x', secret },
    ],
  },
  { env: {} },
);
const store = m.createSqliteStore({ path: ':memory:' });

const touch = {
  channel: 'Paid Search',
  source: 'google',
  medium: 'cpc',
  campaign: 'spring-launch',
  clickIds: { gclid: 'Cj0KCQjw-example' },
  landingPage: 'https://shop.example.com/pricing?gclid=Cj0KCQjw-example&utm_campaign=spring-launch',
  referrer: 'https://www.google.com/',
  timestamp: '2026-11-01T10:00:00.000Z',
};
const body = (n) =>
  JSON.stringify({
    id: `lead_bench_${n}`,
    formId: 'demo-request',
    fields: {
      email: n % 3 ? `ada${n}@engines${n % 50}.example` : `ada${n}@gmail.com`,
      name: 'Ada Lovelace',
      companySize: n % 2 ? '51-200' : '1-10',
      role: 'Head of Support',
      region: n % 4 ? 'NA' : 'EMEA',
    },
    attribution: {
      firstTouch: touch,
      lastTouch: touch,
      touches: [touch],
      pageviews: 6,
      sessions: 3,
      pages: ['/contact', '/pricing', '/docs', '/'],
    },
  });
const bodies = Array.from({ length: LEADS }, (_, n) => body(n));
const now = Date.parse('2026-11-02T10:00:00.000Z');

function baseline() {
  const out = [];
  for (const b of bodies) out.push(m.reclassifyLead(m.parseLead(JSON.parse(b)).lead, config.channelRules));
  return out;
}
async function qualify(leads) {
  let mql = 0;
  for (const lead of leads) {
    const q = await m.qualifyLead(config, lead, now, { store, assignOwner: true });
    const routed = m.selectDestinations(config, m.leadSubject(lead, now, q, q.stage));
    if (routed.includes('sales')) mql++;
  }
  return mql;
}

// Warm up both paths, then time them.
await qualify(baseline().slice(0, 2000));
let t = performance.now();
const leads = baseline();
const baseUs = ((performance.now() - t) * 1000) / LEADS;
t = performance.now();
const mql = await qualify(leads);
const qualifyUs = ((performance.now() - t) * 1000) / LEADS;
store.close();

console.log(`leads: ${LEADS} (${mql} routed to sales as MQLs)`);
console.log(`parse + re-derive attribution: ${baseUs.toFixed(1)} µs/lead`);
console.log(`qualify + assign + route:      ${qualifyUs.toFixed(1)} µs/lead`);
console.log(`ratio qualify / parse:         ${(qualifyUs / baseUs).toFixed(2)}`);
