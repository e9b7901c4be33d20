#!/usr/bin/env node
// Delivery on PostgreSQL with 1, 2 and 4 worker processes, and SQLite with one, in one run: N leads are
// queued, then K worker processes (each a createWorker on its own store connection) deliver them to a
// receiver in its own process. PostgreSQL is a throwaway server (initdb) with production settings (fsync
// and synchronous_commit on). Prints throughput as ratios to SQLite, and where the CPU went (PostgreSQL
// server, workers, receiver) with commits per delivery, to find the bottleneck.
// Usage: node bench/delivery-pg.bench.mjs [--leads 6000] [--concurrency 16] [--no-fsync]
import { fork } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hasFlag, numberOption } from './lib/args.mjs';
import { ask } from './lib/ipc.mjs';
import { startReceiver } from './lib/receiver.mjs';
import { deliveryLead, queueLeads } from './lib/sample-leads.mjs';
import { tempDir } from './lib/temp-dir.mjs';
import { bundleWebhook } from './lib/webhook-bundle.mjs';

const self = fileURLToPath(import.meta.url);
const LEADS = numberOption('leads', 6000);
const CONCURRENCY = numberOption('concurrency', 16);
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

if (process.argv[2] === '--worker') await worker(JSON.parse(process.argv[3]));
else await main();

/** One worker process: delivers until told to stop, then reports its CPU time. */
async function worker({ module, store: kind, url, path, receiver: target }) {
  const m = await import(pathToFileURL(module).href);
  const store =
    kind === 'postgres'
      ? await m.createPostgresStore({ url, max: 4, migrate: false })
      : m.createSqliteStore({ path });
  const destination = m.createDestination(
    { type: 'webhook', name: 'crm', url: target, secret: SECRET },
    { allowHosts: ['127.0.0.1'] },
  );
  const w = m.createWorker({
    store,
    destinations: [{ destination }],
    fetch: m.createGuardedFetch({ allowHosts: ['127.0.0.1'] }),
    concurrency: CONCURRENCY,
    pollMs: 20,
  });
  const cpu0 = process.cpuUsage();
  w.start();
  process.send({ started: true });
  process.on('message', async (msg) => {
    if (msg !== 'stop') return;
    await w.stop();
    const cpu = process.cpuUsage(cpu0);
    await store.close();
    process.send({ cpuMs: (cpu.user + cpu.system) / 1000 });
    process.exit(0);
  });
}

/** CPU ms of every process named postgres (the server and its backends; Linux /proc). */
function postgresCpuMs() {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (comm !== 'postgres') continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {}
  }
  return (total * 1000) / tick;
}

/** Busy and total jiffies of the whole machine (every process, ours or not; Linux /proc/stat). */
function machineCpu() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + f[4];
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

async function run(m, { kind, processes, url, path, outfile, receiver }) {
  const leads = Array.from({ length: LEADS }, (_, i) => deliveryLead(i));
  let count;
  let commits = async () => 0;
  if (kind === 'postgres') {
    const store = await m.createPostgresStore({ url, max: 8 });
    await queueLeads(store, leads);
    await store.close();
    const sql = m.postgres(url, { max: 1, onnotice: () => {} });
    count = async () =>
      (await sql`SELECT count(*)::int AS n FROM leadkit.deliveries WHERE status = 'delivered'`)[0].n;
    commits = async () =>
      (await sql`SELECT xact_commit::int AS n FROM pg_stat_database WHERE datname = current_database()`)[0].n;
    count.close = () => sql.end();
  } else {
    const store = m.createSqliteStore({ path });
    await queueLeads(store, leads);
    count = () => store.db.prepare("SELECT count(*) AS n FROM deliveries WHERE status = 'delivered'").get().n;
    count.close = () => store.close();
  }
  const receiverCpu0 = (await receiver.reset()).cpu;
  const children = Array.from({ length: processes }, () =>
    fork(
      self,
      ['--worker', JSON.stringify({ module: outfile, store: kind, url, path, receiver: receiver.url })],
      {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    ),
  );
  // Workers start (connect, bundle load) before the clock runs; each delivers as soon as it starts, so
  // the clock starts when the first one is up.
  await Promise.race(children.map((c) => ask(c, undefined, 'started')));
  const t0 = performance.now();
  const pg0 = postgresCpuMs();
  const machine0 = machineCpu();
  const commits0 = await commits();
  while ((await count()) < LEADS) await new Promise((r) => setTimeout(r, 10));
  const wall = performance.now() - t0;
  const pgCpu = kind === 'postgres' ? postgresCpuMs() - pg0 : 0;
  const machine1 = machineCpu();
  const machineBusy = (machine1.busy - machine0.busy) / (machine1.total - machine0.total);
  const commitsUsed = (await commits()) - commits0;
  const workerCpu = (await Promise.all(children.map((c) => ask(c, 'stop', 'cpuMs')))).reduce(
    (a, r) => a + r.cpuMs,
    0,
  );
  const seen = await receiver.count();
  const receiverCpu = (seen.cpu.user + seen.cpu.system - receiverCpu0.user - receiverCpu0.system) / 1000;
  await count.close();
  return {
    wall,
    pgCpu,
    workerCpu,
    receiverCpu,
    commits: commitsUsed,
    machineBusy,
    exact: seen.requests === LEADS && seen.distinct === LEADS,
  };
}

async function main() {
  const outfile = await bundleWebhook('delivery-pg', [
    "export { createWorker, createDestination } from './src/index.ts';",
    "export { createSqliteStore, createGuardedFetch } from './src/node.ts';",
    "export { createPostgresStore } from './src/postgres.ts';",
    "export { startPostgres, postgresUnavailable } from './test/postgres.ts';",
    "export { default as postgres } from 'postgres';",
  ]);
  const m = await import(pathToFileURL(outfile).href);
  const unavailable = m.postgresUnavailable();
  if (unavailable) {
    console.log(`delivery-pg: skipped (${unavailable})`);
    rmSync(outfile, { force: true });
    return;
  }
  const pg = await m.startPostgres({ durable: !hasFlag('no-fsync') });
  const receiver = await startReceiver();
  const dir = tempDir('delivery-pg');
  try {
    const results = [];
    const configs = [
      { kind: 'sqlite', processes: 1 },
      { kind: 'postgres', processes: 1 },
      { kind: 'postgres', processes: 2 },
      { kind: 'postgres', processes: 4 },
    ];
    for (const c of configs) {
      const url = c.kind === 'postgres' ? await pg.createDatabase() : undefined;
      const path = dir.file(`${results.length}.db`);
      const r = await run(m, { ...c, url, path, outfile, receiver });
      results.push({ ...c, ...r });
    }
    const sqlite = results[0];
    const us = (ms) => ((ms * 1000) / LEADS).toFixed(0);
    console.log(
      `Delivery on PostgreSQL vs SQLite: ${LEADS} leads queued, worker concurrency ${CONCURRENCY} per process, ` +
        `receiver in its own process, ${cpus().length} CPU cores, PostgreSQL with fsync on`,
    );
    console.table(
      results.map((r) => ({
        store: r.kind,
        'worker processes': r.processes,
        'leads/s': Math.round(LEADS / (r.wall / 1000)),
        'vs SQLite': `${(sqlite.wall / r.wall).toFixed(2)}x`,
        'pg server cpu µs/lead': r.kind === 'postgres' ? us(r.pgCpu) : '-',
        'workers cpu µs/lead': us(r.workerCpu),
        'receiver cpu µs/lead': us(r.receiverCpu),
        'cpu ours (of all cores)': `${Math.round(((r.pgCpu + r.workerCpu + r.receiverCpu) / (r.wall * cpus().length)) * 100)}%`,
        'machine cpu busy': `${Math.round(r.machineBusy * 100)}%`,
        'pg commits/lead': r.kind === 'postgres' ? (r.commits / LEADS).toFixed(2) : '-',
        'exactly once': r.exact ? 'yes' : 'NO',
      })),
    );
    process.exitCode = results.every((r) => r.exact) ? 0 : 1;
  } finally {
    receiver.stop();
    await pg.stop();
    dir.remove();
    rmSync(outfile, { force: true });
  }
}
