/** Browser pages for tests that must also prove the page threw nothing. */
import type { BrowserContext, Page } from 'playwright-core';

/** Opens `url` in a new page and collects the message of every uncaught page error from then on. */
export async function openPage(
  context: BrowserContext,
  url: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { page, errors };
}
