/** Pages for browser tests: the script-tag file, a form config in a `<leadkit-form>`, content around it. */
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';

export interface PageOptions {
  lang?: string;
  /** Extra attributes on the script tag, e.g. `data-nonce="abc"`. */
  scriptAttrs?: string;
  head?: string;
  before?: string;
  after?: string;
  endpointAttr?: string;
}

export function formPage(config: object, o: PageOptions = {}): string {
  return `<!doctype html><html lang="${o.lang ?? 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pricing</title><script async src="/leadkit.js" data-endpoint="/v1/leads" ${o.scriptAttrs ?? ''}></script>${o.head ?? ''}</head>
<body><header><a href="/">Home</a></header><main><h1>Pricing</h1>${o.before ?? ''}
<leadkit-form ${o.endpointAttr ?? ''}><script type="application/json">${JSON.stringify(config)}</script></leadkit-form>
${o.after ?? '<p>Content below the form.</p>'}</main></body></html>`;
}

/** Pages opened by `openForm` in the current test, with the uncaught errors each one threw. */
const opened: { url: string; errors: Error[] }[] = [];

/**
 * Call once at the top of a browser test file: after each test, fails it if a page that `openForm`
 * opened threw an uncaught error (the widget must never break the host page).
 */
export function failOnPageErrors(): void {
  afterEach(() => {
    const thrown = opened.splice(0).flatMap(({ url, errors }) => errors.map((e) => `${url}: ${e.message}`));
    expect(thrown, 'uncaught errors in the page').toEqual([]);
  });
}

/** Opens `url` and waits until the form (or launcher) rendered; see `failOnPageErrors`. */
export async function openForm(
  context: BrowserContext,
  url: string,
  ready = 'leadkit-form button[type=submit], leadkit-form dialog',
): Promise<Page> {
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (e) => errors.push(e));
  opened.push({ url, errors });
  await page.goto(url);
  if (ready) await page.locator(ready).first().waitFor({ state: 'attached' });
  return page;
}

/** The element focused inside the widget's shadow root (document.activeElement stops at the host). */
export const focused = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return null;
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: el.getAttribute('name'),
      text: el.textContent?.trim() ?? '',
      part: el.getAttribute('part'),
    };
  });
