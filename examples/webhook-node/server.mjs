/**
 * The Leadkit adapter on Node: reads leadkit.config.json (with its { "env": ... } values), stores leads
 * in SQLite next to it and delivers each one to the destinations. Ctrl-C stops it gracefully.
 *
 *   PORT=8787 node server.mjs
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, parseConfig } from '@leadkit/webhook';
import { startServer } from '@leadkit/webhook/node';

const here = dirname(fileURLToPath(import.meta.url));
const configPath = process.env.LEADKIT_CONFIG ?? join(here, 'leadkit.config.json');

let config;
try {
  config = parseConfig(JSON.parse(readFileSync(configPath, 'utf8')), { source: configPath });
} catch (err) {
  // ConfigError lists every key that is wrong, e.g. an environment variable that is not set.
  console.error(err instanceof ConfigError ? err.message : `Cannot read ${configPath}: ${err.message}`);
  process.exit(2);
}

const server = await startServer({
  config,
  port: process.env.PORT === undefined ? config.port : Number(process.env.PORT),
  dbPath: process.env.LEADKIT_DB ?? resolve(dirname(configPath), config.store.path),
});
console.error(`Leadkit adapter listening on ${server.url} (POST /v1/leads, GET /inbox?token=...)`);
