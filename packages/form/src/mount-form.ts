/**
 * Renders a form into `host`'s open shadow root; shared by `mount()`, `<leadkit-form>` and the script
 * tag. An invalid config mounts nothing and logs the problem by key: a form never renders half-configured.
 */
import type { LeadInput } from '@leadkit/core/lead';
import { signal } from '@preact/signals-core';
import { Fragment, h } from 'preact';
import { checkConfig } from './config-check.js';
import type { FormConfig } from './config-schema.js';
import { type Display, inlineDisplay, type PopupSource } from './display.js';
import { emitFormEvent } from './events.js';
import { type CatalogueSource, createLocale, languageOf } from './i18n/index.js';
import { pageJourney } from './journey.js';
import { createFormModel } from './model.js';
import { flush, onSettled, sendKept, watchOnline } from './outbox.js';
import { pageContext } from './page-context.js';
import { estimateHeight } from './reserve.js';
import { adoptStyles } from './styles/adopt.js';
import { CSS } from './styles/css.js';
import type { SendOptions } from './transport.js';
import { startView } from './view.js';

export interface MountOptions {
  /** Where leads go when the config has no `endpoint`. */
  endpoint?: string;
  /** CSP nonce for the `<style>` fallback in browsers without constructable stylesheets. */
  nonce?: string;
  /** Values sent with every lead as hidden fields, unless the config defines a field of that name. */
  hidden?: Record<string, string>;
  /** Retry and timeout tuning for sending. */
  send?: SendOptions;
}

/** `unmount()`, plus `open()`/`close()` for popups and slide-ins. */
export type MountHandle = (() => void) & { open(): void; close(): void };

/** Where a build gets what only some forms need: language catalogues, the popup and slide-in code. */
export interface FormSources {
  catalogues: CatalogueSource;
  popup: PopupSource;
}

export const noopHandle = (): MountHandle => Object.assign(() => {}, { open() {}, close() {} });

export function mountForm(
  host: HTMLElement,
  input: unknown,
  options: MountOptions,
  sources: FormSources,
): MountHandle {
  const checked = checkConfig(input);
  if (!checked.ok) {
    const { path, message } = checked.issues[0]!;
    console.error(
      `[leadkit] Form ${JSON.stringify((input as FormConfig)?.id)} not shown: ${path}: ${message}. Fix the form config.`,
    );
    return noopHandle();
  }
  const config = { ...checked.config };
  const endpoint = config.endpoint ?? options.endpoint;
  if (!endpoint) {
    console.error(
      `[leadkit] Form "${config.id}" not shown: no endpoint. Set "endpoint" in the config, the endpoint attribute, or data-endpoint on the script tag.`,
    );
    return noopHandle();
  }
  // Extra hidden values ride along as hidden fields (config fields of the same name win).
  for (const [name, value] of Object.entries(options.hidden ?? {}))
    if (!config.fields.some((f) => f.name === name))
      config.fields = [...config.fields, { name, type: 'hidden', default: value }];

  const shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  adoptStyles(shadow, CSS, options.nonce);
  const root = document.createElement('div');
  shadow.append(root);
  const journey = pageJourney();
  const mode = config.display?.mode ?? 'inline';
  const inline = mode === 'inline';
  let display: Display | undefined = inline ? inlineDisplay() : undefined;
  let showWhenReady = false;
  let stop: (() => void) | undefined;
  let cancelled = false;
  // The popup code is asked for now, not when a trigger fires, so no trigger waits on the network.
  const displayReady = display
    ? Promise.resolve(display)
    : Promise.resolve(sources.popup()).then((kit) => {
        if (cancelled) return;
        if (!kit)
          return console.error(`[leadkit] Form "${config.id}" not shown: its popup code did not load.`);
        adoptStyles(shadow, kit.css, options.nonce);
        display = kit.createPopup(config.display!, config.id, host, { h, Fragment, signal });
        if (showWhenReady) display.show();
        return display;
      });

  const start = async () => {
    const tag = config.locale ?? host.closest('[lang]')?.getAttribute('lang') ?? navigator.language;
    const locale = createLocale(tag, await sources.catalogues(languageOf(tag)), config.messages, config.dir);
    if (cancelled) return;
    const model = createFormModel(config, {
      locale,
      search: new URLSearchParams(location.search),
      cookies: document.cookie,
      context: () => pageContext(journey?.attribution()),
      emit: (name, detail) => emitFormEvent(host, name, { formId: config.id, ...detail }),
      async deliver(lead: LeadInput) {
        const { result, kept } = await sendKept(endpoint, lead, options.send);
        if (result.ok) return { ok: true };
        if (result.retry && kept) return { ok: false, queued: true };
        return { ok: false, queued: false, error: result.error, issues: result.issues };
      },
    });
    const off = onSettled((id, result) => result.ok && model.delivered(id));
    // Inline forms appear a few questions per idle period (the space is reserved already).
    if (inline) {
      model.limit.value = 0;
      const grow = () => {
        if (!cancelled && model.limit.peek() < config.fields.length)
          whenIdle(() => {
            model.limit.value += 1;
            grow();
          });
      };
      grow();
    }
    const shown = await displayReady;
    if (!shown || cancelled) return off();
    // Separate idle periods for building the model and for the first render.
    const view = await new Promise<() => void>((resolve) =>
      (inline ? whenIdle : (fn: () => void) => fn())(() => resolve(startView(root, model, shown))),
    );
    stop = () => {
      off();
      view();
    };
    if (cancelled) stop();
  };

  // Reserve the space now, render when the main thread is idle: no long task. If the page was painted before
  // this script ran, reserving moves what follows (layout shift); say how the site can reserve it in CSS.
  const font = Number.parseFloat(getComputedStyle(host).fontSize) || 16;
  const reserve = inline
    ? estimateHeight(config, host.clientWidth || 320, font)
    : mode === 'popup' && !config.display?.opener
      ? Math.ceil(2.75 * font)
      : 0;
  if (reserve > host.clientHeight && performance.getEntriesByName('first-contentful-paint').length)
    console.info(
      `[leadkit] Form "${config.id}" appeared after the page was painted and moved the content below it. For zero layout shift, reserve its space in your CSS: leadkit-form { display: block; min-height: ${reserve}px }`,
    );
  root.style.minHeight = `${reserve}px`;
  if (inline) whenIdle(start);
  else void start();
  // Leads left by an earlier page view (or an offline moment) go out now, and whenever we are back online.
  whenIdle(flush);
  watchOnline();

  const handle = Object.assign(
    () => {
      cancelled = true;
      stop?.();
      display?.dispose();
      document.removeEventListener('click', openFrom);
      root.remove();
    },
    {
      open: () => {
        if (display) display.show();
        else showWhenReady = true;
      },
      close: () => {
        showWhenReady = false;
        display?.hide();
      },
    },
  );
  // Host-page openers work from the start: a click before the popup code arrives opens it on arrival.
  const opener = config.display?.opener;
  function openFrom(e: Event) {
    if ((e.target as Element | null)?.closest?.(opener!)) {
      e.preventDefault();
      handle.open();
    }
  }
  if (!inline && opener) document.addEventListener('click', openFrom);
  return handle;
}

const whenIdle = (fn: () => unknown) =>
  typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: 1500 }) : setTimeout(fn, 1);
