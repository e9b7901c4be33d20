#!/usr/bin/env node
// What erasure costs. The SQLite store runs with `secure_delete = ON`, so an erased address leaves the file's
// bytes. This compares saving leads (durable, in batches as the intake makes them) with it ON against OFF,
// alternating rounds in one process, and times one erasure among many leads (the transaction plus the
// WAL checkpoint that follows it).
// Usage: node bench/erase.bench.mjs [--leads 4000] [--rounds 3]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const webhookDir = join(here, '..', 'packages', 'webhook');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const LEADS = option('leads', 4000);
const ROUNDS = option('rounds', 3);
const BATCH = 50; // leads saved in the same tick share a commit, like concurrent intake requests

const outfile = join(webhookDir, 'node_modules', '.cache', 'leadkit-bench', `erase-${process.pid}.mjs`);
await build({
  stdin: {
    contents: "export { createSqliteStore } from './src/store/sqlite.ts';",
    resolveDir: webhookDir,
    loader: 'ts',
  },
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@leadkit/source'],
  external: ['better-sqlite3', 'zod'],
  logLevel: 'error',
});
const { createSqliteStore } = await import(outfile);
rmSync(outfile, { force: true });

function lead(i) {
  const touch = {
    channel: 'Email',
    source: 'newsletter',
    medium: 'email',
    campaign: 'autumn-launch',
    clickIds: {},
    landingPage:
      'https://shop.example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=autumn-launch',
    timestamp: '2026-11-01T10:00:00.000Z',
  };
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

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { on: [], off: [], erase: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of round % 2 ? ['off', 'on'] : ['on', 'off']) {
    const dir = mkdtempSync(join(tmpdir(), 'leadkit-erase-bench-'));
    const store = createSqliteStore({ path: join(dir, 'leadkit.db') });
    if (mode === 'off') store.db.pragma('secure_delete = OFF');
    results[mode].push(await saveAll(store));
    if (mode === 'on') {
      const start = performance.now();
      const { leads } = await store.eraseByEmail('person7@example.com', Date.now());
      results.erase.push({
        ms: performance.now() - start,
        leads,
        bytes: statSync(join(dir, 'leadkit.db')).size,
      });
    }
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const on = median(results.on);
const off = median(results.off);
const erase = results.erase.sort((a, b) => a.ms - b.ms)[Math.floor(results.erase.length / 2)];
console.log(`${LEADS} leads saved durably in batches of ${BATCH}, median of ${ROUNDS} rounds:`);
console.log(`  secure_delete OFF  ${off.toFixed(0)} ms  (${((LEADS / off) * 1000).toFixed(0)} leads/s)`);
console.log(`  secure_delete ON   ${on.toFixed(0)} ms  (${((LEADS / on) * 1000).toFixed(0)} leads/s)`);
console.log(`  ON / OFF time      ${(on / off).toFixed(2)}x`);
console.log(
  `Erasing one address (${erase.leads} leads) in a ${(erase.bytes / 1e6).toFixed(1)} MB file: ${erase.ms.toFixed(1)} ms (transaction, WAL sync, checkpoint)`,
);
