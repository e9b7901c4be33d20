/**
 * Popups and slide-ins: the launcher and the dialog around the form, what opens them by itself (delay,
 * scroll depth, exit intent; at most once per visitor per `frequencyDays`), the scroll lock behind a
 * modal, and the dialog kept in step after each render. Host-page openers are handled by the widget.
 * The script-tag build ships this as `leadkit.popup.js`, loaded as soon as a form asks for it; it renders
 * with the widget's Preact (`runtime.h`), hence `h` calls rather than JSX here.
 */
import type { DisplayConfig } from './config-schema.js';
import type { Display, PopupKit, Runtime } from './display.js';
import { POPUP_CSS } from './styles/popup-css.js';

const DAY_MS = 86_400_000;

function createPopup(config: DisplayConfig, formId: string, host: Element, runtime: Runtime): Display {
  const { h, Fragment } = runtime;
  const mode = config.mode === 'slide-in' ? 'slide-in' : 'popup';
  const slide = mode === 'slide-in';
  const open = runtime.signal(false);
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
      if (!open.value) return;
      unlock?.();
      unlock = undefined;
      open.value = false;
    },
    dispose() {
      stop.abort();
      unlock?.();
    },
    frame(model, content, status) {
      const { t } = model.locale;
      const { title } = model.config;
      const isOpen = open.value;
      const name = config.launcher ?? t('launcher');
      return h(
        Fragment,
        null,
        (slide ? !isOpen : !config.opener) &&
          h(
            'button',
            {
              type: 'button',
              class: slide ? 'btn fab' : 'btn',
              part: 'launcher',
              onClick: () => display.show(),
            },
            name,
          ),
        h(
          'dialog',
          {
            class: slide ? 'slide' : undefined,
            part: 'dialog',
            open: slide ? isOpen : undefined,
            'aria-labelledby': title && 'lk-title',
            'aria-label': title ? undefined : name,
            onClose: display.hide,
            onKeyDown: (e: KeyboardEvent) => slide && e.key === 'Escape' && display.hide(),
          },
          isOpen &&
            h(
              Fragment,
              null,
              // The × is drawn by CSS; the button's name is the translated word.
              h(
                'button',
                { type: 'button', class: 'x', part: 'close', onClick: display.hide },
                h('span', { class: 'vh' }, t('close')),
              ),
              content,
            ),
          // The one polite status region, inside the dialog, where VoiceOver still hears it.
          status,
        ),
      );
    },
    afterRender(root, model, wasOpen) {
      const isOpen = open.value;
      const dialog = root.querySelector('dialog');
      if (dialog && mode === 'popup') {
        if (isOpen && !dialog.open) dialog.showModal();
        if (!isOpen && dialog.open) dialog.close();
      }
      if (isOpen && !wasOpen) {
        model.started();
        // A modal always takes focus; a slide-in only when the visitor opened it.
        if (mode === 'popup' || !display.auto) model.focusRequest = 'heading';
      }
      if (!isOpen && wasOpen && slide) {
        // Focus was inside the panel that just went away: hand it to the launcher, never to <body>.
        const shadow = root.getRootNode() as ShadowRoot;
        const active = document.activeElement;
        if (!active || active === document.body || (active === shadow.host && !shadow.activeElement))
          root.querySelector<HTMLElement>('[part=launcher]')?.focus();
      }
    },
  };

  // A slide-in that opened by itself collapses when the visitor moves on in the page (WCAG 2.4.11).
  if (slide) listen(document, 'focusin', (e) => e.target !== host && display.hide());

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

export const popup: PopupKit = { createPopup, css: POPUP_CSS };
