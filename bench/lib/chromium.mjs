// Debian's Chromium for the browser benches, with the flags test/chromium.ts gives the browser tests. Never a
// downloaded browser: the binary comes from `apt-get install chromium`.
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches the browser; close it with `browser.close()`. */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * A fresh context and page for one page view: `observe` runs before any page script (to record long tasks and the
 * like from the first moment) and the CPU is throttled `rate` times through CDP. Close it with `context.close()`.
 */
export async function openThrottledPage(browser, { observe, rate = 4, contextOptions }) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  await page.addInitScript(observe);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  return { context, page, cdp };
}
