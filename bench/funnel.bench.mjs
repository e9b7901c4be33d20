#!/usr/bin/env node
// Cost of the funnel report on a large store: SQLite funnelRows (two scans) + buildFunnel (both touches,
// channel and campaign) + the CSV, for all time and for one month, against what the inbox page already
// runs per view (countByChannel over 30 days). Prints ms and the ratio.
// Usage: node bench/funnel.bench.mjs [--leads 100000]
import { numberOption } from './lib/args.mjs';
import { median } from './lib/stats.mjs';
import { tempDir } from './lib/temp-dir.mjs';
import { importWebhook } from './lib/webhook-bundle.mjs';

const LEADS = numberOption('leads', 100_000);

const m = await importWebhook('funnel', [
  "export { buildFunnel } from './src/funnel.ts';",
  "export { funnelCsv } from './src/report-csv.ts';",
  "export { createSqliteStore } from './src/store/sqlite.ts';",
]);

const dir = tempDir('funnel');
const store = m.createSqliteStore({ path: dir.file('leadkit.db') });
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 20);
const channels = [
  'Paid Search',
  'Paid Social',
  'Email',
  'Organic Search',
  'Organic Social',
  'Referral',
  'Direct',
  'Display',
];
let seed = 1;
const random = () => {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647;
};

// Rows written straight into the report columns: the bench is about reading them. Each carries a lead JSON
// of the form widget's usual size (~2 KB), which a table scan has to step over.
const LEAD_JSON = JSON.stringify({ fields: { message: 'x'.repeat(2000) } });
const insertLead = store.db.prepare(
  `INSERT INTO leads (id, form_id, received_at, lead, channel, first_channel, first_campaign, first_at,
     last_campaign, intake_stage, stage)
   VALUES (?, 'f', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const insertOutcome = store.db.prepare(
  `INSERT INTO outcomes (lead_id, key, status, amount, currency, at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
);
let outcomes = 0;
store.db.transaction(() => {
  for (let n = 0; n < LEADS; n++) {
    const receivedAt = Math.floor(NOW - random() * 365 * DAY);
    const won = random() < 0.1;
    const id = `lead_bench_${n}`;
    insertLead.run(
      id,
      receivedAt,
      LEAD_JSON,
      channels[n % channels.length],
      channels[(n * 7) % channels.length],
      `campaign_${n % 60}`,
      receivedAt - 3 * DAY,
      `campaign_${(n * 13) % 60}`,
      random() < 0.4 ? 'mql' : 'lead',
      won ? 'customer' : 'lead',
    );
    if (random() < 0.5 || won) {
      insertOutcome.run(id, 'c', 'contacted', null, null, receivedAt + 3_600_000, receivedAt);
      outcomes++;
    }
    if (won) {
      insertOutcome.run(id, 'w', 'won', 1000 + n, n % 4 ? 'USD' : 'EUR', receivedAt + 20 * DAY, receivedAt);
      outcomes++;
    }
  }
})();

/** Median ms of 5 runs of `fn`, after one to warm up. */
function time(fn, runs = 5) {
  fn();
  const samples = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

const report = (from, to, basis) => {
  const rows = store.funnelRows(basis === 'cohort' ? { from, to } : {});
  return m.funnelCsv(m.buildFunnel(rows, { from, to, basis, currency: 'USD' }));
};
const baseline = time(() => store.countByChannel(NOW - 30 * DAY));
const cases = [
  ['all time, cohort', () => report(undefined, undefined, 'cohort')],
  ['one month, cohort', () => report(NOW - 30 * DAY, NOW, 'cohort')],
  ['one month, activity (reads all)', () => report(NOW - 30 * DAY, NOW, 'activity')],
];
console.log(
  `${LEADS} leads, ${outcomes} outcomes; baseline countByChannel(30 days): ${baseline.toFixed(1)} ms`,
);
console.log('case                              ms    × baseline');
for (const [name, fn] of cases) {
  const ms = time(fn);
  console.log(`${name.padEnd(32)} ${ms.toFixed(1).padStart(7)}  ${(ms / baseline).toFixed(1).padStart(6)}`);
}
store.close();
dir.remove();
