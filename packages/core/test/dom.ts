// biome-ignore-all lint/suspicious/noDocumentCookie: tests set and remove cookies as a page would
/** Helpers for happy-dom journey tests: a page address, a clock, and a clean slate between tests. */
import { getJourney, type InitOptions, init, type Journey } from '../src/init.js';

export const START = Date.UTC(2026, 2, 2, 9, 0, 0);
export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** Moves the test page to `url`, as a new page load would (happy-dom keeps the same window). */
export function goTo(url: string): void {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
}

/** A clock the journey reads through `init({ now })`. */
export function clock(start = START) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

/** Every cookie visible to the page, by name. */
export function cookies(): Record<string, string> {
  return Object.fromEntries(
    document.cookie
      .split('; ')
      .filter(Boolean)
      .map((c) => [c.slice(0, c.indexOf('=')), decodeURIComponent(c.slice(c.indexOf('=') + 1))]),
  );
}

/** Ends the journey and removes everything it may have stored, on every host the tests use. */
export function reset(): void {
  getJourney()?.destroy();
  localStorage.clear();
  const labels = location.hostname.split('.');
  const domains = ['', ...labels.map((_, i) => `;domain=${labels.slice(i).join('.')}`)];
  for (const name of Object.keys(cookies())) {
    for (const domain of domains) document.cookie = `${name}=;path=/;max-age=-1${domain}`;
  }
}

/** Lets pending idle-time work run (happy-dom has no requestIdleCallback: it runs as timers, a few in a row). */
export const idle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

/**
 * A full page load of `url` at the clock's time: the previous page is left (pagehide, which saves)
 * and a new journey starts, reading what the last one stored.
 */
export function load(url: string, options: InitOptions = {}): Journey {
  const previous = getJourney();
  if (previous) {
    window.dispatchEvent(new Event('pagehide'));
    previous.destroy();
  }
  goTo(url);
  return init({ referrer: '', ...options });
}
