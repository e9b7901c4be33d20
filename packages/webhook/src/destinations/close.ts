/**
 * Close: one lead per submission, `POST /api/v1/lead/` with the person as a nested contact
 * (`contacts: [{ name, title, emails: [{ email, type: "office" }], phones: [...] }]`), an optional
 * `status_id`, and custom fields as `custom.cf_<id>` keys from `fields`. Auth: HTTP Basic with the API key
 * as username and an empty password (developer.close.com/api, "Authentication").
 *
 * Duplicates: Close has no idempotency key, so a retry after a lost answer would create a second lead.
 * Retries therefore look the lead up first with the Advanced Filtering API (`POST /api/v1/data/search/`;
 * the lead endpoint's `query` parameter is deprecated since 2022-02-14): by the custom field holding the
 * Leadkit lead id when `leadIdField` is set (exact, and it is written on create), else by the contact's
 * email (a lead of the same person created earlier also counts as "already there"). The first attempt
 * never searches: nothing can exist yet, and it saves a call.
 *
 * Errors (developer.close.com "HTTP Response Codes", "Rate Limits"; the official client closeio/closeio-api):
 * 400 bad request with `{ "errors": [...], "field-errors": { field: message } }`, 401 bad key, 402 plan
 * limit, 403 not allowed, 429 with a `rate_reset` (seconds) to wait in the body's `error`; the headers
 * carry it too: `RateLimit: limit=.., remaining=.., reset=..` (older answers: `RateLimit-Reset` or
 * `X-Rate-Limit-Reset`).
 */
import type { Lead } from '@leadkit/core/lead';
import { z } from 'zod';
import {
  CLOSE_DEFAULT_FIELDS,
  canonicalFields,
  FieldOverridesSchema,
  mapFields,
  mergeFieldMaps,
} from '../fields.js';
import { destinationBase } from './base.js';
import { classify, DeliveryStop, excerpt, type HttpReply, isSuccess, runDelivery, send } from './http.js';
import type { DeliveryContext, DeliveryResult, Destination } from './types.js';

const VENDOR = 'Close';

export const CloseDestinationSchema = z.strictObject({
  type: z.literal('close'),
  ...destinationBase,
  /** Lead fields and `custom.cf_<id>` custom fields → sources, over CLOSE_DEFAULT_FIELDS. */
  fields: FieldOverridesSchema.optional(),
  /** API key (Settings → Developer → API Keys); sent as the Basic auth username. */
  apiKey: z.string().min(1, 'needs a Close API key (api_...)'),
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.close.com/api/v1'),
  /** Lead status for new leads; the organisation's first status otherwise. */
  statusId: z
    .string()
    .regex(
      /^stat_[A-Za-z0-9]+$/,
      'must be a lead status id such as stat_1ZdiZqcSIkoGVnNOyxiEY58eTGQmFNG3LPlEVQ4V7Nk',
    )
    .optional(),
  /** A lead custom field (text) that stores the Leadkit lead id, so retries find the lead exactly. */
  leadIdField: z
    .string()
    .regex(
      /^cf_[A-Za-z0-9]+$/,
      'must be a custom field id such as cf_v6S011I6MqcbVvB2FA5Nk8dr5MkL8sWuCiG8cUleO9c',
    )
    .optional(),
});
export type CloseDestinationConfig = z.output<typeof CloseDestinationSchema>;
export type CloseDestinationInput = z.input<typeof CloseDestinationSchema>;

interface CloseErrorBody {
  error?: string | { message?: string; rate_reset?: number };
  errors?: unknown[];
  'field-errors'?: Record<string, unknown>;
}

const HINTS: Record<number, string> = {
  401: 'Check apiKey (Close → Settings → Developer → API Keys), then replay.',
  402: 'A limit of the Close plan was reached; raise it or remove the destination.',
  403: 'The API key’s user may not create leads: check its role.',
  404: 'Check baseUrl: https://api.close.com/api/v1.',
};

/** "status_id: Lead status does not exist.; contacts.0.emails: ..." */
function fieldErrors(errors: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(errors).flatMap(([key, value]) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? fieldErrors(value as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}: ${Array.isArray(value) ? value.join(' ') : String(value)}`],
  );
}

function describe(body: CloseErrorBody): string | undefined {
  const parts: string[] = [];
  if (typeof body.error === 'string') parts.push(body.error);
  else if (body.error?.message) parts.push(body.error.message);
  for (const e of body.errors ?? []) parts.push(typeof e === 'string' ? e : JSON.stringify(e));
  if (body['field-errors']) parts.push(...fieldErrors(body['field-errors']));
  return parts.length ? excerpt(parts.join('; ')) : undefined;
}

/** Seconds to wait from the body's `rate_reset`, else the `RateLimit` header's `reset=`, else `RateLimit-Reset`. */
function rateResetMs(reply: HttpReply, body: CloseErrorBody): number | undefined {
  const fromBody = typeof body.error === 'object' ? body.error?.rate_reset : undefined;
  const fromHeader =
    /(?:^|[,;\s])reset=(\d+(?:\.\d+)?)/.exec(reply.headers.get('ratelimit') ?? '')?.[1] ??
    (reply.headers.get('ratelimit-reset') || reply.headers.get('x-rate-limit-reset') || undefined);
  const seconds = fromBody ?? (fromHeader === undefined ? undefined : Number(fromHeader));
  return seconds !== undefined && Number.isFinite(seconds) && seconds >= 0
    ? Math.ceil(seconds * 1000)
    : undefined;
}

function closeResult(reply: HttpReply, ctx: DeliveryContext, step: string): DeliveryResult {
  const body = (reply.json ?? {}) as CloseErrorBody;
  const result = classify(reply, ctx, `${VENDOR} (${step})`, {
    detail: describe(body),
    hint:
      reply.status === 400 && body['field-errors']
        ? 'Fix the named field (a mapping in "fields", statusId or leadIdField), then replay.'
        : HINTS[reply.status],
  });
  if (result.kind === 'retry' && reply.status === 429 && result.afterMs === undefined) {
    const afterMs = rateResetMs(reply, body);
    if (afterMs !== undefined) return { ...result, afterMs };
  }
  return result;
}

function textIs(field: Record<string, string>, value: string) {
  return { type: 'field_condition', field, condition: { type: 'text', mode: 'exact_value', value } };
}

/** The Advanced Filtering query for a lead by our id (custom field) or by a contact's email. */
export function closeLookupQuery(by: { leadIdField: string; leadId: string } | { email: string }) {
  const match =
    'leadIdField' in by
      ? textIs({ type: 'custom_field', custom_field_id: by.leadIdField }, by.leadId)
      : {
          type: 'has_related',
          this_object_type: 'lead',
          related_object_type: 'contact',
          related_query: {
            type: 'has_related',
            this_object_type: 'contact',
            related_object_type: 'contact_email',
            related_query: textIs(
              { type: 'regular_field', object_type: 'contact_email', field_name: 'email' },
              by.email.toLowerCase(),
            ),
          },
        };
  return {
    query: { type: 'and', queries: [{ type: 'object_type', object_type: 'lead' }, match] },
    _fields: { lead: ['id', 'display_name'] },
    _limit: 1,
  };
}

/** A Close destination from a validated config (see CloseDestinationSchema). */
export function createClose(input: CloseDestinationInput): Destination {
  const config = CloseDestinationSchema.parse(input);
  const map = mergeFieldMaps(CLOSE_DEFAULT_FIELDS, config.fields);
  const base = config.baseUrl.replace(/\/+$/, '');
  // btoa, not Buffer: this module is part of the runtime-neutral entry (Workers, Deno). API keys are ASCII.
  const authorization = `Basic ${btoa(`${config.apiKey}:`)}`;

  async function call(ctx: DeliveryContext, step: string, path: string, json: unknown) {
    const reply = await send(ctx, VENDOR, {
      method: 'POST',
      url: `${base}${path}`,
      headers: { authorization },
      json,
    });
    if (!isSuccess(reply)) throw new DeliveryStop(closeResult(reply, ctx, step));
    return reply;
  }

  async function existingLead(ctx: DeliveryContext, lead: Lead, email: string | undefined) {
    if (ctx.attempt <= 1) return undefined;
    const by = config.leadIdField
      ? { leadIdField: config.leadIdField, leadId: lead.id }
      : email
        ? { email }
        : undefined;
    if (!by) return undefined;
    const reply = await call(ctx, 'lead search', '/data/search/', closeLookupQuery(by));
    const found = (reply.json as { data?: { id?: string }[] } | undefined)?.data?.[0]?.id;
    return found ? { id: found, by: 'leadIdField' in by ? 'lead id' : 'email' } : undefined;
  }

  async function deliver(lead: Lead, ctx: DeliveryContext): Promise<DeliveryResult> {
    const c = canonicalFields(lead, ctx);
    const already = await existingLead(ctx, lead, c.email);
    if (already) return { kind: 'ok', detail: `lead ${already.id} already existed (found by ${already.by})` };

    const person = c.full_name ?? c.email ?? c.phone ?? `Website visitor ${lead.id}`;
    const contact = {
      name: c.full_name ?? c.email ?? c.phone ?? person,
      ...(c.job_title ? { title: c.job_title } : {}),
      ...(c.email ? { emails: [{ email: c.email, type: 'office' }] } : {}),
      ...(c.phone ? { phones: [{ phone: c.phone, type: 'office' }] } : {}),
    };
    const reply = await call(ctx, 'lead create', '/lead/', {
      ...mapFields(lead, map, ctx),
      name: c.company ?? person,
      contacts: [contact],
      ...(config.statusId ? { status_id: config.statusId } : {}),
      ...(config.leadIdField ? { [`custom.${config.leadIdField}`]: lead.id } : {}),
    });
    const id = (reply.json as { id?: string } | undefined)?.id;
    return { kind: 'ok', status: reply.status, detail: `lead ${id ?? '(no id)'} created` };
  }

  return {
    name: config.name,
    type: 'close',
    deliver: (lead, ctx) => runDelivery(VENDOR, () => deliver(lead, ctx)),
  };
}
