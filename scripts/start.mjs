#!/usr/bin/env node
/**
 * `pnpm start`: the whole product on one machine. Builds the packages if needed, then runs, in this
 * process: the webhook adapter (@leadkit/webhook, SQLite in the data folder), a demo landing site with
 * the widget by script tag, and a receiving "CRM" that verifies the signed webhooks. Ctrl-C stops all.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuilt } from './demo/build.mjs';
import { createCrm, WEBHOOK_PATH } from './demo/crm.mjs';
import { demoSecrets } from './demo/data.mjs';
import { close, describeListenError, listen, PortError } from './demo/listen.mjs';
import { demoLogger } from './demo/log.mjs';
import { readOptions, USAGE, UsageError } from './demo/options.mjs';
import { createSite } from './demo/site.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A path as short as it can be shown: relative to the current folder unless it lies outside it. */
function shown(path) {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function readConfig(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read the config ${path}: ${err.message}. Pass --config <file>.`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path} is not valid JSON: ${err.message}`);
  }
}

/** Campaign links a marketer would send; each lands on the demo page with a different channel. */
function campaignLinks(siteUrl, crmUrl) {
  const crm = new URL(crmUrl);
  const other = crm.hostname === '127.0.0.1' ? 'localhost' : crm.hostname;
  return [
    ['Paid search', `${siteUrl}/?gclid=demo-gclid-4815&utm_campaign=brand_search`],
    ['Paid social', `${siteUrl}/?utm_source=linkedin&utm_medium=paid_social&utm_campaign=q4_launch`],
    ['Email', `${siteUrl}/?utm_source=newsletter&utm_medium=email&utm_campaign=november_digest`],
    ['Referral', `http://${other}:${crm.port}/go`],
  ];
}

async function main() {
  const options = readOptions(process.argv.slice(2), process.env, root);
  if (options.help) {
    console.log(USAGE);
    return;
  }
  if (options.build) ensureBuilt(root);
  const { startServer } = await import(pathToFileURL(join(root, 'packages/webhook/dist/node.js')).href);
  const { generateSecret, parseConfig, verifyWebhook } = await import(
    pathToFileURL(join(root, 'packages/webhook/dist/index.js')).href
  );

  const raw = readConfig(options.configPath);
  const configDir = dirname(options.configPath);
  const storePath = typeof raw.store?.path === 'string' ? resolve(configDir, raw.store.path) : undefined;
  const dataDir = options.dataDir ?? (storePath ? dirname(storePath) : join(root, '.data'));
  const dbPath = options.dataDir || !storePath ? join(dataDir, 'leadkit.db') : storePath;
  const secrets = demoSecrets(dataDir, generateSecret);

  const { host } = options;
  let siteUrl = '';
  let crmUrl = '';
  let endpoint = '';
  const crm = createCrm({ secret: secrets.crmSecret, dataDir, siteUrl: () => siteUrl, verifyWebhook });
  const site = createSite({ root, endpoint: () => endpoint, crmUrl: () => crmUrl });
  const servers = [crm.server, site];
  let webhook;
  const stopAll = async () => {
    await Promise.all(servers.map(close));
    await webhook?.close();
  };

  try {
    crmUrl = await listen(crm.server, {
      what: 'demo CRM',
      port: options.crmPort,
      host,
      flag: 'crm-port',
      env: 'LEADKIT_CRM_PORT',
    });
    siteUrl = await listen(site, {
      what: 'landing site',
      port: options.sitePort,
      host,
      flag: 'site-port',
      env: 'LEADKIT_SITE_PORT',
    });

    // The config's { "env": ... } references that the demo fills in (a value you export wins).
    process.env.LEADKIT_DEMO_SITE_ORIGIN ??= siteUrl;
    process.env.LEADKIT_DEMO_CRM_URL ??= `${crmUrl}${WEBHOOK_PATH}`;
    process.env.LEADKIT_DEMO_CRM_SECRET ??= secrets.crmSecret;
    process.env.LEADKIT_ADMIN_TOKEN ??= secrets.adminToken;
    const config = parseConfig(raw, { source: relative(process.cwd(), options.configPath) || 'config' });
    const webhookPort = options.webhookPort ?? config.port;
    try {
      webhook = await startServer({
        config,
        port: webhookPort,
        host,
        dbPath,
        handleSignals: false,
        log: demoLogger(),
      });
    } catch (err) {
      throw describeListenError(err, {
        what: 'webhook adapter',
        port: webhookPort,
        host,
        flag: 'webhook-port',
        env: 'LEADKIT_WEBHOOK_PORT',
      });
    }
    endpoint = `${webhook.url}/v1/leads`;
  } catch (err) {
    await stopAll();
    throw err;
  }

  // Listen for Ctrl-C before the banner says to press it.
  let stoppingSince = 0;
  const stop = (signal) => {
    if (stoppingSince) {
      // Ctrl-C reaches both pnpm and this process, and pnpm may pass it on: a repeat right away is the same one.
      if (Date.now() - stoppingSince < 1000) return;
      console.log('Stopping anyway.');
      process.exit(1);
    }
    stoppingSince = Date.now();
    console.log(`\n${signal}: stopping (deliveries in flight get up to 10 s)...`);
    stopAll().then(
      () => {
        console.log('Stopped. `pnpm start` again finds the same leads.');
        process.exit(0);
      },
      (err) => {
        console.error(`Could not stop cleanly: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const token = process.env.LEADKIT_ADMIN_TOKEN;
  const links = campaignLinks(siteUrl, crmUrl);
  const pad = (s) => s.padEnd(14);
  console.log(`
Leadkit demo is running. Data: ${shown(dataDir)}/  Config: ${shown(options.configPath)}

  ${pad('Landing page')}${siteUrl}/
  ${pad('Inbox')}${webhook.url}/inbox?token=${token}
  ${pad('Demo CRM')}${crmUrl}/
  ${pad('Intake API')}${endpoint}

Campaign links to try (open one, fill in the form, then look at the inbox and the CRM):
${links.map(([name, url]) => `  ${pad(name)}${url}`).join('\n')}
  The referral link is a page on another host name that links to the landing page, so your browser
  sends a real Referer. Open two links one after the other to see first touch and last touch differ.

Press Ctrl-C to stop.
`);
}

main().catch((err) => {
  if (err instanceof UsageError || err?.code?.startsWith?.('ERR_PARSE_ARGS')) {
    console.error(`${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(err instanceof PortError || err?.name === 'ConfigError' ? err.message : err);
  process.exit(1);
});
