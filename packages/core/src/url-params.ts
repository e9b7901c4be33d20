/**
 * Safe parsing of untrusted URLs and referrers. Nothing here throws: bad input gives `undefined` or
 * an empty result, and every kept value is stripped of control characters and capped in length.
 */

/** Longest kept parameter value (campaign names, click IDs, ...). */
export const MAX_VALUE = 256;
/** Longest kept URL (landing page, referrer). */
export const MAX_URL = 1000;

/**
 * Removes control characters and lone surrogates, caps the length (without splitting a pair) and trims.
 * Idempotent, so a value cleaned in the browser is unchanged when the server cleans it again.
 */
export function clean(value: string, max = MAX_VALUE): string {
  return value
    .replace(/[\p{Cc}\p{Cs}]/gu, '')
    .slice(0, max)
    .replace(/[\ud800-\udbff]$/, '')
    .trim();
}

/**
 * The query parameters of a URL, which may be relative or malformed. The fragment is ignored,
 * `+` is a space and broken percent-encoding is kept as written (WHATWG `URLSearchParams`).
 * `get()` returns the first occurrence of a repeated parameter.
 */
export const queryParams = (url: string): URLSearchParams =>
  new URLSearchParams(url.split('#')[0]!.replace(/^[^?]*\??/, ''));

/**
 * Lowercased host of an `http(s)://` or `android-app://` URL, without port or trailing dot;
 * undefined for anything else (`about:blank`, `file:`, garbage).
 */
export function urlHost(url: string): string | undefined {
  // Checking the scheme first avoids a thrown (slow) TypeError for empty and relative referrers.
  if (/^(https?|android-app):/i.test(url)) {
    try {
      return new URL(url).hostname.replace(/\.$/, '') || undefined;
    } catch {
      // Not a valid URL: no host.
    }
  }
  return undefined;
}

// The last two labels when they act as a public suffix: a shared host where each subdomain is a different
// site (github.io, vercel.app, ...), or a generic second level under a two-letter country TLD (co.uk, com.au).
const SUFFIX =
  /^(github\.io|(vercel|netlify|web)\.app|pages\.dev|(herokuapp|appspot)\.com|(ac|co|com|edu|gov?|ne|net|or|org)\.[^.]{2})$/;

/**
 * The registrable domain of a host, by a small heuristic instead of the 200 KB Public Suffix List:
 * the last two labels, or three when the last two are a country generic (co.uk, com.au) or a shared
 * hosting suffix (github.io, vercel.app). IP addresses and single labels are returned as they are.
 */
export function registrableDomain(host: string): string {
  if (/^[\d.]+$|:/.test(host)) return host;
  const labels = host.split('.');
  return labels.slice(SUFFIX.test(labels.slice(-2).join('.')) ? -3 : -2).join('.');
}
