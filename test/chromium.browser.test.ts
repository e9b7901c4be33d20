import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';

let browser: Awaited<ReturnType<typeof launchChromium>>;
const server = createServer((_req, res) => {
  res.setHeader('content-type', 'text/html');
  res.end('<!doctype html><title>ok</title><button onclick="this.textContent=\'clicked\'">go</button>');
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  server.close();
});

it('drives Debian Chromium against a loopback page', async () => {
  const { port } = server.address() as AddressInfo;
  const page = await browser.context.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.click('button');
  expect(await page.textContent('button')).toBe('clicked');
});
