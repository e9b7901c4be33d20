/**
 * The issue's proof, with real processes: 4 adapters (the CLI's `serve`) on one PostgreSQL database take
 * 5,000 leads over HTTP, a receiver fails 20% of requests (seeded), and one adapter is `kill -9`ed
 * mid-run. Every lead must be delivered; duplicates (the same webhook-id answered 2xx twice) are counted,
 * reported, and bounded by the rows given up on while in flight: those the killed process held leases on
 * when it died, plus attempts that timed out (the receiver may answer after the deadline on a loaded
 * machine; with an 8 s timeout that has not happened in the runs so far, so the bound is the kill's).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type Receiver, smallestLead, startReceiver, tempDir, until } from './helpers.js';
import { postgresUnavailable, startPostgres, type ThrowawayPostgres } from './postgres.js';
import { type ServerProcess, spawnServe } from './process.js';

const LEADS = 5000;
const ADAPTERS = 4;
const FAIL_RATE = 0.2;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** mulberry32: a seeded generator, so a failing run fails the same requests again. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.skipIf(postgresUnavailable())('4 adapters on one PostgreSQL', () => {
  let pg: ThrowawayPostgres;
  let cli: string;
  let tmp: ReturnType<typeof tempDir>;
  let receiver: Receiver | undefined;
  const adapters: ServerProcess[] = [];

  beforeAll(async () => {
    // One after the other: if the build fails, the server is still known and stopped in afterAll.
    pg = await startPostgres();
    cli = await buildCli();
    tmp = tempDir();
  }, 60_000);
  afterAll(async () => {
    for (const a of adapters) {
      if (a.child.exitCode === null && a.child.signalCode === null) {
        a.child.kill('SIGKILL');
        await a.exited;
      }
    }
    await receiver?.close();
    await pg?.stop();
    tmp?.cleanup();
  });

  it('delivers all 5,000 leads through 20% receiver failures and a kill -9, with bounded duplicates', async () => {
    const random = seeded(7);
    const okCount = new Map<string, number>();
    let requests = 0;
    let failed = 0;
    receiver = await startReceiver((req, res) => {
      requests++;
      if (random() < FAIL_RATE) {
        failed++;
        res.writeHead(500).end('seeded failure');
        return;
      }
      const id = req.headers['webhook-id'] as string;
      okCount.set(id, (okCount.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
    const url = await pg.createDatabase();
    const config = join(tmp.dir, 'leadkit.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        security: { allowHosts: ['127.0.0.1'] },
        rateLimit: false,
        store: { type: 'postgres', url: { env: 'DATABASE_URL' }, max: 4 },
        delivery: { timeoutMs: 8000, leaseMs: 9000, pollMs: 50, jitter: 0, concurrency: 16 },
        destinations: [
          {
            type: 'webhook',
            name: 'crm',
            url: `${receiver.url}/hook`,
            secret: { env: 'CLUSTER_SECRET' },
            retry: { delaysMs: Array(30).fill(50) },
          },
        ],
      }),
    );
    // All four start at once: the migration runs once, under the advisory lock.
    adapters.push(
      ...(await Promise.all(
        Array.from({ length: ADAPTERS }, () =>
          spawnServe(cli, ['--config', config, '--port', '0'], { DATABASE_URL: url, CLUSTER_SECRET: SECRET }),
        ),
      )),
    );
    const victim = adapters[1]!;
    const sql = postgres(url, { max: 1, onnotice: () => {} });

    // Clients post with some concurrency, round-robin over the live adapters; a request that fails
    // (the victim died under it) is retried on another adapter with the same lead id, as a client would.
    const leads = Array.from({ length: LEADS }, () => smallestLead());
    let next = 0;
    let accepted = 0;
    let retriedPosts = 0;
    let heldByVictim = -1;
    const killAt = Math.floor(LEADS / 2);
    const live = () => adapters.filter((a) => a !== victim || heldByVictim < 0);
    // Leases name their holder (host:pid/uuid).
    const victimLeases = async () =>
      (
        await sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM leadkit.deliveries WHERE lease LIKE ${`%:${victim.child.pid}/%`}`
      )[0]!.n;
    const kill = async () => {
      // Mid-delivery: wait for a moment when it holds rows, so the kill leaves something to take over.
      await until(async () => (await victimLeases()) > 0, 'the victim holding leases', 30_000);
      victim.child.kill('SIGKILL');
      await victim.exited;
      heldByVictim = await victimLeases(); // what it held when it died
    };
    let killing: Promise<void> | undefined;
    const client = async () => {
      while (next < LEADS) {
        const i = next++;
        if (i === killAt) killing = kill();
        for (let attempt = 0; ; attempt++) {
          const targets = live();
          const target = targets[(i + attempt) % targets.length]!;
          try {
            const res = await fetch(`${target.url}/v1/leads`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(leads[i]),
            });
            await res.arrayBuffer();
            if (res.status === 202) {
              accepted++;
              break;
            }
            throw new Error(`HTTP ${res.status}`);
          } catch (error) {
            retriedPosts++;
            if (attempt > 5) throw error;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 12 }, client));
    await killing;
    expect(accepted).toBe(LEADS);
    expect(heldByVictim).toBeGreaterThanOrEqual(0);

    await until(
      async () => {
        const [r] = await sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM leadkit.deliveries WHERE status <> 'delivered'`;
        return r!.n === 0;
      },
      'every delivery delivered',
      90_000,
    );

    const [counts] = await sql<{ leads: number; delivered: number; attempts: number; migrations: number }[]>`
      SELECT (SELECT count(*)::int FROM leadkit.leads) AS leads,
             (SELECT count(*)::int FROM leadkit.deliveries WHERE status = 'delivered') AS delivered,
             (SELECT count(*)::int FROM leadkit.attempts) AS attempts,
             (SELECT count(*)::int FROM leadkit.migrations) AS migrations`;
    await sql.end();
    const duplicates = [...okCount.values()].reduce((n, c) => n + (c - 1), 0);
    const timedOut = adapters.flatMap((p) =>
      p.lines.filter((l) => l.event === 'attempt' && /timed out/.test(String(l.reason))),
    ).length;
    const lostRecords = adapters.flatMap((p) =>
      p.lines.filter((l) => l.event === 'attempt' && l.lost),
    ).length;
    const slowest = Math.max(
      ...adapters.flatMap((p) => p.lines.map((l) => (l.event === 'attempt' ? (l.ms as number) : 0))),
    );
    const report = {
      leads: counts!.leads,
      delivered: counts!.delivered,
      receiverRequests: requests,
      receiver500s: failed,
      recordedAttempts: counts!.attempts,
      postsRetriedOnAnotherAdapter: retriedPosts,
      leasesHeldByKilledAdapter: heldByVictim,
      duplicate2xx: duplicates,
      lostRecords,
      timedOut,
      slowest,
    };
    console.log(`postgres-cluster: ${JSON.stringify(report)}`);

    expect(counts).toMatchObject({ leads: LEADS, delivered: LEADS, migrations: 1 });
    const ids = new Set(leads.map((l) => l.id));
    expect(okCount.size).toBe(LEADS);
    for (const id of okCount.keys()) expect(ids.has(id)).toBe(true);
    // At least once, and "in practice once": a second 2xx only for rows in flight when they were given
    // up on: those the killed adapter held, and attempts that timed out (the receiver may have answered
    // after the deadline; on a loaded 2-core machine that happens).
    expect(duplicates).toBeLessThanOrEqual(heldByVictim + timedOut);
    // The receiver's failures really were retried: more requests than leads.
    expect(requests).toBeGreaterThan(LEADS);
  }, 180_000);
});
