/**
 * Cross-domain hand-off between sites of one owner (example.com -> example-app.io): links to listed
 * domains get a short-lived token `[visitorId, firstTouch, lastTouch, time]` in a query parameter,
 * read and removed on arrival. The token is a convenience, not a secret: it expires in seconds so a
 * shared link does not merge strangers into one visitor. Opt-in, so it costs nothing when unused.
 */
import { adopt, type RawTouch, type State } from './journey.js';
import { isRawTouch } from './state.js';
import { attempt } from './storage.js';
import type { Touch } from './types.js';

export type Handoff = [visitorId: string, first: RawTouch, last: RawTouch];

export interface CrossDomainOptions {
  /** Domains you own; links to them and their subdomains are decorated. */
  domains: string[];
  /** Query parameter carrying the token. Default `_lk`. */
  param?: string;
  /** How long a token is accepted after the click. Default 60. */
  ttlSeconds?: number;
}

/**
 * What `init({ crossDomain })` takes: made by `crossDomain()`. A tuple, so the journey's calls minify:
 * `arrive` gives the landing URL without the token and the state with the hand-off taken in (if it
 * was valid); `decorate` gives `url` with a fresh token for `handoff`; `watch` decorates links to the
 * listed domains as they are pressed and returns a function that stops it.
 */
export type CrossDomain = [
  arrive: (
    url: string,
    state: State | undefined,
    now: number,
    parse: (raw: RawTouch) => Touch,
  ) => [string, State?],
  decorate: (url: string, handoff: Handoff, now: number) => string,
  watch: (decorate: (url: string) => string) => () => void,
];

/** Turns on the cross-domain hand-off: `init({ crossDomain: crossDomain({ domains: ['example-app.io'] }) })`. */
export function crossDomain({ domains, param = '_lk', ttlSeconds = 60 }: CrossDomainOptions): CrossDomain {
  return [
    (url, state, now, parse) => {
      const u = attempt(() => new URL(url));
      const token = u?.searchParams.get(param);
      if (token == null) return [url];
      u!.searchParams.delete(param);
      // Take the token out of the address bar too, unless a router already moved on.
      if (globalThis.location?.href === url) history.replaceState(history.state, '', u!.href);
      const handoff = attempt(() => {
        const [visitor, first, last, time] = JSON.parse(token);
        const fresh = Math.abs(now - time) <= ttlSeconds * 1e3;
        const valid = typeof visitor === 'string' && /^[\w-]{1,64}$/.test(visitor) && isRawTouch(first);
        return fresh && valid && isRawTouch(last) ? ([visitor, first, last] as Handoff) : undefined;
      });
      return [u!.href, handoff && adopt(state, handoff, parse)];
    },
    (url, handoff, now) => {
      const u = attempt(() => new URL(url, globalThis.location?.href));
      u?.searchParams.set(param, JSON.stringify([...handoff, now]));
      return u ? u.href : url;
    },
    (decorate) => {
      const onPress = (e: Event) => {
        const a = (e.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
        const host = a?.hostname;
        if (host && host !== location.hostname && domains.some((d) => host === d || host.endsWith(`.${d}`))) {
          a.href = decorate(a.href);
        }
      };
      const events = ['mousedown', 'click'];
      for (const type of events) document.addEventListener(type, onPress, true);
      return () => {
        for (const type of events) document.removeEventListener(type, onPress, true);
      };
    },
  ];
}
