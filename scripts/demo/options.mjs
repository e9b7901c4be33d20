/**
 * The demo's command line: flags win over environment variables, which win over defaults.
 * Every server listens on 127.0.0.1 unless --host says otherwise.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const USAGE = `Usage: pnpm start [options]

  --host <address>       where every server listens (LEADKIT_HOST, default 127.0.0.1)
  --site-port <port>     the demo landing page (LEADKIT_SITE_PORT, default 5180)
  --crm-port <port>      the receiving "CRM" (LEADKIT_CRM_PORT, default 5181)
  --webhook-port <port>  the webhook adapter (LEADKIT_WEBHOOK_PORT, default: "port" in the config, else 8787)
  --config <file>        the adapter's config (LEADKIT_CONFIG, default leadkit.config.json)
  --data-dir <dir>       database, admin token, CRM secret and received webhooks (LEADKIT_DATA_DIR, default .data)
  --no-build             do not rebuild packages whose sources changed
  --help                 this text

Port 0 picks a free port.`;

/** A mistake in how the demo was started: printed with the usage, exit code 2. */
export class UsageError extends Error {}

function port(name, value) {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new UsageError(`${name} must be a port number from 0 to 65535, not "${value}".`);
  }
  return n;
}

/**
 * @param {string[]} argv arguments after the script name
 * @param {Record<string, string | undefined>} env
 * @param {string} root the repository root (relative paths resolve from the current directory)
 */
export function readOptions(argv, env, root) {
  // `pnpm start -- --flag` passes the `--` along.
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      host: { type: 'string' },
      'site-port': { type: 'string' },
      'crm-port': { type: 'string' },
      'webhook-port': { type: 'string' },
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      'no-build': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const dataDir = values['data-dir'] ?? env.LEADKIT_DATA_DIR;
  return {
    help: values.help === true,
    build: values['no-build'] !== true,
    host: values.host ?? env.LEADKIT_HOST ?? '127.0.0.1',
    sitePort: port('--site-port', values['site-port'] ?? env.LEADKIT_SITE_PORT) ?? 5180,
    crmPort: port('--crm-port', values['crm-port'] ?? env.LEADKIT_CRM_PORT) ?? 5181,
    /** undefined: the config's `port` (8787 by default). */
    webhookPort: port('--webhook-port', values['webhook-port'] ?? env.LEADKIT_WEBHOOK_PORT),
    configPath: resolve(values.config ?? env.LEADKIT_CONFIG ?? resolve(root, 'leadkit.config.json')),
    /** undefined: next to the database the config names (`.data/` for the repository's config). */
    dataDir: dataDir ? resolve(dataDir) : undefined,
  };
}
