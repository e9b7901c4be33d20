/**
 * The README's quick start, run as written: its config file, `leadkit-webhook serve`, its curl body, its
 * receiver snippet (signature check and dedupe) and its example request. Ports are the only change.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret, verifyWebhook } from '../src/signing.js';
import { buildCli, PACKAGE_DIR, tempDir, until } from './helpers.js';
import { freePort, type ServerProcess, spawnServe } from './process.js';

const readme = readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, code: m[2]! }));
const configJson = blocks.find((b) => b.lang === 'json')!.code;
const receiverJs = blocks.find((b) => b.lang === 'js' && b.code.includes('verifyWebhook'))!.code;
const curl = blocks.find((b) => b.lang === 'sh' && b.code.includes('curl'))!.code;
const httpExample = blocks.find((b) => b.lang === 'http')!.code;

let tmp: ReturnType<typeof tempDir>;
let server: ServerProcess | undefined;
let receiver: ChildProcess | undefined;
let receiverOut = '';
const built: string[] = [];

beforeAll(async () => {
  tmp = tempDir();
});
afterAll(async () => {
  server?.child.kill('SIGKILL');
  receiver?.kill('SIGKILL');
  tmp.cleanup();
  for (const f of built) rmSync(f, { force: true });
});

describe('README quick start', () => {
  it('serves the config, accepts the curl lead and delivers it to the receiver snippet', async () => {
    const cli = await buildCli();
    built.push(cli);
    const receiverPort = await freePort();
    const secret = generateSecret();
    const config = join(tmp.dir, 'leadkit.config.json');
    writeFileSync(config, configJson.replace('127.0.0.1:4000', `127.0.0.1:${receiverPort}`));

    // The receiver snippet, bundled against this package's source.
    const { build } = await import('esbuild');
    const snippet = join(
      PACKAGE_DIR,
      'node_modules',
      '.cache',
      'leadkit-test',
      `readme-receiver-${process.pid}.mjs`,
    );
    await build({
      stdin: {
        contents: receiverJs.replace('listen(4000', `listen(${receiverPort}`),
        resolveDir: PACKAGE_DIR,
      },
      outfile: snippet,
      bundle: true,
      platform: 'node',
      format: 'esm',
      conditions: ['@leadkit/source'],
      alias: { '@leadkit/webhook': join(PACKAGE_DIR, 'src', 'index.ts') },
      external: ['better-sqlite3', 'undici', 'rate-limiter-flexible', 'zod', 'ky'],
      logLevel: 'silent',
    });
    built.push(snippet);
    receiver = spawn(process.execPath, [snippet], {
      env: { ...process.env, LEADKIT_HOOK_SECRET: secret },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    receiver.stdout!.on('data', (c: Buffer) => {
      receiverOut += c.toString();
    });

    server = await spawnServe(cli, ['--config', config, '--port', '0'], {
      LEADKIT_HOOK_SECRET: secret,
      LEADKIT_ADMIN_TOKEN: 'readme-admin-token-0123456789',
    });
    const body = curl.match(/-d '([^']+)'/)![1]!;
    const post = () =>
      fetch(`${server!.url}/v1/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const res = await post();
    expect(res.status).toBe(202);
    expect(await res.text()).toBe(curl.match(/# (\{"id":[^}]+\})/)![1]);
    expect((await post()).status).toBe(202);

    await until(() => receiverOut.includes('new lead'), 'the receiver snippet to log the lead');
    expect(receiverOut).toBe("new lead { email: 'ada@example.com' }\n");
    const inbox = await fetch(`${server.url}/inbox?token=readme-admin-token-0123456789`);
    expect(await inbox.text()).toContain('my-app: delivered');
  });

  it('shows a request that verifies with the secret it names', () => {
    const [head, body] = httpExample.split('\n\n');
    const headers = Object.fromEntries(
      head!
        .split('\n')
        .slice(1)
        .map((l) => l.split(': ') as [string, string]),
    );
    const secret = readme.match(/secret `(whsec_[^`]+)`/)![1]!;
    const out = verifyWebhook({
      secret,
      headers,
      body: body!.trim(),
      now: new Date(Number(headers['webhook-timestamp']) * 1000),
    });
    expect(out.id).toBe('lead_01HZX3J8Q2ABC');
  });
});
