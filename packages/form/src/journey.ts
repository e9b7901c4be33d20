/**
 * Finds the visitor's journey from `@leadkit/core`: the one a Leadkit script already started on this
 * page (through the shared `window.leadkit('init')` command, which also works across separately
 * bundled copies of the core), else the one this bundle's core started, else a new one capturing facts only (no classifier: the server
 * derives channels).
 */
import { getJourney, initCapture, type Journey } from '@leadkit/core/capture';

export function pageJourney(): Journey | undefined {
  try {
    const shared = window.leadkit?.h?.init ? (window.leadkit('init') as Journey | undefined) : undefined;
    return shared ?? getJourney() ?? initCapture();
  } catch (error) {
    console.warn('[leadkit] Attribution is unavailable; leads are sent without it.', error);
    return undefined;
  }
}
