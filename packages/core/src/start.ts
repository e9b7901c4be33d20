/**
 * The browser journey shared by `init()` and `initCapture()`: reads the landing URL and referrer
 * synchronously, keeps the journey in memory, stores it as consent allows (in idle time), follows SPA
 * navigations, fills hidden form fields and hands the journey to your other domains on request.
 * Only raw facts are kept; touches are built (and classified, for `init()`) when they are read.
 */
import { type CaptureInput, captureTouch } from './capture-touch.js';
import { startingConsent } from './consent.js';
import type { CrossDomain } from './cross-domain.js';
import { type FieldMap, fieldValues, fillFields, watchForms } from './hidden-fields.js';
import { type RawTouch, type State, step } from './journey.js';
import { decode, encode } from './state.js';
import { attempt, COOKIE_MAX, readStored, writeStored } from './storage.js';
import type { Attribution, ConsentMode, Touch } from './types.js';

/** Options of `initCapture()`; `init()` also takes custom channel `rules`. */
export interface CaptureOptions {
  /** Starting consent mode. Default `granted`, or `denied` when the browser sends Global Privacy Control. */
  consent?: ConsentMode;
  /** Start `denied` when the browser sends Global Privacy Control. Default true. */
  honorGpc?: boolean;
  /** Days a touch counts (first touch is kept this long); also the cookie's lifetime. Default 90. */
  attributionDays?: number;
  /** Minutes of inactivity that end a session. Default 30. */
  sessionMinutes?: number;
  /** Longest touch history. Default 5. */
  maxTouches?: number;
  /** Fill inputs named like attribution values in any form: true, or an input-name map. Default off. */
  hiddenFields?: boolean | FieldMap;
  /** Hand the journey to your other domains: `crossDomain({ domains: [...] })`. Default off. */
  crossDomain?: CrossDomain;
  /** Click-ID parameters to capture besides the built-in list. */
  clickIdParams?: string[];
  /** Cookie and localStorage key. Default `leadkit`. */
  storageKey?: string;
  /** Landing URL. Default `location.href` at init. */
  url?: string;
  /** Referrer of the landing. Default `document.referrer`. */
  referrer?: string;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
}

export interface Journey {
  /**
   * The journey so far, rebuilt from the stored landings with the current classifier. Touches carry a
   * `channel` when the journey was started (or later joined) by `init()`, not by `initCapture()` alone.
   */
  attribution(): Attribution;
  consent(): ConsentMode;
  /** Consent given: store the journey captured so far, and keep storing it. */
  grant(): void;
  /** Consent refused: remove stored data; the journey lives on in memory for this page view. */
  deny(): void;
  /** Counts a page view (history navigations are counted already). Campaign parameters make it a touch. */
  pageview(url?: string): void;
  /** `url` with a short-lived token carrying this journey to another domain you own (needs `crossDomain`). */
  decorate(url: string): string;
  /** Fills attribution into matching inputs under `root` (default: the document). Returns how many changed. */
  fillHiddenFields(root?: ParentNode): number;
  /** Records a Web Vital of the session's landing page (used by `@leadkit/core/vitals`). */
  vital(name: string, value: number): void;
  /** Stops listening and observing; `getJourney()` is undefined afterwards. */
  destroy(): void;
}

/** Builds a full touch (with its channel) from a landing's raw facts. */
export type Classifier = (input: CaptureInput) => Touch;

let current: Journey | undefined;
let classifyCurrent: ((classify: Classifier) => void) | undefined;

/** The journey `init()` or `initCapture()` started in this page, if any. */
export const getJourney = (): Journey | undefined => current;

/**
 * Starts (or returns) the page's journey. Touches are built by `classify` when given, else captured
 * without a channel. When the page's journey already runs without a classifier, `classify` is added to
 * it, so `init()` after `initCapture()` gives channels. Without a DOM (Node, SSR) it returns a fresh
 * in-memory journey each call, stores nothing and is not kept as the page's journey.
 */
export function startJourney(options: CaptureOptions, classify?: Classifier): Journey {
  if (current) {
    if (classify) classifyCurrent!(classify);
    return current;
  }
  const browser = typeof document !== 'undefined';
  const {
    storageKey: key = 'leadkit',
    attributionDays: days = 90,
    now = Date.now,
    crossDomain,
    hiddenFields,
    clickIdParams,
  } = options;
  const rules = {
    window: days * 864e5,
    idle: (options.sessionMinutes ?? 30) * 6e4,
    max: options.maxTouches ?? 5,
  };
  const touch =
    (build: () => Classifier) =>
    ([url, referrer, timestamp]: RawTouch) =>
      build()({ url, referrer, timestamp, clickIdParams });
  // Page views only need the list-free facts; the classifier runs when the journey is read.
  const capture = touch(() => captureTouch);
  const full = touch(() => classify ?? captureTouch);
  const offs: (() => void)[] = [];
  const listen = (target: EventTarget, type: string, listener: () => void, capturing?: boolean) => {
    target.addEventListener(type, listener, capturing);
    offs.push(() => target.removeEventListener(type, listener, capturing));
  };
  let mode = startingConsent(options.consent, options.honorGpc);
  let url = options.url ?? (browser ? location.href : '');
  let referrer = options.referrer ?? (browser ? document.referrer : '');
  let lastUrl: string | undefined;
  let live = true;
  let values: Record<string, string | undefined> | undefined;

  // The newer of the two stores: another subdomain may have updated the shared cookie.
  const load = () => {
    const [local, cookie] = readStored(key).map(decode);
    return !local || (cookie && cookie.a > local.a) ? cookie : local;
  };
  let state: State | undefined;
  if (mode === 'denied') writeStored(key);
  else state = load();

  const save = () => {
    if (live && mode === 'granted' && state) {
      const text = encode(state);
      writeStored(
        key,
        text,
        encodeURIComponent(text).length > COOKIE_MAX ? encode(state, 150, 1) : text,
        days,
      );
    }
  };

  // One page view; returns whether it started a session.
  const visit = (u: string, r: string, navigation?: boolean) => {
    u = u.split('#')[0]!;
    if (u === lastUrl) return false;
    lastUrl = u;
    if (navigation && mode === 'granted') {
      // Another tab may have recorded a newer touch since this page loaded.
      const stored = load();
      if (stored && stored.a > state!.a) state = stored;
    }
    const session = state?.s;
    state = step(state, [u, r, now()], capture, rules);
    values = undefined;
    // Storage is the slow part of a page view: do it when the page is idle (and at the latest on pagehide).
    if (browser) (window.requestIdleCallback || setTimeout)(save);
    return state.s !== session;
  };

  if (crossDomain) {
    const [clean, handed] = crossDomain.arrive(url, state, now(), capture);
    url = clean;
    if (handed) {
      state = handed;
      referrer = ''; // the link came from our own other domain: not a referral
    }
  }
  const landingSession = visit(url, referrer) && state!.s;

  const fill = (root: ParentNode | undefined = globalThis.document, onFrame?: (frame: Document) => void) =>
    root
      ? // Cached per page view: forms are filled on every DOM change.
        fillFields(root, (values ??= fieldValues(journey.attribution())), hiddenFields, onFrame)
      : 0; // no DOM (SSR)

  const journey: Journey = {
    attribution() {
      const s = state!;
      return {
        firstTouch: full(s.f),
        lastTouch: full(s.l),
        sessionEntry: full(s.e),
        touches: s.h.map(full),
        visitorId: s.v,
        sessionId: s.s,
        firstSeen: new Date(s.c).toISOString(),
        pageviews: s.p,
        sessions: s.n,
        ...(s.w && { vitals: { ...s.w } }),
      };
    },
    consent: () => mode,
    grant() {
      mode = 'granted';
      save();
    },
    deny() {
      mode = 'denied';
      writeStored(key);
    },
    pageview(u) {
      visit(attempt(() => new URL(u ?? location.href, location.href).href) ?? u ?? '', '', true);
    },
    decorate: (u) => (crossDomain ? crossDomain.decorate(u, [state!.v, state!.f, state!.l], now()) : u),
    fillHiddenFields: (root) => fill(root),
    vital(name, value) {
      if (state!.s === landingSession) {
        state!.w = { ...state!.w, [name]: value };
        save();
      }
    },
    destroy() {
      live = false;
      for (const off of offs) off();
      if (current === journey) current = undefined;
    },
  };

  if (browser) {
    current = journey;
    classifyCurrent = (c) => {
      if (!classify) {
        classify = c;
        values = undefined;
      }
    };
    const onNavigation = () => live && visit(location.href, '', true);
    for (const method of ['pushState', 'replaceState'] as const) {
      const original = history[method];
      const patched = function (this: History, ...args: Parameters<History['pushState']>) {
        original.apply(this, args);
        onNavigation();
      };
      history[method] = patched;
      offs.push(() => {
        if (history[method] === patched) history[method] = original;
      });
    }
    listen(window, 'popstate', onNavigation);
    listen(window, 'pagehide', save);
    // Observing from the start also sees forms the parser adds while the page loads.
    if (hiddenFields) watchForms(document, (onFrame) => fill(document, onFrame), listen, offs);
    if (crossDomain) offs.push(crossDomain.watch(journey.decorate));
  }
  return journey;
}
