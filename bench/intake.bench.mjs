#!/usr/bin/env node
// Intake throughput: @leadkit/webhook (SQLite, synchronous=FULL, one outbox row per lead) against a bare
// node:http server answering 202 to the same requests. Each server runs in its own child process; autocannon
// drives them from this process over loopback. Every request carries a realistic lead with a unique id.
// Budget (DESIGN.md): leadkit >= 70% of bare. A breakdown follows (validation only, SQLite in memory, no
// fsync per commit) to show where the time goes. Usage: node bench/intake.bench.mjs [--duration 8] [--rounds 2]
// [--no-breakdown]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const webhookDir = join(here, '..', 'packages', 'webhook');
const BUDGET = 0.7;
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const DURATION = flag('duration', 8);
const CONNECTIONS = flag('connections', 50);
const ROUNDS = flag('rounds', 2);

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** The lead the form widget sends: fields, consent, a two-touch journey, page, context, meta. */
function leadBody() {
  const touch = {
    channel: 'Email',
    source: 'newsletter',
    medium: 'email',
    campaign: 'autumn-launch',
    clickIds: {},
    landingPage:
      'https://shop.example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=autumn-launch',
    referrer: 'https://mail.example.com/',
    timestamp: '2026-11-01T10:00:00.000Z',
  };
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
    id: 'lead_[<id>]',
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

// ---- child process side -------------------------------------------------------------------------------

async function serveBare(modulePath, validate) {
  // With `validate`, the floor of any real intake: read, JSON.parse and the shared zod schema, nothing else.
  const parseLead = validate ? (await import(modulePath)).parseLead : undefined;
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

async function serveLeadkit(modulePath, dbPath, variant) {
  const { startServer } = await import(modulePath);
  const running = await startServer({
    config: {
      // Limits stay on (their cost is part of intake), set above what one loopback client sends.
      rateLimit: {
        perIp: { points: 10_000_000, durationSeconds: 60 },
        perForm: { points: 10_000_000, durationSeconds: 60 },
      },
      security: { allowHosts: ['127.0.0.1'] },
      destinations: [{ type: 'webhook', name: 'crm', url: 'http://127.0.0.1:9/hook', secret: SECRET }],
    },
    port: 0,
    dbPath: variant === 'memory' ? ':memory:' : dbPath,
    // Intake only: the delivery bench measures the worker.
    deliver: false,
    handleSignals: true,
  });
  // Diagnostic only: what an fsync per commit costs here. Shipped servers always use FULL.
  if (variant === 'sync-normal') running.store.db.pragma('synchronous = NORMAL');
  process.send({ port: running.port });
}

if (args[0] === '--serve') {
  if (args[1] === 'bare') await serveBare(args[2], args[3] === 'validate');
  else await serveLeadkit(args[2], args[3], args[4]);
} else {
  await main();
}

// ---- bench side ---------------------------------------------------------------------------------------

function bundlePath() {
  return join(webhookDir, 'node_modules', '.cache', 'leadkit-bench', `intake-${process.pid}.mjs`);
}

async function bundleServer(outfile) {
  await build({
    stdin: {
      contents: [
        "export { startServer } from './src/node.ts';",
        "export { parseLead } from '@leadkit/core/lead';",
      ].join('\n'),
      resolveDir: webhookDir,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@leadkit/source'],
    external: ['better-sqlite3', 'undici', 'rate-limiter-flexible', 'zod', 'ky'],
    logLevel: 'error',
  });
  return outfile;
}

function startChild(childArgs) {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', ...childArgs], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function stopChild(child) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function load(port, duration) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/v1/leads`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: leadBody(),
    idReplacement: true,
    connections: CONNECTIONS,
    duration,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    accepted: result['2xx'],
    other: result.non2xx + result.errors + result.timeouts,
  };
}

async function measure(kind, modulePath, dbDir, round) {
  const dbPath = join(dbDir, `intake-${kind.replace(':', '-')}-${round}.db`);
  const [name, variant = ''] = kind.split(':');
  const { child, port } = await startChild(
    name === 'bare' ? ['bare', modulePath, variant] : ['leadkit', modulePath, dbPath, variant],
  );
  await load(port, 2); // warm-up: JIT, SQLite page cache, connection pool
  const r = await load(port, DURATION);
  await stopChild(child);
  if (name === 'leadkit' && variant !== 'memory') {
    const Database = createRequire(join(webhookDir, 'package.json'))('better-sqlite3');
    const db = new Database(dbPath, { readonly: true });
    r.stored = db.prepare('SELECT count(*) AS n FROM leads').get().n;
    r.outbox = db.prepare('SELECT count(*) AS n FROM deliveries').get().n;
    db.close();
  }
  return r;
}

async function main() {
  const dbDir = mkdtempSync(join(tmpdir(), 'leadkit-intake-bench-'));
  const bundled = bundlePath();
  try {
    const modulePath = await bundleServer(bundled);
    const runs = { bare: [], leadkit: [] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.bare.push(await measure('bare', modulePath, dbDir, round));
      runs.leadkit.push(await measure('leadkit', modulePath, dbDir, round));
    }
    const mean = (xs, k) => xs.reduce((s, x) => s + x[k], 0) / xs.length;
    const row = (name, xs) => ({
      server: name,
      'req/s': Math.round(mean(xs, 'rps')),
      'p50 ms': mean(xs, 'p50').toFixed(1),
      'p99 ms': mean(xs, 'p99').toFixed(1),
      'non-2xx+errors': xs.reduce((s, x) => s + x.other, 0),
    });
    console.log(
      `Intake: ${CONNECTIONS} connections, ${DURATION}s x ${ROUNDS} rounds each (after 2s warm-up), ~${leadBody().length} B leads`,
    );
    console.table([row('bare node:http (202)', runs.bare), row('@leadkit/webhook + SQLite', runs.leadkit)]);
    // Warm-up requests are stored too, so stored >= accepted in the measured window.
    const leadkitAccepted = runs.leadkit.reduce((s, x) => s + x.accepted, 0);
    const stored = runs.leadkit.reduce((s, x) => s + x.stored, 0);
    const outbox = runs.leadkit.reduce((s, x) => s + x.outbox, 0);
    console.log(
      `Durability check: ${leadkitAccepted} leads answered 202 in the measured windows; ${stored} leads and ${outbox} outbox rows on disk (incl. warm-up).`,
    );
    const ratio = mean(runs.leadkit, 'rps') / mean(runs.bare, 'rps');
    const ok = ratio >= BUDGET && stored >= leadkitAccepted && outbox === stored;
    console.log(
      `Ratio leadkit / bare: ${(ratio * 100).toFixed(1)}% (budget >= ${BUDGET * 100}%) ${ok ? 'OK' : 'MISSED'}`,
    );
    process.exitCode = ok ? 0 : 1;

    if (args.includes('--no-breakdown')) return;
    const steps = [
      ['bare node:http (202)', 'bare'],
      ['bare + JSON.parse + zod schema', 'bare:validate'],
      ['leadkit, SQLite :memory: (no disk)', 'leadkit:memory'],
      ['leadkit, SQLite file, synchronous=NORMAL', 'leadkit:sync-normal'],
      ['leadkit, SQLite file, synchronous=FULL (shipped)', 'leadkit'],
    ];
    const table = [];
    for (const [label, kind] of steps) {
      const r = await measure(kind, modulePath, dbDir, 'breakdown');
      table.push({
        step: label,
        'req/s': Math.round(r.rps),
        'p99 ms': r.p99,
        'µs/req at saturation': (1e6 / r.rps).toFixed(0),
      });
    }
    const floor = table[0]['req/s'];
    for (const row of table) row['% of bare'] = `${((row['req/s'] / floor) * 100).toFixed(0)}%`;
    console.log(`\nWhere the time goes (one ${DURATION}s run each):`);
    console.table(table);
  } finally {
    rmSync(dbDir, { recursive: true, force: true });
    rmSync(bundled, { force: true });
  }
}
