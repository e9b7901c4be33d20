/**
 * `@leadkit/core/vitals`: Web Vitals of the landing page, attached to the journey's attribution.
 * A separate entry so the main bundle stays small; web-vitals itself is loaded on first call.
 */
import type { Journey } from './init.js';

/**
 * Loads web-vitals and records LCP, INP and CLS of this page into `journey.attribution().vitals`,
 * if this page load started the visitor's session (the landing page). LCP is final on the first
 * input; INP and CLS when the page is hidden. Never rejects: a failed load is logged.
 */
export async function trackVitals(journey: Pick<Journey, 'vital'>): Promise<void> {
  try {
    const { onCLS, onINP, onLCP } = await import('web-vitals');
    const record = (metric: { name: string; value: number }) => journey.vital(metric.name, metric.value);
    onLCP(record);
    onINP(record);
    onCLS(record);
  } catch (error) {
    console.warn(
      '[leadkit] could not load web-vitals; landing-page vitals will be missing. Is it installed?',
      error,
    );
  }
}
