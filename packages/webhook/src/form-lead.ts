/**
 * A plain HTML form post (`application/x-www-form-urlencoded`) as lead input: inputs become fields, the
 * hidden fields @leadkit/core fills (utm_*, landing_page, referrer, visitor_id, click IDs, ...) become
 * attribution, and the id is derived from the content, since a plain form sends no idempotency key.
 */
import { createHash } from 'node:crypto';
import { CLICK_ID_PARAMS, captureTouch } from '@leadkit/core';
import type { LeadInput } from '@leadkit/core/lead';

/** Where to send the visitor after a stored lead. */
export const NEXT_FIELD = '_next';
const TURNSTILE_FIELD = 'cf-turnstile-response';
const UTM_NAMES = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
/** The names @leadkit/core's `fieldValues` writes: attribution, never fields. */
export const ATTRIBUTION_NAMES: readonly string[] = [
  ...UTM_NAMES,
  'channel',
  'first_channel',
  'first_source',
  'first_medium',
  'first_campaign',
  'landing_page',
  'referrer',
  'visitor_id',
  ...CLICK_ID_PARAMS,
];
const ATTRIBUTION = new Set(ATTRIBUTION_NAMES);
/** A double click or a browser resend inside one window of this length is the same lead. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

export interface FormPost {
  lead: LeadInput;
  /** `_next` as sent (checked by the route), or undefined. */
  next: string | undefined;
}

type Fields = Record<string, string | string[]>;
type WireTouch = NonNullable<LeadInput['attribution']>['firstTouch'];

/** Inputs by name, a repeated name as an array in the order sent. */
function collect(params: URLSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, value] of params) {
    const list = out.get(name);
    if (list) list.push(value);
    else out.set(name, [value]);
  }
  return out;
}

/** The content hash that stands in for a client's idempotency key (32 base64url characters). */
export function formLeadId(
  formId: string,
  fields: Fields,
  visitorId: string | undefined,
  now: number,
): string {
  const sorted = Object.keys(fields)
    .sort()
    .map((k) => [k, fields[k]]);
  const window = Math.floor(now / DUPLICATE_WINDOW_MS);
  return createHash('sha256')
    .update(JSON.stringify([formId, sorted, visitorId ?? null, window]))
    .digest('base64url')
    .slice(0, 32);
}

/** `url`'s origin and path with `query` (empty values left out), or undefined when `url` is not absolute. */
function withQuery(url: string, query: [string, string | undefined][]): string | undefined {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    return undefined;
  }
  const out = new URL(base.origin + base.pathname);
  for (const [k, v] of query) if (v) out.searchParams.set(k, v);
  return out.href;
}

/**
 * First touch from `landing_page` + `referrer` (the server re-derives source, medium and channel from them,
 * as for widget leads). Last touch: the same when the utm_* values match the first touch's, else one
 * reconstructed from landing_page's origin+path with the posted utm_* values and click IDs as its query.
 * Both are timed at receipt: a plain form does not say when the visitor landed.
 */
function attributionOf(
  values: Map<string, string>,
  pageUrl: string | undefined,
  receivedAt: string,
): LeadInput['attribution'] {
  const get = (name: string) => values.get(name) || undefined;
  const clickIds = CLICK_ID_PARAMS.filter((n) => get(n)).map((n): [string, string] => [n, get(n)!]);
  const utm = UTM_NAMES.map((n): [string, string | undefined] => [n, get(n)]);
  const landing = get('landing_page') ?? (pageUrl && withQuery(pageUrl, [...utm, ...clickIds]));
  if (!landing) return undefined;
  const first = captureTouch({ url: landing, referrer: get('referrer'), timestamp: receivedAt });
  const firstUtm = [first.raw.source, first.raw.medium, first.campaign, first.term, first.content];
  const posted = utm.map(([, v]) => v);
  const same = posted.every((v) => v === undefined) || posted.every((v, i) => v === firstUtm[i]);
  const lastUrl = same ? undefined : withQuery(landing, [...utm, ...clickIds]);
  const last = lastUrl ? captureTouch({ url: lastUrl, timestamp: receivedAt }) : first;
  // Channels are left to the pipeline's reclassifyLead, which applies the server's channel rules.
  const firstTouch: WireTouch = first;
  const lastTouch: WireTouch = last;
  const visitorId = get('visitor_id');
  return {
    firstTouch,
    lastTouch,
    touches: last === first ? [firstTouch] : [firstTouch, lastTouch],
    ...(visitorId ? { visitorId } : {}),
  };
}

/**
 * The form post as lead input (validated afterwards by the same schema as JSON leads). `referer` is the
 * request's Referer header: the page the form was on, as far as the browser's referrer policy tells.
 */
export function formPostToLead(
  formId: string,
  body: string,
  options: { honeypotField: string; referer: string | null; now: number },
): FormPost {
  const inputs = collect(new URLSearchParams(body));
  const fields: Fields = {};
  const attribution = new Map<string, string>();
  for (const [name, list] of inputs) {
    if (name === NEXT_FIELD || name === options.honeypotField || name === TURNSTILE_FIELD) continue;
    if (ATTRIBUTION.has(name)) {
      // Inputs left empty (no script on the page, or nothing to say) carry no attribution.
      const value = list[list.length - 1]!;
      if (value) attribution.set(name, value);
    } else fields[name] = list.length === 1 ? list[0]! : list;
  }
  const receivedAt = new Date(options.now).toISOString();
  const pageUrl = options.referer ?? undefined;
  const honeypot = inputs.get(options.honeypotField)?.join('').slice(0, 1000);
  const turnstileToken = inputs.get(TURNSTILE_FIELD)?.[0];
  const visitorId = attribution.get('visitor_id') || undefined;
  const lead: LeadInput = {
    id: formLeadId(formId, fields, visitorId, options.now),
    formId,
    submittedAt: receivedAt,
    fields,
  };
  if (attribution.size > 0) {
    const a = attributionOf(attribution, pageUrl, receivedAt);
    if (a) lead.attribution = a;
    // Without a landing page or a Referer there is no touch to hang them on: keep them as fields.
    else for (const [name, value] of attribution) fields[name] = value;
  }
  if (pageUrl) lead.page = { url: pageUrl.slice(0, 2048) };
  if (honeypot !== undefined || turnstileToken !== undefined) {
    lead.meta = {
      ...(honeypot !== undefined ? { honeypot } : {}),
      ...(turnstileToken !== undefined ? { turnstileToken } : {}),
    };
  }
  return { lead, next: inputs.get(NEXT_FIELD)?.[0] };
}
