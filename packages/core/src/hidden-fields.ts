/**
 * Hidden-field filling: writes attribution into inputs of any form on the page (HubSpot, Webflow,
 * plain HTML) by input name, including forms added later and forms in same-origin iframes.
 */
import { attempt, idle } from './storage.js';
import type { Attribution } from './types.js';

/**
 * Input name -> value name (a key of `fieldValues`), or false to leave inputs of that name alone.
 * Names not listed map to themselves, so `<input name="utm_source">` works with no map at all.
 */
export type FieldMap = Record<string, string | false>;

/** Adds an event listener that the journey removes when it is destroyed. */
export type Listen = (target: EventTarget, type: string, listener: () => void, capturing?: boolean) => void;

/**
 * The values Leadkit can write, by name. Campaign fields come from the last non-direct touch,
 * `first_*`, `landing_page` and `referrer` from the first touch; click IDs from the last touch,
 * else the first. Source and medium keep the case they arrived in.
 */
export function fieldValues(a: Attribution): Record<string, string | undefined> {
  const { firstTouch: f, lastTouch: l } = a;
  return {
    ...f.clickIds,
    ...l.clickIds,
    utm_source: l.raw.source,
    utm_medium: l.raw.medium,
    utm_campaign: l.campaign,
    utm_term: l.term,
    utm_content: l.content,
    channel: l.channel,
    first_channel: f.channel,
    first_source: f.raw.source,
    first_medium: f.raw.medium,
    first_campaign: f.campaign,
    landing_page: f.landingPage,
    referrer: f.referrer,
    visitor_id: a.visitorId,
  };
}

/**
 * Fills matching text and hidden inputs under `root` and in the same-origin iframes it contains
 * (cross-origin ones are skipped). A visible input the visitor already typed in is left alone.
 * Fires `input` and `change` so framework-managed forms (React, Vue) see the value. Returns how
 * many inputs changed; `onFrame` is told about each iframe document reached.
 */
export function fillFields(
  root: ParentNode,
  values: Record<string, string | undefined>,
  map: FieldMap | boolean | undefined,
  onFrame?: (doc: Document) => void,
): number {
  let changed = 0;
  for (const input of root.querySelectorAll('input[name]') as NodeListOf<HTMLInputElement>) {
    // A name mapped to false finds no value.
    const value = values[String((map as FieldMap | undefined)?.[input.name] ?? input.name)];
    if (typeof value !== 'string' || input.value === value) continue;
    if (input.type !== 'hidden' && (input.type !== 'text' || input.value)) continue;
    // React tracks the value property; setting it through the prototype makes its onChange fire.
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')!.set!.call(input, value);
    for (const type of ['input', 'change']) input.dispatchEvent(new Event(type, { bubbles: true }));
    changed++;
  }
  for (const frame of root.querySelectorAll('iframe')) {
    const doc = attempt(() => frame.contentDocument);
    if (doc) {
      onFrame?.(doc);
      changed += fillFields(doc, values, map, onFrame);
    }
  }
  return changed;
}

/**
 * Runs `fill` in idle time: at once, after nodes are added, and after an iframe loads. `fill` reports the same-origin
 * iframe documents it reached through its argument, and those are watched too. Stops with the journey.
 */
export function watchForms(
  doc: Document,
  fill: (onFrame: (frame: Document) => void) => void,
  listen: Listen,
  offs: (() => void)[],
): void {
  const options = { childList: true, subtree: true };
  let queued = false;
  // Many DOM changes (the parser's, a framework's render) make one fill, in idle time.
  const run = () => {
    if (!queued) {
      queued = true;
      idle(() => {
        queued = false;
        fill((frame) => observer.observe(frame, options));
      });
    }
  };
  const observer = new MutationObserver(run);
  observer.observe(doc, options);
  offs.push(() => observer.disconnect());
  listen(doc, 'load', run, true);
  run();
}
