/** `pnpm start`'s failures: a taken port and a bad flag say what is wrong and what to do. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuilt } from './demo/build.mjs';
import { ROOT, runDemo, startDemo } from './test/demo-process.js';

let busy: Server;
let port: number;
let dataDir: string;

beforeAll(async () => {
  ensureBuilt(ROOT);
  dataDir = mkdtempSync(join(tmpdir(), 'leadkit-demo-ports-'));
  busy = createServer((_req, res) => res.end('taken'));
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  port = (busy.address() as AddressInfo).port;
}, 300_000);
afterAll(() => {
  busy?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const free = ['--data-dir', '', '--no-build', '--site-port', '0', '--crm-port', '0', '--webhook-port', '0'];
const withPort = (flag: string) => {
  const args = [...free];
  args[1] = dataDir;
  args[args.indexOf(flag) + 1] = String(port);
  return args;
};

it.each([
  ['--webhook-port', 'webhook adapter', 'LEADKIT_WEBHOOK_PORT'],
  ['--site-port', 'landing site', 'LEADKIT_SITE_PORT'],
  ['--crm-port', 'demo CRM', 'LEADKIT_CRM_PORT'],
])('a taken %s stops the demo with a message naming the server and the flag', async (flag, what, env) => {
  const { code, output } = await runDemo(withPort(flag));
  expect(code).toBe(1);
  expect(output).toContain(`Port ${port} on 127.0.0.1 is already in use, so the ${what} cannot start.`);
  expect(output).toContain(`pnpm start ${flag} ${port + 1} (or ${env}=${port + 1})`);
  expect(output).not.toContain('    at '); // a message, not a stack trace
});

it('an unknown flag prints the usage and exits 2', async () => {
  const { code, output } = await runDemo(['--site', '80']);
  expect(code).toBe(2);
  expect(output).toContain("Unknown option '--site'");
  expect(output).toContain('--site-port <port>');
});

it('a port that is not a number is refused before anything starts', async () => {
  const { code, output } = await runDemo(['--crm-port', 'abc']);
  expect(code).toBe(2);
  expect(output).toContain('--crm-port must be a port number from 0 to 65535, not "abc".');
});

it('Ctrl-C through pnpm (the same SIGINT twice at once) still stops cleanly, with exit code 0', async () => {
  const args = [...free];
  args[1] = dataDir;
  const demo = await startDemo(args);
  demo.child.kill('SIGINT');
  demo.child.kill('SIGINT');
  expect(await demo.stop()).toBe(0);
  expect(demo.output()).toContain('Stopped.');
  expect(demo.output()).not.toContain('Stopping anyway');
});
