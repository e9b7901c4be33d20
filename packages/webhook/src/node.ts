/**
 * `@leadkit/webhook/node`: the handler on node:http, with the store (SQLite, or PostgreSQL when the config
 * says so) and the delivery worker in the same process, retention purges, and a graceful stop on
 * SIGINT/SIGTERM. `startWorker` runs the worker alone (intake elsewhere, e.g. serverless).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type LeadkitConfig, type LeadkitConfigInput, parseConfig } from './config.js';
import { createDestination } from './destinations/index.js';
import { createRouter, type LeadkitHandler, type Router, toFetchHandler } from './handler.js';
import type { Incoming } from './http.js';
import { batchedLineWriter, jsonLogger, type Logger } from './log.js';
import { createSpeedToLeadAlert } from './speed-to-lead.js';
import { createGuardedFetch } from './ssrf.js';
import { openStore } from './store/open.js';
import type { Store } from './store/types.js';
import { createWorker, type DeliveryWorker } from './worker.js';

export interface StartServerOptions {
  config: LeadkitConfig | LeadkitConfigInput;
  /** Defaults to config.port (8787); 0 picks a free port. */
  port?: number;
  /** Defaults to config.host (127.0.0.1). Use 0.0.0.0 to listen on every interface. */
  host?: string;
  /** SQLite file; defaults to config.store.path (./leadkit.db). Ignored for a postgres store. */
  dbPath?: string;
  log?: Logger;
  /** Stop gracefully on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
  /** fetch for destinations; defaults to the SSRF guard with config.security.allowHosts. */
  fetch?: typeof fetch;
  /**
   * Run the delivery worker in this process (default true). False makes an intake-only node: leads are
   * stored and queued, and another process (`startServer` elsewhere, or `createWorker`) delivers them.
   */
  deliver?: boolean;
  /** The clock for receipt times and admin actions (tests replay weeks of leads); Date.now by default. */
  now?: () => number;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  server: Server;
  /** The store the config names (a `SqliteStore` unless store.type is postgres). */
  store: Store;
  worker: DeliveryWorker;
  handler: LeadkitHandler;
  /** Stops accepting, finishes or gives back deliveries in flight, closes the database. */
  close(): Promise<void>;
}

const PURGE_EVERY_MS = 3_600_000;

function socketIp(req: IncomingMessage): string | undefined {
  const a = req.socket.remoteAddress;
  return a?.startsWith('::ffff:') ? a.slice(7) : a;
}

/** Reads at most `limit` bytes; stops reading (without draining) past it, so an oversized body costs little. */
function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; overflow: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', reject);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
      if (size > limit) {
        done();
        req.pause();
        resolve({ body: Buffer.concat(chunks), overflow: true });
      }
    };
    const onEnd = () => {
      done();
      resolve({ body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), overflow: false });
    };
    // Before 'end', the client gave up and nobody waits for an answer. (Every request emits 'close'
    // eventually: the listener goes at 'end' so a finished read builds no Error.)
    const onClose = () => {
      done();
      reject(new Error('the client closed the connection before sending the whole body'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
    req.on('close', onClose);
  });
}

/**
 * Adapts node:http to the router without building Fetch Request/Response objects: they cost more per
 * request than validating and storing the lead (see bench/intake.bench.mjs).
 */
function toNodeListener(router: Router): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let overflow = false;
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      // A throw here would escape the request listener and stop the process.
      res.writeHead(400, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: 'The request target is not a valid URL path.' }));
      return;
    }
    const incoming: Incoming = {
      method: req.method ?? 'GET',
      url,
      header(name) {
        const v = req.headers[name];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
      },
      async text(maxBytes) {
        const read = await readBody(req, maxBytes);
        overflow = read.overflow;
        return read.overflow ? undefined : read.body.toString('utf8');
      },
      ip: socketIp(req),
    };
    router(incoming).then(
      (reply) => {
        // A body we stopped reading cannot be drained cheaply: close the connection after answering.
        const headers = overflow ? { ...reply.headers, connection: 'close' } : reply.headers;
        res.writeHead(reply.status, headers);
        res.end(incoming.method === 'HEAD' ? undefined : (reply.body ?? undefined));
        if (overflow) res.once('finish', () => req.destroy());
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `Internal error: ${(err as Error)?.message}` }));
      },
    );
  };
}

/** The speed-to-lead alert, when configured, with its Slack destination's retries. */
function alertDestinations(config: LeadkitConfig) {
  const alert = createSpeedToLeadAlert(config);
  if (!alert) return [];
  const slack = config.destinations.find((d) => d.name === config.alerts.speedToLead?.destination);
  return [{ destination: alert, delaysMs: slack?.retry?.delaysMs, timeoutMs: slack?.timeoutMs }];
}

function workerFor(config: LeadkitConfig, store: Store, log: Logger, fetch?: typeof globalThis.fetch) {
  const deps = { allowHosts: config.security.allowHosts };
  return createWorker({
    store,
    destinations: [
      ...config.destinations.map((d) => ({
        destination: createDestination(d, deps),
        delaysMs: d.retry?.delaysMs,
        timeoutMs: d.timeoutMs,
      })),
      ...alertDestinations(config),
    ],
    fetch: fetch ?? createGuardedFetch({ allowHosts: config.security.allowHosts }),
    ...config.delivery,
    log,
  });
}

/**
 * Wakes the worker when another process queues deliveries (PostgreSQL NOTIFY), instead of at its next
 * poll. Without it (SQLite, or LISTEN refused by a pooler) polling still delivers everything.
 */
async function wakeOnQueued(store: Store, worker: DeliveryWorker, log: Logger): Promise<void> {
  if (!store.onQueued) return;
  try {
    await store.onQueued(() => worker.wake());
  } catch (err) {
    log({
      event: 'worker',
      level: 'warn',
      message: `cannot listen for new deliveries (${(err as Error).message}); polling every delivery.pollMs instead`,
    });
  }
}

/** Deletes leads past config.retentionDays now and every hour (idempotent: every process may run it). */
function startPurging(config: LeadkitConfig, store: Store, log: Logger) {
  const purge = async () => {
    try {
      const deleted = await store.purge(Date.now() - config.retentionDays * 86_400_000);
      if (deleted) log({ event: 'purge', deleted, retentionDays: config.retentionDays });
    } catch (err) {
      log({ event: 'purge', level: 'error', message: (err as Error).message });
    }
  };
  const timer = setInterval(purge, PURGE_EVERY_MS);
  timer.unref();
  return { first: purge(), stop: () => clearInterval(timer) };
}

/**
 * `close()` for a server or worker: runs `stop` once however often it is called, logs `stopped`, and (with
 * `onSignals`) runs on SIGINT/SIGTERM and then exits.
 */
function stopOnce(event: 'server' | 'worker', log: Logger, onSignals: boolean, stop: () => Promise<void>) {
  let closing: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    log({ event, message: `${signal}: stopping` });
    void close().then(() => process.exit(0));
  };
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await stop();
      log({ event, message: 'stopped' });
    })());
  if (onSignals) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return close;
}

/** Starts the server, store and worker; resolves once it is listening. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const config = parseConfig(options.config);
  const log = options.log ?? jsonLogger(batchedLineWriter(process.stdout));
  const store = await openStore(config, { dbPath: options.dbPath });
  const worker = workerFor(config, store, log, options.fetch);
  const router = createRouter(config, { store, onQueued: () => worker.wake(), log, now: options.now });
  const handler = toFetchHandler(router);
  const server = createServer(toNodeListener(router));
  // Slow clients may not hold sockets forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;

  const purging = startPurging(config, store, log);
  await purging.first;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.port, options.host ?? config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (options.deliver !== false) {
    await wakeOnQueued(store, worker, log);
    worker.start();
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log({
    event: 'server',
    message: 'listening',
    url,
    destinations: config.destinations.map((d) => d.name),
    store: config.store.type,
    worker: options.deliver !== false,
  });

  const close = stopOnce('server', log, options.handleSignals !== false, async () => {
    purging.stop();
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await worker.stop();
    server.closeAllConnections();
    await stopped;
    await store.close();
  });
  return { url, port: address.port, server, store, worker, handler, close };
}

export interface StartWorkerOptions {
  config: LeadkitConfig | LeadkitConfigInput;
  /** SQLite file (a worker beside an intake-only server on the same machine); ignored for postgres. */
  dbPath?: string;
  log?: Logger;
  /** Stop gracefully on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
  fetch?: typeof fetch;
}

export interface RunningWorker {
  store: Store;
  worker: DeliveryWorker;
  /** Finishes or gives back deliveries in flight, closes the store. */
  close(): Promise<void>;
}

/**
 * Runs the delivery worker without HTTP intake: intake runs elsewhere (serverless, or `serve --no-worker`)
 * and writes to the same store. Start as many as you like on PostgreSQL; they share rows by lease.
 */
export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const config = parseConfig(options.config);
  const log = options.log ?? jsonLogger(batchedLineWriter(process.stdout));
  const store = await openStore(config, { dbPath: options.dbPath });
  const worker = workerFor(config, store, log, options.fetch);
  const purging = startPurging(config, store, log);
  await purging.first;
  await wakeOnQueued(store, worker, log);
  worker.start();
  // The worker's timers are unref'd (they must not hold a server's process open); with no HTTP server
  // here, this keeps the process running until close().
  const keepAlive = setInterval(() => {}, 1 << 30);
  log({
    event: 'worker',
    message: 'started',
    destinations: config.destinations.map((d) => d.name),
    store: config.store.type,
  });
  const close = stopOnce('worker', log, options.handleSignals !== false, async () => {
    purging.stop();
    await worker.stop();
    await store.close();
    clearInterval(keepAlive);
  });
  return { store, worker, close };
}

export { createGuardedFetch } from './ssrf.js';
export { createSqliteStore, type SqliteStore, StoreError } from './store/sqlite.js';
export type { Store } from './store/types.js';
