// biome-ignore-all lint/suspicious/noDocumentCookie: the Cookie Store API is missing in Firefox and older Safari
/**
 * First-party storage: one cookie on the registrable domain (shared by www. and app.), mirrored in
 * localStorage. Every access is guarded: Safari private mode, a full quota, disabled cookies or a
 * sandboxed frame make storage unavailable, never an exception.
 */
import { registrableDomain } from './url-params.js';

// max-age=-1 rather than 0: both expire a cookie in browsers, and happy-dom only honours -1.
const PROBE = '__lk_probe';
// Browsers drop cookies over 4096 bytes; stay well under with room for the attributes.
export const COOKIE_MAX = 3000;

let probed: [host: string, domain: string] | undefined;

/** Runs `f`, turning any exception (no storage, SecurityError, QuotaExceededError) into undefined. */
export function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    // Storage unavailable here: callers treat it as empty.
  }
  return undefined;
}

/** Runs `task` when the browser is idle, within a second at the latest; soon where idle callbacks are missing (Safari). */
export function idle(task: () => void): void {
  // setTimeout takes the options as a delay of NaN, that is 0.
  (globalThis.requestIdleCallback ?? setTimeout)(task, { timeout: 1e3 } as never);
}

/**
 * The widest domain this page may set a cookie on, found as Segment's `tld()` does: write a probe
 * cookie at each level and keep the first the browser accepts. Probing starts at the registrable
 * domain guess, so shared hosts (vercel.app, github.io, ...) and co.uk-style suffixes are never
 * tried; the browser's own public-suffix list rejects the rest. '' means a host-only cookie
 * (IP addresses, `localhost`, or cookies disabled).
 */
export function cookieDomain(host: string): string {
  if (probed?.[0] === host) return probed[1];
  let found = '';
  if (!/^[\d.]+$|:|^[^.]*$/.test(host)) {
    const labels = host.split('.');
    for (let n = registrableDomain(host).split('.').length; n <= labels.length && !found; n++) {
      const domain = labels.slice(-n).join('.');
      document.cookie = `${PROBE}=1;path=/;domain=${domain}`;
      if (document.cookie.includes(`${PROBE}=1`)) found = domain;
      document.cookie = `${PROBE}=;path=/;domain=${domain};max-age=-1`;
    }
  }
  probed = [host, found];
  return found;
}

/** What is stored under `key`: `[localStorage, cookie]`, each undefined when absent or unreadable. */
export function readStored(key: string): (string | undefined)[] {
  return [
    attempt(() => localStorage.getItem(key) ?? undefined),
    // No throw when absent: a first exception is slow (stack capture), and absent is the common case.
    attempt(
      () => decodeURIComponent(document.cookie.match(`(?:^|; )${key}=([^;]*)`)?.[1] ?? '') || undefined,
    ),
  ];
}

/**
 * Stores `value` in localStorage and `cookieValue` in the cookie, which lives `days` days.
 * Without a value, removes `key` from both stores.
 */
export function writeStored(key: string, value?: string, cookieValue = value, days = 0): void {
  attempt(() => (value ? localStorage.setItem(key, value) : localStorage.removeItem(key)));
  attempt(() => {
    const domain = cookieDomain(location.hostname);
    document.cookie =
      `${key}=${value ? encodeURIComponent(cookieValue!) : ''};max-age=${value ? Math.round(days * 86400) : -1}` +
      `;path=/;samesite=lax${location.protocol === 'https:' ? ';secure' : ''}${domain ? `;domain=${domain}` : ''}`;
  });
}
