/**
 * Launches Debian's Chromium for browser tests. Never downloads a browser: the binary comes from
 * `apt-get install chromium` (see .ci/run). Each launch gets a fresh, empty profile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

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

/** A launched Chromium: its one persistent context, and `close()` to end it and remove the profile. */
export interface Chromium {
  context: BrowserContext;
  close: () => Promise<void>;
}

/** A persistent context on a throwaway profile; call `close()` to end it and remove the profile. */
export async function launchChromium(
  options: {
    viewport?: { width: number; height: number };
    /** Extra Chromium flags, e.g. `--host-resolver-rules=MAP www.example.test 127.0.0.1`. */
    args?: string[];
  } = {},
): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'leadkit-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
