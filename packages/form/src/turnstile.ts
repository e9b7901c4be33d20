/**
 * Optional Cloudflare Turnstile. Its implicit rendering scans the document and cannot see into our shadow
 * root, so we render explicitly into a container inside it. The page loads Turnstile's script itself
 * (no script injection from here). A missing or failing challenge never blocks a lead: it is sent without
 * a token and the server flags it.
 */
import type { FormModel } from './model.js';

interface TurnstileApi {
  render(el: HTMLElement, options: Record<string, unknown>): unknown;
}

export function renderTurnstile(container: HTMLElement, siteKey: string, model: FormModel): void {
  if (container.dataset.done) return;
  container.dataset.done = '1';
  const api = (globalThis as { turnstile?: TurnstileApi }).turnstile;
  if (!api) {
    console.warn(
      '[leadkit] turnstile.siteKey is set but window.turnstile is missing: load https://challenges.cloudflare.com/turnstile/v0/api.js on the page. Leads are sent without a token.',
    );
    return;
  }
  try {
    api.render(container, {
      sitekey: siteKey,
      language: model.locale.lang,
      callback: (token: string) => {
        model.turnstileToken = token;
      },
    });
  } catch (e) {
    console.warn('[leadkit] Turnstile failed to render; leads are sent without a token.', e);
  }
}
