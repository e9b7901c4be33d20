#!/usr/bin/env node
// What erasure costs. The SQLite store runs with `secure_delete = ON`, so an erased address leaves the file's
// bytes. This compares saving leads (durable, in batches as the intake makes them) with it ON against OFF,
// alternating rounds in one process, and times one erasure among many leads (the transaction plus the
// WAL checkpoint that follows it).
// Usage: node bench/erase.bench.mjs [--leads 4000] [--rounds 3]
import { statSync } from 'node:fs';
import { numberOption } from './lib/args.mjs';
import { NEWSLETTER_TOUCH } from './lib/sample-leads.mjs';
import { median, middleBy } from './lib/stats.mjs';
import { tempDir } from './lib/temp-dir.mjs';
import { importWebhook } from './lib/webhook-bundle.mjs';

const LEADS = numberOption('leads', 4000);
const ROUNDS = numberOption('rounds', 3);
const BATCH = 50; // leads saved in the same tick share a commit, like concurrent intake requests

const { createSqliteStore } = await importWebhook('erase', [
  "export { createSqliteStore } from './src/store/sqlite.ts';",
]);

function lead(i) {
  const touch = NEWSLETTER_TOUCH;
  return {
    v: 1,
    id: `v1-${i.toString(36).padStart(8, '0')}-${Math.random().toString(36).slice(2, 10)}`,
    formId: 'demo-request',
    fields: {
      email: `person${i % (LEADS / 2)}@example.com`,
      name: 'Ada Lovelace',
      company: 'Analytical Engines',
      message: 'We would like a demo for our team of forty.',
    },
    consent: { granted: true, text: 'I agree to be contacted.' },
    attribution: { firstTouch: touch, lastTouch: touch, touches: [touch], pageviews: 4, sessions: 2 },
  };
}

/** Saves LEADS leads in batches; returns ms. */
async function saveAll(store) {
  const start = performance.now();
  for (let i = 0; i < LEADS; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(LEADS, i + BATCH); j++) {
      batch.push(store.saveLead({ lead: lead(j), receivedAt: Date.now(), destinations: ['crm', 'slack'] }));
    }
    await Promise.all(batch);
  }
  return performance.now() - start;
}

const results = { on: [], off: [], erase: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of round % 2 ? ['off', 'on'] : ['on', 'off']) {
    const dir = tempDir('erase');
    const store = createSqliteStore({ path: dir.file('leadkit.db') });
    if (mode === 'off') store.db.pragma('secure_delete = OFF');
    results[mode].push(await saveAll(store));
    if (mode === 'on') {
      const start = performance.now();
      const { leads } = await store.eraseByEmail('person7@example.com', Date.now());
      results.erase.push({
        ms: performance.now() - start,
        leads,
        bytes: statSync(dir.file('leadkit.db')).size,
      });
    }
    store.close();
    dir.remove();
  }
}

const on = median(results.on);
const off = median(results.off);
const erase = middleBy(results.erase, (e) => e.ms);
console.log(`${LEADS} leads saved durably in batches of ${BATCH}, median of ${ROUNDS} rounds:`);
console.log(`  secure_delete OFF  ${off.toFixed(0)} ms  (${((LEADS / off) * 1000).toFixed(0)} leads/s)`);
console.log(`  secure_delete ON   ${on.toFixed(0)} ms  (${((LEADS / on) * 1000).toFixed(0)} leads/s)`);
console.log(`  ON / OFF time      ${(on / off).toFixed(2)}x`);
console.log(
  `Erasing one address (${erase.leads} leads) in a ${(erase.bytes / 1e6).toFixed(1)} MB file: ${erase.ms.toFixed(1)} ms (transaction, WAL sync, checkpoint)`,
);
