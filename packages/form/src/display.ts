/**
 * When a popup or slide-in is open, and what opens it: a click on the launcher or on host-page `opener`
 * elements, or an automatic trigger (delay, scroll depth, exit intent) that fires at most once per
 * visitor per `frequencyDays`. Inline forms are always open.
 */
import { type Signal, signal } from '@preact/signals-core';
import type { DisplayConfig } from './config-schema.js';

export interface Display {
  mode: 'inline' | 'popup' | 'slide-in';
  open: Signal<boolean>;
  /** Opened by a trigger rather than by the visitor: a slide-in then leaves focus where it is. */
  auto: boolean;
  show(auto?: boolean): void;
  hide(): void;
  dispose(): void;
}

const DAY_MS = 86_400_000;

export function createDisplay(config: DisplayConfig | undefined, formId: string, host: Element): Display {
  const mode = config?.mode ?? 'inline';
  const open = signal(mode === 'inline');
  // One signal removes every listener this display adds.
  const stop = new AbortController();
  const listen = (target: EventTarget, type: string, fn: (e: Event) => void) =>
    target.addEventListener(type, fn, { passive: true, signal: stop.signal });
  let unlock: (() => void) | undefined;

  const display: Display = {
    mode,
    open,
    auto: false,
    show(auto = false) {
      if (open.value) return;
      display.auto = auto;
      if (mode === 'popup') unlock = lockScroll();
      open.value = true;
    },
    hide() {
      if (mode === 'inline' || !open.value) return;
      unlock?.();
      unlock = undefined;
      open.value = false;
    },
    dispose() {
      stop.abort();
      unlock?.();
    },
  };
  if (mode === 'inline' || !config) return display;

  if (config.opener)
    document.addEventListener(
      'click',
      (e) => {
        if ((e.target as Element | null)?.closest?.(config.opener!)) {
          e.preventDefault();
          display.show();
        }
      },
      { signal: stop.signal },
    );

  // A slide-in that opened by itself collapses when the visitor moves on in the page (WCAG 2.4.11).
  if (mode === 'slide-in') listen(document, 'focusin', (e) => e.target !== host && display.hide());

  const trigger = config.trigger ?? 'click';
  const seenKey = `leadkit:seen:${formId}`;
  const seen = Number(safeStorage()?.getItem(seenKey));
  if (trigger === 'click' || Date.now() - seen < (config.frequencyDays ?? 30) * DAY_MS) return display;

  let fired = false;
  const fire = () => {
    if (fired) return;
    fired = true;
    safeStorage()?.setItem(seenKey, String(Date.now()));
    display.show(true);
  };
  if (trigger === 'delay') {
    const timer = setTimeout(fire, (config.delay ?? 5) * 1000);
    stop.signal.addEventListener('abort', () => clearTimeout(timer));
  } else if (trigger === 'scroll')
    listen(window, 'scroll', () => {
      const depth = ((scrollY + innerHeight) / document.documentElement.scrollHeight) * 100;
      if (depth >= (config.scroll ?? 50)) fire();
    });
  else
    listen(document, 'mouseout', (e) => {
      const m = e as MouseEvent;
      if (!m.relatedTarget && m.clientY <= 0) fire();
    });
  return display;
}

function safeStorage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

/**
 * Stops the page behind a modal from scrolling. The scrollbar's gutter stays reserved, so the page
 * does not jump sideways (no layout shift); the previous inline styles come back on close.
 */
function lockScroll(): () => void {
  const style = document.documentElement.style;
  const before = [style.overflow, style.scrollbarGutter] as const;
  if (innerWidth > document.documentElement.clientWidth) style.scrollbarGutter = 'stable';
  style.overflow = 'hidden';
  return () => {
    [style.overflow, style.scrollbarGutter] = before;
  };
}
