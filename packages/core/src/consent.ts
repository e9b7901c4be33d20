/**
 * Consent modes. `granted`: stored in a first-party cookie and localStorage. `pending`: kept in
 * memory only, nothing written until `grant()`. `denied`: kept in memory for the current page view
 * (a form on the page still gets its attribution), stored data removed.
 */
import type { ConsentMode } from './types.js';

/**
 * The mode a journey starts in: the integrator's choice (default `granted`), except that a browser
 * sending Global Privacy Control starts `denied` unless `honorGpc` is false. An explicit `grant()`,
 * after the visitor says yes in a consent banner, still wins.
 */
export function startingConsent(mode: ConsentMode = 'granted', honorGpc = true): ConsentMode {
  return honorGpc &&
    (globalThis.navigator as { globalPrivacyControl?: boolean } | undefined)?.globalPrivacyControl === true
    ? 'denied'
    : mode;
}
