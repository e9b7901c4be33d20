/**
 * The browser journey shared by `init()` and `initCapture()`: reads the landing URL and referrer
 * synchronously, keeps the journey in memory, stores it as consent allows (in idle time), follows SPA
 * navigations, fills hidden form fields and hands the journey to your other domains on request.
 * Only raw facts are kept; touches are built (and classified, for `init()`) when they are read.
 */
import { captureFacts } from './capture-touch.js';
import { startingConsent } from './consent.js';
import type { CrossDomain } from './cross-domain.js';
import { type FieldMap, fieldValues, fillFields, watchForms } from './hidden-fields.js';
import { type JourneyRules, type RawTouch, type State, step } from './journey.js';
import { decode, encode } from './state.js';
import { attempt, COOKIE_MAX, idle, readStored, writeStored } from './storage.js';
import type { Attribution, ConsentMode } from './types.js';

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
export type Classifier = typeof captureFacts;

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
    crossDomain: [arrive, handOff, watchLinks] = [],
    hiddenFields,
    clickIdParams,
  } = options;
  const rules: JourneyRules = [days * 864e5, (options.sessionMinutes ?? 30) * 6e4, options.maxTouches ?? 5];
  // Page views only need the list-free facts; the classifier runs when the journey is read.
  const capture = (raw: RawTouch, build: Classifier = captureFacts) => build(...raw, clickIdParams);
  const full = (raw: RawTouch) => capture(raw, classify);
  const offs: (() => void)[] = [];
  const listen = (target: EventTarget, type: string, listener: () => void, capturing?: boolean) => {
    target.addEventListener(type, listener, capturing);
    offs.push(() => target.removeEventListener(type, listener, capturing));
  };
  let mode = startingConsent(options.consent, options.honorGpc);
  // The landing, read now, before a router can change the address. Everything else waits for idle time
  // or the first call that needs the journey, so init() costs the page almost nothing.
  const url = options.url ?? (browser ? location.href : '');
  const referrer = options.referrer ?? (browser ? document.referrer : '');
  const landedAt = now();
  let lastUrl: string | undefined;
  let live = true;
  let values: Record<string, string | undefined> | undefined;
  let state: State | undefined;
  // undefined until the landing is taken in; the session it started, or false when it joined one.
  let landingSession: string | false | undefined;
  let arriving = false;
  let unsaved = false;
  // Stored data goes at once when the page starts denied.
  if (mode === 'denied') writeStored(key);

  // The newer of the two stores: another subdomain may have updated the shared cookie.
  const load = () => {
    const [local, cookie] = readStored(key).map(decode);
    return !local || (cookie && cookie.a > local.a) ? cookie : local;
  };

  // One page view at `time`; returns whether it started a session.
  const visit = (u: string, r: string, time: number, navigation?: boolean) => {
    u = u.split('#')[0]!;
    if (u === lastUrl) return false;
    lastUrl = u;
    if (navigation && mode === 'granted') {
      // Another tab may have recorded a newer touch since this page loaded.
      const stored = load();
      if (stored && stored.a > state!.a) state = stored;
    }
    const session = state?.s;
    state = step(state, [u, r, time], capture, rules);
    values = undefined;
    // Storage is the slow part of a page view: do it when the page is idle (and at the latest on pagehide).
    if (browser && !unsaved) {
      unsaved = true;
      idle(() => unsaved && save());
    }
    return state.s !== session;
  };

  // The journey with the landing counted: read the stores and take the landing in, once.
  const ready = (): State => {
    if (landingSession === undefined) {
      landingSession = false;
      let arrival = url;
      let from = referrer;
      state = load(); // nothing there when the page started denied
      if (arrive) {
        // Removing the token from the address is not a navigation.
        arriving = true;
        const [clean, handed] = arrive(url, state, landedAt, capture);
        arriving = false;
        arrival = clean;
        if (handed) {
          state = handed;
          from = ''; // the link came from our own other domain: not a referral
        }
      }
      landingSession = visit(arrival, from, landedAt) && state!.s;
    }
    return state!;
  };

  // Takes the landing in if it was not yet, and stores the journey if consent allows.
  function save() {
    const s = ready();
    unsaved = false;
    if (live && mode === 'granted') {
      const text = encode(s);
      writeStored(key, text, encodeURIComponent(text).length > COOKIE_MAX ? encode(s, 150, 1) : text, days);
    }
  }

  const fill = (root: ParentNode | undefined = globalThis.document, onFrame?: (frame: Document) => void) => {
    if (!root) return 0; // no DOM (SSR)
    // Cached per page view: forms are filled on every DOM change.
    values ??= fieldValues(journey.attribution());
    return fillFields(root, values, hiddenFields, onFrame);
  };

  const journey: Journey = {
    attribution() {
      const s = ready();
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
        pages: s.g,
        ...(s.w && { vitals: { ...s.w } }),
      };
    },
    consent: () => mode,
    grant() {
      mode = 'granted';
      save();
    },
    deny() {
      // The journey stays in memory for this page view, with what was stored before.
      ready();
      mode = 'denied';
      writeStored(key);
    },
    pageview(u) {
      ready();
      visit(attempt(() => new URL(u ?? location.href, location.href).href) ?? u ?? '', '', now(), true);
    },
    decorate: (u) => {
      const s = ready();
      return handOff ? handOff(u, [s.v, s.f, s.l], now()) : u;
    },
    fillHiddenFields: fill,
    vital(name, value) {
      const s = ready();
      if (s.s === landingSession) {
        s.w = { ...s.w, [name]: value };
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
    const onNavigation = () => live && !arriving && journey.pageview();
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
    // Idle time, one short task each, queued first: take the landing in (reads the stores), then decode the
    // classifier's list, if any; storing (queued by the visit) and hidden-field fills come after.
    idle(() => live && ready());
    idle(() => live && full(['', '', 0]));
    // Observing from the start also sees forms the parser adds while the page loads.
    if (hiddenFields) watchForms(document, (onFrame) => live && fill(document, onFrame), listen, offs);
    if (watchLinks) offs.push(watchLinks(journey.decorate));
  }
  return journey;
}
