/**
 * Binds a model to the DOM. The whole tree renders inside one signals `effect`: Preact's render is
 * synchronous, so every signal a component reads is tracked, and any change re-renders (cheap for a form).
 * This replaces the `@preact/signals` adapter and its global Preact hooks with a few lines.
 * After each render, the imperative parts run: the display's (dialog, focus on opening), focus, Turnstile.
 */
import { effect, untracked } from '@preact/signals-core';
import { h, render } from 'preact';
import { Widget } from './components/Widget.js';
import type { Display } from './display.js';
import type { FormModel } from './model.js';
import { renderTurnstile } from './turnstile.js';

export function startView(root: HTMLElement, model: FormModel, display: Display): () => void {
  let wasOpen = display.open.peek();
  const stop = effect(() => {
    render(h(Widget, { model, display }), root);
    untracked(() => afterRender(root, model, display, wasOpen));
    wasOpen = display.open.peek();
  });
  return () => {
    stop();
    // Close before removing: an open modal removed from the DOM would not return focus to its opener.
    root.querySelector('dialog')?.close();
    render(null, root);
  };
}

function afterRender(root: HTMLElement, model: FormModel, display: Display, wasOpen: boolean): void {
  display.afterRender(root, model, wasOpen);
  const open = display.open.value;
  const ts = root.querySelector<HTMLElement>('[data-turnstile]');
  if (ts && model.config.turnstile) renderTurnstile(ts, model.config.turnstile.siteKey, model);

  const request = model.focusRequest;
  if (!request || !open) return;
  model.focusRequest = undefined;
  if (request === 'summary') {
    const summary = root.querySelector<HTMLElement>('.sum');
    if (!summary) return;
    // Focusable only while it has focus (GOV.UK), so it does not linger in the tab order.
    summary.tabIndex = -1;
    summary.addEventListener('blur', () => summary.removeAttribute('tabindex'), { once: true });
    summary.focus();
    return;
  }
  const target =
    root.querySelector<HTMLElement>(`[data-focus=${request}]`) ??
    root.querySelector<HTMLElement>('input:not([tabindex]),select,textarea');
  target?.focus();
}
