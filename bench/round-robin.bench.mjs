#!/usr/bin/env node
// What taking the round-robin turn inside the save's transaction costs (NewLead.turn), against the old order
// (store.nextCounter, then saveLead: a failed save spent the turn) and against a save with no owner at all.
// Store level, `--concurrency` saves in flight, on a SQLite file and, when its binaries are installed, a
// throwaway PostgreSQL with fsync on (there the counter row stays locked until COMMIT, so same-pool saves
// commit one after another instead of sharing a WAL flush). Rounds alternate the three ways; each prints the
// fastest of its rounds as leads/s and the ratio to the old order.
// Usage: node bench/round-robin.bench.mjs [--leads 2000] [--concurrency 50] [--rounds 3] [--stores sqlite,postgres]
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { numberOption, option } from './lib/args.mjs';
import { tempDir } from './lib/temp-dir.mjs';
import { bundleWebhook } from './lib/webhook-bundle.mjs';

const LEADS = numberOption('leads', 2000);
const CONCURRENCY = numberOption('concurrency', 50);
const ROUNDS = numberOption('rounds', 3);
const STORES = option('stores', 'sqlite,postgres').split(',');
const REPS = ['Ada', 'Bob', 'Cy'];
const COUNTER = 'owners:*';

let seq = 0;
function newLead() {
  seq++;
  return {
    id: `v1-${Date.now().toString(36)}-${String(seq).padStart(12, '0')}`,
    formId: 'contact',
    fields: { email: `lead${seq}@acme.example`, name: 'Ada Lovelace', company: 'Acme' },
    consent: [],
  };
}

const qualification = (turn) => ({
  score: 40,
  grade: 'B',
  fired: [{ rule: 'business email', points: 40 }],
  stage: 'lead',
  owner: turn === undefined ? undefined : { name: REPS[(turn - 1) % REPS.length] },
});

/** The three ways to save one lead. */
const WAYS = {
  'no owner': (store, lead, at) => store.saveLead({ lead, receivedAt: at, destinations: ['crm'] }),
  'turn, then save (old)': async (store, lead, at) => {
    const turn = await store.nextCounter(COUNTER);
    return store.saveLead({
      lead,
      receivedAt: at,
      destinations: ['crm'],
      qualification: qualification(turn),
    });
  },
  'turn in the save (new)': (store, lead, at) =>
    store.saveLead({
      lead,
      receivedAt: at,
      destinations: [],
      turn: {
        counter: COUNTER,
        decide: (turn) => ({ qualification: qualification(turn), destinations: ['crm'] }),
      },
    }),
};

/** Saves LEADS new leads, CONCURRENCY in flight; returns ms. */
async function run(store, save) {
  const leads = Array.from({ length: LEADS }, newLead);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < leads.length) {
        const lead = leads[next++];
        const { created } = await save(store, lead, Date.now());
        if (!created) throw new Error(`lead ${lead.id} was not created`);
      }
    }),
  );
  return performance.now() - started;
}

async function measure(label, open) {
  const best = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [way, save] of Object.entries(WAYS)) {
      const store = await open();
      try {
        await run(store, save); // warm-up: statements prepared, pages cached
        const ms = await run(store, save);
        best[way] = Math.min(best[way] ?? Number.POSITIVE_INFINITY, ms);
      } finally {
        await store.close();
      }
    }
  }
  const old = best['turn, then save (old)'];
  console.log(`${label}: ${LEADS} leads, ${CONCURRENCY} in flight, fastest of ${ROUNDS} rounds`);
  console.table(
    Object.entries(best).map(([way, ms]) => ({
      way,
      'leads/s': Math.round(LEADS / (ms / 1000)),
      'µs/lead': Math.round((ms * 1000) / LEADS),
      'vs old order': `${(old / ms).toFixed(2)}x`,
    })),
  );
}

async function main() {
  const outfile = await bundleWebhook('round-robin', [
    "export { createSqliteStore } from './src/node.ts';",
    "export { createPostgresStore } from './src/postgres.ts';",
    "export { startPostgres, postgresUnavailable } from './test/postgres.ts';",
  ]);
  const dir = tempDir('round-robin');
  let pg;
  try {
    const m = await import(pathToFileURL(outfile).href);
    let n = 0;
    if (STORES.includes('sqlite')) {
      await measure('SQLite file (WAL, fdatasync per batch)', async () =>
        m.createSqliteStore({ path: dir.file(`${++n}.db`) }),
      );
    }
    if (!STORES.includes('postgres')) return;
    const unavailable = m.postgresUnavailable();
    if (unavailable) {
      console.log(`PostgreSQL: skipped (${unavailable})`);
      return;
    }
    pg = await m.startPostgres({ durable: true });
    await measure('PostgreSQL (throwaway server on this machine, fsync on, pool of 10)', async () =>
      m.createPostgresStore({ url: await pg.createDatabase(), max: 10 }),
    );
  } finally {
    await pg?.stop();
    dir.remove();
    rmSync(outfile, { force: true });
  }
}

await main();
