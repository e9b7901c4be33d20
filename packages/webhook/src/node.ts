/**
 * `@leadkit/webhook/node`: the handler on node:http, with the SQLite store and the delivery worker in the
 * same process, retention purges, and a graceful stop on SIGINT/SIGTERM.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type LeadkitConfig, type LeadkitConfigInput, parseConfig } from './config.js';
import { createDestination } from './destinations/index.js';
import { createRouter, type LeadkitHandler, type Router, toFetchHandler } from './handler.js';
import type { Incoming } from './http.js';
import { batchedLineWriter, jsonLogger, type Logger } from './log.js';
import { createGuardedFetch } from './ssrf.js';
import { createSqliteStore, type SqliteStore } from './store/sqlite.js';
import { createWorker, type DeliveryWorker } from './worker.js';

export interface StartServerOptions {
  config: LeadkitConfig | LeadkitConfigInput;
  /** Defaults to config.port (8787); 0 picks a free port. */
  port?: number;
  /** Defaults to config.host (127.0.0.1). Use 0.0.0.0 to listen on every interface. */
  host?: string;
  /** SQLite file; defaults to config.store.path (./leadkit.db). */
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
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  server: Server;
  store: SqliteStore;
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

/** Starts the server, store and worker; resolves once it is listening. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const config = parseConfig(options.config);
  const log = options.log ?? jsonLogger(batchedLineWriter(process.stdout));
  const store = createSqliteStore({ path: options.dbPath ?? config.store.path });
  const deps = { allowHosts: config.security.allowHosts };
  const worker = createWorker({
    store,
    destinations: config.destinations.map((d) => ({
      destination: createDestination(d, deps),
      delaysMs: d.retry?.delaysMs,
      timeoutMs: d.timeoutMs,
    })),
    fetch: options.fetch ?? createGuardedFetch({ allowHosts: config.security.allowHosts }),
    ...config.delivery,
    log,
  });
  const router = createRouter(config, { store, onQueued: () => worker.wake(), log });
  const handler = toFetchHandler(router);
  const server = createServer(toNodeListener(router));
  // Slow clients may not hold sockets forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;

  const purge = async () => {
    try {
      const deleted = await store.purge(Date.now() - config.retentionDays * 86_400_000);
      if (deleted) log({ event: 'purge', deleted, retentionDays: config.retentionDays });
    } catch (err) {
      log({ event: 'purge', level: 'error', message: (err as Error).message });
    }
  };
  await purge();
  const purgeTimer = setInterval(purge, PURGE_EVERY_MS);
  purgeTimer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.port, options.host ?? config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (options.deliver !== false) worker.start();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log({ event: 'server', message: 'listening', url, destinations: config.destinations.map((d) => d.name) });

  let closing: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    log({ event: 'server', message: `${signal}: stopping` });
    void close().then(() => process.exit(0));
  };
  function close(): Promise<void> {
    closing ??= (async () => {
      if (options.handleSignals !== false) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      clearInterval(purgeTimer);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await worker.stop();
      server.closeAllConnections();
      await stopped;
      await store.close();
      log({ event: 'server', message: 'stopped' });
    })();
    return closing;
  }
  if (options.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return { url, port: address.port, server, store, worker, handler, close };
}

export { createGuardedFetch } from './ssrf.js';
export { createSqliteStore, type SqliteStore, StoreError } from './store/sqlite.js';
