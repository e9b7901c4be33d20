/**
 * Accessibility checks in a real Chromium: axe-core injected into the page (run with the WCAG 2.0-2.2
 * A/AA tags, including `wcag22aa` where target-size lives), and Chromium's own accessible description
 * of an element, read through the DevTools protocol.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeSummary {
  violations: { id: string; nodes: string[] }[];
  incomplete: { id: string; nodes: string[] }[];
}

export async function runAxe(page: Page): Promise<AxeSummary> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    // biome-ignore lint/suspicious/noExplicitAny: axe's global from the injected script
    const axe = (window as any).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations', 'incomplete'],
    });
    type Result = { id: string; nodes: { target: string[]; failureSummary?: string }[] };
    const brief = (list: Result[]) =>
      list.map((x) => ({
        id: x.id,
        nodes: x.nodes.map((n) => `${n.target.join(' >>> ')}: ${n.failureSummary ?? ''}`),
      }));
    return { violations: brief(r.violations), incomplete: brief(r.incomplete) };
  }, AXE_TAGS);
}

/**
 * Chromium's computed accessible description (what a screen reader reads after the name) of the element
 * that `expression` evaluates to in the page, e.g. `document.querySelector('leadkit-form').shadowRoot.querySelector('#f-email')`.
 */
export async function accessibleDescription(page: Page, expression: string): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { result } = await cdp.send('Runtime.evaluate', { expression });
    if (!result.objectId) throw new Error(`No element for ${expression}`);
    const { node } = await cdp.send('DOM.describeNode', { objectId: result.objectId });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', {
      backendNodeId: node.backendNodeId,
      fetchRelatives: false,
    });
    return String(nodes[0]?.description?.value ?? '');
  } finally {
    await cdp.detach();
  }
}
