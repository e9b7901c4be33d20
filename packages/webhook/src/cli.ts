#!/usr/bin/env node
/**
 * `leadkit-webhook`: serve, run workers, inspect leads and deliveries, replay. Inspection commands open the
 * store directly (the SQLite file is safe to open while the server runs: WAL allows it; PostgreSQL is
 * shared anyway), so they work without the admin token.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig } from './config.js';
import { startServer, startWorker } from './node.js';
import { generateSecret } from './signing.js';
import { openStore } from './store/open.js';
import { createSqliteStore } from './store/sqlite.js';
import type { DeliveryStatus } from './store/types.js';
import { describeTestSend, sendTestLead, type TestSend } from './test-send.js';

const HELP = `leadkit-webhook: receive leads, store them, deliver them to your CRM.

Usage:
  leadkit-webhook serve [--config leadkit.config.json] [--port 8787] [--host 127.0.0.1] [--db ./leadkit.db]
                        [--no-worker]   intake only: another process delivers
  leadkit-webhook worker [--config leadkit.config.json]   deliver only, no HTTP (intake runs elsewhere)
  leadkit-webhook leads list [--spam] [--limit 20] [--json]
  leadkit-webhook deliveries list [--failed | --status pending|delivered|failed] [--limit 50] [--json]
  leadkit-webhook replay <leadId>
  leadkit-webhook replay --failed-since <ISO time>
  leadkit-webhook test <destination> [--email you@example.com]
                                      send one sample lead to that destination now and say what it answered
  leadkit-webhook secret              print a new whsec_ signing secret
  leadkit-webhook erase --email <address>   erase that person's data from every lead (keeps counts)

Every command takes --config (default ./leadkit.config.json) and --db (default: the config's store.path,
resolved from the config file's folder, else ./leadkit.db); with store.type "postgres" they use store.url.
serve listens on 127.0.0.1 unless --host says otherwise. Inspection and replay work while the server runs.
On PostgreSQL, run any number of serve and worker processes against one database.
`;

/** A mistake in how the command was called: print it with a hint, exit 2. */
class UsageError extends Error {}

const DEFAULT_CONFIG = 'leadkit.config.json';

function readConfigFile(path: string, required: boolean): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(
      `Cannot read the config file ${path}: ${(err as Error).message}. Create it (see the README) or pass --config <file>.`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

function dbPathFor(values: { db?: string | undefined; config?: string | undefined }): string {
  if (values.db) return values.db;
  const configPath = values.config ?? DEFAULT_CONFIG;
  const raw = readConfigFile(configPath, values.config !== undefined) as
    | { store?: { path?: unknown } }
    | undefined;
  const path = raw?.store?.path;
  return typeof path === 'string' ? resolve(dirname(configPath), path) : './leadkit.db';
}

/** The store inspection commands read: PostgreSQL when the config says so, else the SQLite file. */
async function inspectionStore(values: { db?: string | undefined; config?: string | undefined }) {
  const configPath = values.config ?? DEFAULT_CONFIG;
  const raw = values.db ? undefined : readConfigFile(configPath, values.config !== undefined);
  if ((raw as { store?: { type?: unknown } } | undefined)?.store?.type === 'postgres') {
    return openStore(parseConfig(raw, { source: configPath }));
  }
  const dbPath = dbPathFor(values);
  if (!existsSync(dbPath)) {
    throw new UsageError(
      `No database at ${dbPath}. Start the server first, or pass --db <file> / --config <file>.`,
    );
  }
  return createSqliteStore({ path: dbPath, fileMustExist: true });
}

function time(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString();
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      db: { type: 'string' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      limit: { type: 'string' },
      spam: { type: 'boolean' },
      failed: { type: 'boolean' },
      status: { type: 'string' },
      'failed-since': { type: 'string' },
      email: { type: 'string' },
      json: { type: 'boolean' },
      'no-worker': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, arg] = positionals;
  if (values.help || !command) {
    process.stdout.write(HELP);
    return command || values.help ? 0 : 2;
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new UsageError(`--limit must be a positive whole number (got "${values.limit}").`);
  }

  if (command === 'serve') {
    const configPath = values.config ?? DEFAULT_CONFIG;
    const config = parseConfig(readConfigFile(configPath, true), { source: configPath });
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
      throw new UsageError(`--port must be a port number 0-65535 (got "${values.port}").`);
    }
    const dbPath = values.db ?? resolve(dirname(configPath), config.store.path);
    await startServer({ config, port, host: values.host, dbPath, deliver: !values['no-worker'] });
    return -1; // keep running until a signal
  }

  if (command === 'worker') {
    const configPath = values.config ?? DEFAULT_CONFIG;
    const config = parseConfig(readConfigFile(configPath, true), { source: configPath });
    const dbPath = values.db ?? resolve(dirname(configPath), config.store.path);
    await startWorker({ config, dbPath });
    return -1;
  }

  if (command === 'test') {
    if (!sub || arg) throw new UsageError('Name one destination: leadkit-webhook test <destination name>');
    const configPath = values.config ?? DEFAULT_CONFIG;
    const config = parseConfig(readConfigFile(configPath, true), { source: configPath });
    let send: TestSend;
    try {
      send = await sendTestLead(config, sub, { email: values.email });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    process.stdout.write(describeTestSend(sub, send));
    if (send.result.kind === 'ok') {
      process.stdout.write(
        'It is not stored here; in the CRM it is a real record named "Leadkit Test" to delete.\n',
      );
    }
    return send.result.kind === 'ok' ? 0 : 1;
  }

  if (command === 'secret') {
    process.stdout.write(`${generateSecret()}\n`);
    return 0;
  }

  const store = await inspectionStore(values);
  try {
    if (command === 'leads' && sub === 'list') {
      const leads = await store.listLeads({ limit: limit ?? 20, spam: values.spam ?? false });
      if (values.json) {
        for (const l of leads) process.stdout.write(`${JSON.stringify(l)}\n`);
      } else if (leads.length === 0) {
        process.stdout.write(values.spam ? 'The spam list is empty.\n' : 'No leads yet.\n');
      } else {
        const rows = [['RECEIVED', 'ID', 'FORM', 'CHANNEL', values.spam ? 'SPAM REASON' : 'FIRST TOUCH']];
        for (const l of leads) {
          const a = l.lead.attribution;
          rows.push([
            time(l.receivedAt),
            l.lead.id,
            l.lead.formId,
            a?.lastTouch.channel ?? '-',
            values.spam ? (l.spamReason ?? '') : a ? `${a.firstTouch.source} / ${a.firstTouch.medium}` : '-',
          ]);
        }
        process.stdout.write(`${table(rows)}\n`);
      }
      return 0;
    }
    if (command === 'deliveries' && sub === 'list') {
      const status = values.failed ? 'failed' : values.status;
      if (status !== undefined && !['pending', 'delivered', 'failed'].includes(status)) {
        throw new UsageError(`--status must be pending, delivered or failed (got "${status}").`);
      }
      const rows = await store.listDeliveries({
        status: status as DeliveryStatus | undefined,
        limit: limit ?? 50,
      });
      if (values.json) {
        for (const d of rows) process.stdout.write(`${JSON.stringify(d)}\n`);
      } else if (rows.length === 0) {
        process.stdout.write(`No ${status ?? ''} deliveries.\n`.replace('  ', ' '));
      } else {
        const out = [['ID', 'LEAD', 'DESTINATION', 'STATUS', 'ATTEMPTS', 'UPDATED', 'LAST ERROR']];
        for (const d of rows) {
          out.push([
            String(d.id),
            d.leadId,
            d.destination,
            d.status === 'failed' && d.permanent ? 'failed (refused)' : d.status,
            String(d.attempts),
            time(d.updatedAt),
            d.lastError ?? '',
          ]);
        }
        process.stdout.write(`${table(out)}\n`);
      }
      return 0;
    }
    if (command === 'erase') {
      const email = values.email?.trim();
      if (!email?.includes('@') || sub) {
        throw new UsageError('Give the address to erase: leadkit-webhook erase --email person@example.com');
      }
      const { leads } = await store.eraseByEmail(email, Date.now());
      process.stdout.write(
        leads === 0
          ? 'No leads with that address; the erasure is recorded anyway.\n'
          : `Erased the personal data of ${leads} lead${leads === 1 ? '' : 's'}; channels, campaigns, stages and outcomes stay for reports.\n`,
      );
      return 0;
    }
    if (command === 'replay') {
      const now = Date.now();
      const since = values['failed-since'];
      if (since !== undefined) {
        const t = Date.parse(since);
        if (Number.isNaN(t))
          throw new UsageError(`--failed-since must be an ISO 8601 time (got "${since}").`);
        const n = await store.replayFailedSince(t, now);
        process.stdout.write(`Queued ${n} failed deliveries since ${new Date(t).toISOString()} again.\n`);
        return 0;
      }
      const leadId = sub;
      if (!leadId || arg) throw new UsageError('Give one lead id, or --failed-since <time>.');
      const n = await store.replayLead(leadId, now);
      if (n === 0) {
        process.stderr.write(
          `No deliveries for lead ${leadId}: unknown id, or the lead is in the spam list.\n`,
        );
        return 1;
      }
      process.stdout.write(`Queued ${n} deliveries of lead ${leadId} again.\n`);
      return 0;
    }
  } finally {
    await store.close();
  }
  throw new UsageError(`Unknown command "${positionals.join(' ')}".`);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(
        `leadkit-webhook: ${(err as Error).message}\nRun leadkit-webhook --help for usage.\n`,
      );
      process.exitCode = 2;
    } else if (err instanceof ConfigError) {
      process.stderr.write(`leadkit-webhook: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`leadkit-webhook: ${(err as Error)?.message ?? String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
