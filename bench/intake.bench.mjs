#!/usr/bin/env node
// Intake throughput: @leadkit/webhook (SQLite file, every 202 after an fsync, one outbox row per lead) against
// a bare node:http server answering 202 to the same requests. Servers and autocannon each run in their own
// process; rounds alternate bare/leadkit after a warm-up. Every request carries the same realistic lead with a
// fresh id shaped like the form's (time first, so ids arrive in order as in production).
// Two placements: "shared" (the OS schedules server and load on the 2 cores) and "pinned" (taskset: server on
// CPU 0, autocannon on CPU 1, so they never share a core). Besides req/s and latency it reports the server's
// CPU time per request (/proc), the figure that load and noise move least.
// Budget (DESIGN.md): leadkit >= 70% of bare. A breakdown follows (validation only, SQLite in memory, and
// PostgreSQL when its binaries are installed: a throwaway server on this machine with fsync on).
// Usage: node bench/intake.bench.mjs [--duration 8] [--rounds 3] [--connections 50]
//   [--placements shared,pinned] [--no-breakdown]
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { hasFlag, numberOption, option } from './lib/args.mjs';
import { NEWSLETTER_TOUCH } from './lib/sample-leads.mjs';
import { median } from './lib/stats.mjs';
import { tempDir } from './lib/temp-dir.mjs';
import { bundleWebhook, webhookDir } from './lib/webhook-bundle.mjs';

const self = fileURLToPath(import.meta.url);
const BUDGET = 0.7;
const WARMUP_S = 2;
const args = process.argv.slice(2);
const DURATION = numberOption('duration', 8);
const CONNECTIONS = numberOption('connections', 50);
const ROUNDS = numberOption('rounds', 3);
const PLACEMENTS = option('placements', 'shared,pinned').split(',');

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const LEAD_ID = 'v1-LEAD-ID';

/** A fresh id shaped like the form's (`newLeadId`: time first, then randomness), so ids arrive in order. */
function leadId() {
  return `v1-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 14).padEnd(12, '0')}`;
}

/** The lead the form widget sends: fields, consent, a two-touch journey, page, context, meta. */
function leadBody() {
  const touch = { ...NEWSLETTER_TOUCH, referrer: 'https://mail.example.com/' };
  const last = {
    ...touch,
    channel: 'Paid Search',
    source: 'google',
    medium: 'cpc',
    campaign: 'brand',
    clickIds: { gclid: 'Cj0KCQjw-example-click-id' },
    landingPage: 'https://shop.example.com/pricing?gclid=Cj0KCQjw-example-click-id',
    referrer: 'https://www.google.com/',
  };
  return JSON.stringify({
    v: 1,
    id: LEAD_ID,
    formId: 'demo-request',
    submittedAt: '2026-11-02T10:00:00.000Z',
    fields: {
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Analytical Engines Ltd',
      phone: '+44 20 7946 0000',
      message: 'We would like a demo for a team of twelve next week, ideally on Tuesday afternoon.',
    },
    consent: {
      granted: true,
      text: 'I agree to be contacted about my request.',
      at: '2026-11-02T10:00:00.000Z',
    },
    attribution: {
      firstTouch: touch,
      lastTouch: last,
      sessionEntry: last,
      touches: [touch, last],
      visitorId: 'v_01HZX3J8Q2',
      sessionId: 's_01HZX3JB7K',
      firstSeen: '2026-11-01T10:00:00.000Z',
      pageviews: 7,
      sessions: 2,
    },
    page: { url: 'https://shop.example.com/pricing', title: 'Pricing', referrer: 'https://www.google.com/' },
    context: { locale: 'en-GB', timeZone: 'Europe/London' },
    meta: { fillMs: 41_250 },
  });
}

// ---- child processes: servers and the load generator --------------------------------------------------

async function serveBare(modulePath, validate) {
  // With `validate`, the floor of any real intake: read, JSON.parse and the shared zod schema, nothing else.
  const parseLead = validate ? (await import(pathToFileURL(modulePath).href)).parseLead : undefined;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let id = 'lead';
      if (parseLead) {
        const r = parseLead(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        if (!r.ok) return res.writeHead(400).end();
        id = r.lead.id;
      }
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(`{"id":"${id}"}`);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
}

async function serveLeadkit(modulePath, dbPath) {
  const { startServer } = await import(pathToFileURL(modulePath).href);
  const postgresUrl = dbPath.startsWith('postgres://') ? dbPath : undefined;
  const running = await startServer({
    config: {
      ...(postgresUrl ? { store: { type: 'postgres', url: postgresUrl } } : {}),
      // Limits stay on (their cost is part of intake), set above what one loopback client sends.
      rateLimit: {
        perIp: { points: 10_000_000, durationSeconds: 60 },
        perForm: { points: 10_000_000, durationSeconds: 60 },
      },
      security: { allowHosts: ['127.0.0.1'] },
      destinations: [{ type: 'webhook', name: 'crm', url: 'http://127.0.0.1:9/hook', secret: SECRET }],
    },
    port: 0,
    dbPath,
    // Intake only: the delivery bench measures the worker.
    deliver: false,
    handleSignals: true,
  });
  process.send({ port: running.port });
}

async function runLoad(port, duration) {
  const body = leadBody();
  const r = await autocannon({
    url: `http://127.0.0.1:${port}/v1/leads`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest(request) {
          request.body = body.replace(LEAD_ID, leadId());
          return request;
        },
      },
    ],
    connections: CONNECTIONS,
    duration,
  });
  process.send({
    rps: r.requests.average,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    accepted: r['2xx'],
    other: r.non2xx + r.errors + r.timeouts,
  });
}

if (args[0] === '--serve') {
  if (args[1] === 'bare') await serveBare(args[2], args[3] === 'validate');
  else await serveLeadkit(args[2], args[3]);
} else if (args[0] === '--load') {
  // Stays alive on its IPC channel until the bench has read its CPU time and stops it.
  await runLoad(Number(args[1]), Number(args[2]));
} else {
  await main();
}

// ---- bench side ---------------------------------------------------------------------------------------

/** Can this machine keep server and load on separate cores? */
function canPin() {
  if (availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
}

/** Runs this file in another process (under `taskset -c <cpu>` when given), with an IPC channel. */
function child(childArgs, cpu) {
  const command = cpu === undefined ? process.execPath : 'taskset';
  const prefix = cpu === undefined ? [] : ['-c', String(cpu), process.execPath];
  const proc = spawn(command, [...prefix, self, ...childArgs], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const firstMessage = new Promise((resolve, reject) => {
    proc.once('message', resolve);
    proc.once('exit', (code) => reject(new Error(`${childArgs.slice(0, 2).join(' ')} exited with ${code}`)));
  });
  return { proc, firstMessage };
}

/** CPU seconds (user + system, all threads) a process has used so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function load(port, duration, cpu) {
  const { proc, firstMessage } = child(['--load', String(port), String(duration)], cpu);
  const result = await firstMessage;
  result.loadCpu = cpuSeconds(proc.pid);
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
  return result;
}

async function measure({ kind, placement, modulePath, dbDir, tag, postgresUrl }) {
  const dbPath = dbDir.file(`intake-${kind.replace(':', '-')}-${tag}.db`);
  const [name, variant = ''] = kind.split(':');
  const pinned = placement === 'pinned';
  const store = variant === 'memory' ? ':memory:' : variant === 'postgres' ? postgresUrl : dbPath;
  const server = child(
    name === 'bare' ? ['--serve', 'bare', modulePath, variant] : ['--serve', 'leadkit', modulePath, store],
    pinned ? 0 : undefined,
  );
  const { port } = await server.firstMessage;
  await load(port, WARMUP_S, pinned ? 1 : undefined); // JIT, SQLite page cache, connection pool
  const before = cpuSeconds(server.proc.pid);
  const r = await load(port, DURATION, pinned ? 1 : undefined);
  const serverCpu = cpuSeconds(server.proc.pid) - before;
  r.cpuPerReq = (serverCpu / r.total) * 1e6;
  r.serverCores = serverCpu / DURATION;
  r.loadCores = r.loadCpu / DURATION;
  const exited = new Promise((resolve) => server.proc.once('exit', resolve));
  server.proc.kill('SIGTERM');
  await exited;
  if (name === 'leadkit' && variant === '') {
    const Database = createRequire(join(webhookDir, 'package.json'))('better-sqlite3');
    const db = new Database(dbPath, { readonly: true });
    r.stored = db.prepare('SELECT count(*) AS n FROM leads').get().n;
    r.outbox = db.prepare('SELECT count(*) AS n FROM deliveries').get().n;
    db.close();
  }
  return r;
}

async function main() {
  const dbDir = tempDir('intake');
  const placements = PLACEMENTS.filter((p) => p !== 'pinned' || canPin());
  if (placements.length < PLACEMENTS.length)
    console.log('(taskset or a second CPU is missing: no pinned runs)');
  let ok = true;
  let modulePath;
  try {
    modulePath = await bundleWebhook('intake', [
      "export { startServer } from './src/node.ts';",
      "export { parseLead } from '@leadkit/core/lead';",
      "export { postgresUnavailable, startPostgres } from './test/postgres.ts';",
    ]);
    console.log(
      `Intake: ${CONNECTIONS} connections, ~${leadBody().length} B leads, ${ROUNDS} alternating rounds of ${DURATION} s per server (after ${WARMUP_S} s warm-up), ${availableParallelism()} CPUs`,
    );
    const table = [];
    const summary = [];
    for (const placement of placements) {
      const runs = { bare: [], leadkit: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const kind of ['bare', 'leadkit']) {
          runs[kind].push(
            await measure({ kind, placement, modulePath, dbDir, tag: `${placement}-${round}` }),
          );
        }
      }
      for (const [label, xs] of [
        ['bare node:http (202)', runs.bare],
        ['@leadkit/webhook + SQLite', runs.leadkit],
      ]) {
        table.push({
          placement,
          server: label,
          'req/s': Math.round(median(xs.map((x) => x.rps))),
          'p50 ms': median(xs.map((x) => x.p50)),
          'p99 ms': median(xs.map((x) => x.p99)),
          'server µs/req': median(xs.map((x) => x.cpuPerReq)).toFixed(0),
          'server cores': median(xs.map((x) => x.serverCores)).toFixed(2),
          'autocannon cores': median(xs.map((x) => x.loadCores)).toFixed(2),
          'non-2xx+errors': xs.reduce((s, x) => s + x.other, 0),
        });
      }
      // Warm-up requests are stored too, so stored >= accepted in the measured windows.
      const accepted = runs.leadkit.reduce((s, x) => s + x.accepted, 0);
      const stored = runs.leadkit.reduce((s, x) => s + x.stored, 0);
      const outbox = runs.leadkit.reduce((s, x) => s + x.outbox, 0);
      const durable = stored >= accepted && outbox === stored;
      ok &&= durable;
      const ratios = runs.leadkit.map((x, i) => x.rps / runs.bare[i].rps);
      const cpuRatio =
        median(runs.bare.map((x) => x.cpuPerReq)) / median(runs.leadkit.map((x) => x.cpuPerReq));
      summary.push(
        `${placement}: leadkit / bare ${(median(ratios) * 100).toFixed(1)}% (rounds: ${ratios.map((r) => `${(r * 100).toFixed(0)}%`).join(', ')}); ` +
          `server CPU per request bare / leadkit ${(cpuRatio * 100).toFixed(0)}%; ` +
          `${accepted} leads answered 202, ${stored} leads and ${outbox} outbox rows on disk (incl. warm-up)${durable ? '' : ' LOST LEADS'}`,
      );
      if (placement === placements[0]) ok &&= median(ratios) >= BUDGET;
    }
    console.table(table);
    for (const line of summary) console.log(line);
    console.log(`Budget: leadkit >= ${BUDGET * 100}% of bare (${placements[0]}): ${ok ? 'OK' : 'MISSED'}`);
    process.exitCode = ok ? 0 : 1;

    if (hasFlag('no-breakdown')) return;
    const steps = [
      ['bare node:http (202)', 'bare'],
      ['bare + JSON.parse + zod schema', 'bare:validate'],
      ['leadkit, SQLite :memory: (no disk)', 'leadkit:memory'],
      ['leadkit, SQLite file, fsync before 202 (shipped)', 'leadkit'],
    ];
    // PostgreSQL (issue 7's store) on the same machine: a throwaway server with fsync on, which then
    // shares the two cores with the Node server and autocannon.
    const { postgresUnavailable, startPostgres } = await import(pathToFileURL(modulePath).href);
    const noPostgres = postgresUnavailable();
    const pg = noPostgres ? undefined : await startPostgres({ durable: true });
    const postgresUrl = pg ? await pg.createDatabase() : undefined;
    if (pg)
      steps.push([
        'leadkit, PostgreSQL on this machine, fsync on (its CPU not in µs/req)',
        'leadkit:postgres',
      ]);
    else console.log(`(no PostgreSQL row: ${noPostgres})`);
    const rows = [];
    for (const [label, kind] of steps) {
      const r = await measure({
        kind,
        placement: placements[0],
        modulePath,
        dbDir,
        tag: 'breakdown',
        postgresUrl,
      });
      rows.push({
        step: label,
        'req/s': Math.round(r.rps),
        'p99 ms': r.p99,
        'server µs/req': r.cpuPerReq.toFixed(0),
        'server cores': r.serverCores.toFixed(2),
      });
    }
    const floor = rows[0]['req/s'];
    for (const row of rows) row['% of bare'] = `${((row['req/s'] / floor) * 100).toFixed(0)}%`;
    console.log(`\nWhere the time goes (${placements[0]}, one ${DURATION} s run each):`);
    console.table(rows);
    await pg?.stop();
  } finally {
    dbDir.remove();
    if (modulePath) rmSync(modulePath, { force: true });
  }
}
