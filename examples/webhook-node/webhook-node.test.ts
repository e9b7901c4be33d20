/**
 * The webhook-node example as a child process: one lead delivered to the signed webhook receiver
 * (receiver.mjs, signature verified) and to a Slack stand-in, both on loopback.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSecret } from '@leadkit/webhook';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuilt } from '../../scripts/demo/build.mjs';
import { ROOT } from '../../scripts/test/demo-process.js';
import { eventually } from '../../scripts/test/loopback.js';
import { createReceiver } from './receiver.mjs';

const SERVER = fileURLToPath(new URL('server.mjs', import.meta.url));
let dir: string;
let receiver: Server;
let slack: Server;
const received: {
  id: string;
  fields: Record<string, unknown>;
  attribution?: { lastTouch: { channel: string } };
}[] = [];
const slackMessages: unknown[] = [];
const secret = generateSecret();

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** Runs server.mjs; resolves with its URL once it listens, or with its exit code and output if it stops. */
function runServer(env: Record<string, string>) {
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = new Promise<string | undefined>((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then(() => resolve(undefined));
  });
  return { child: child as ChildProcess, url, exited, output: () => output };
}

let env: Record<string, string>;

beforeAll(async () => {
  ensureBuilt(ROOT); // server.mjs imports @leadkit/webhook as an app would: its dist/
  dir = mkdtempSync(join(tmpdir(), 'leadkit-webhook-node-'));
  receiver = createReceiver({ secret, onLead: (lead) => received.push(lead) });
  slack = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      slackMessages.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  env = {
    PORT: '0',
    LEADKIT_DB: join(dir, 'leads.db'),
    LEADKIT_ADMIN_TOKEN: randomBytes(24).toString('hex'),
    MY_APP_WEBHOOK_URL: `${await listen(receiver)}/`,
    MY_APP_WEBHOOK_SECRET: secret,
    SLACK_WEBHOOK_URL: `${await listen(slack)}/services/T000/B000/XXXX`,
  };
}, 300_000);
afterAll(() => {
  receiver?.close();
  slack?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('delivers a lead to the signed webhook and to Slack, with the channel the server derived', async () => {
  const server = runServer(env);
  const url = await server.url;
  expect(url, server.output()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const landing = 'https://www.example.com/?utm_source=linkedin&utm_medium=paid_social&utm_campaign=q4';
  // The client claims "Direct"; the adapter re-derives the channel from the landing URL.
  const touch = {
    channel: 'Direct',
    source: 'linkedin',
    medium: 'paid_social',
    landingPage: landing,
    timestamp: '2026-11-22T10:00:00Z',
  };
  const res = await fetch(`${url}/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id: 'lead_example_0001',
      formId: 'contact',
      fields: { name: 'Ada Lovelace', email: 'ada@example.com', topic: 'Pricing' },
      attribution: { firstTouch: touch, lastTouch: touch },
    }),
  });
  expect(res.status).toBe(202);

  const lead = await eventually(() => received.find((l) => l.id === 'lead_example_0001'));
  expect(lead.fields).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com' });
  expect(lead.attribution?.lastTouch.channel).toBe('Paid Social');

  const message = JSON.stringify(await eventually(() => slackMessages[0]));
  expect(message).toContain('Website lead: Ada Lovelace');
  expect(message).toContain('Paid Social');
  expect(message).toContain('Topic');
  expect(message).toContain('Pricing');

  server.child.kill('SIGINT');
  expect(await server.exited).toBe(0);
});

it('a destination URL that is not set stops it with the key and the variable to set', async () => {
  const { SLACK_WEBHOOK_URL: _unset, ...rest } = env;
  const server = runServer({ ...rest, SLACK_WEBHOOK_URL: '' });
  expect(await server.url).toBeUndefined();
  expect(await server.exited).toBe(2);
  expect(server.output()).toContain(
    'destinations[1].webhookUrl: environment variable SLACK_WEBHOOK_URL is not set',
  );
});
