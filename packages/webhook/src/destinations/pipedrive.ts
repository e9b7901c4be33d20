/**
 * Pipedrive: find the person by email (or create them), then create a lead linked to that person, then
 * attach a note with the attribution. Leads carry deal custom fields (hash keys per company), which
 * `fields` can fill. Auth: a personal API token (sent as `api_token`, as Pipedrive's v1 docs show) or an
 * OAuth access token (Bearer; set `baseUrl` to the token's api_domain + "/api/v1").
 *
 * Duplicates: a retry after Pipedrive created the lead but before we heard back would create it again.
 * With `leadIdField` (a lead/deal custom field key) the Leadkit lead id is stored on the lead and retries
 * look it up first. Once the lead exists, a failing note does not fail the delivery (no second lead).
 */
import type { Lead } from '@leadkit/core/lead';
import { z } from 'zod';
import {
  canonicalFields,
  FieldOverridesSchema,
  mapFields,
  mergeFieldMaps,
  PIPEDRIVE_DEFAULT_FIELDS,
} from '../fields.js';
import { destinationBase } from './base.js';
import {
  classify,
  DeliveryStop,
  type HttpReply,
  type HttpRequest,
  isSuccess,
  runDelivery,
  send,
} from './http.js';
import type { DeliveryContext, DeliveryResult, Destination } from './types.js';

const VENDOR = 'Pipedrive';

export const PipedriveDestinationSchema = z
  .strictObject({
    type: z.literal('pipedrive'),
    ...destinationBase,
    /** Lead (deal) custom field hash keys → sources. */
    fields: FieldOverridesSchema.optional(),
    /** Personal API token (Settings → Personal preferences → API). */
    apiToken: z.string().min(1).optional(),
    /** OAuth access token, instead of apiToken. */
    accessToken: z.string().min(1).optional(),
    baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.pipedrive.com/v1'),
    /** Owner of new persons and leads (a Pipedrive user id); defaults to the token's user. */
    ownerId: z.number().int().positive().optional(),
    /** Lead label ids (UUIDs) to put on every lead. */
    labelIds: z.array(z.uuid()).max(20).optional(),
    /** Lead custom field key that stores the Leadkit lead id, so retries never create a second lead. */
    leadIdField: z
      .string()
      .regex(/^[0-9a-f]{40}$/, 'must be a 40-character custom field key')
      .optional(),
    /** Attach the attribution as a note on the lead (default true). */
    note: z.boolean().default(true),
  })
  .refine((c) => Boolean(c.apiToken) !== Boolean(c.accessToken), {
    message: 'set exactly one of apiToken (personal API token) or accessToken (OAuth)',
    path: ['apiToken'],
  });
export type PipedriveDestinationConfig = z.output<typeof PipedriveDestinationSchema>;
export type PipedriveDestinationInput = z.input<typeof PipedriveDestinationSchema>;

interface PipedriveBody {
  success?: boolean;
  error?: string;
  error_info?: string;
  code?: string;
  data?: unknown;
}

const HINTS: Record<number, string> = {
  401: 'Check the API token (or OAuth token) in the destination config, then replay.',
  402: 'The Pipedrive plan does not allow this; upgrade or remove the destination.',
  403: 'The token user lacks permission, or a plan limit was hit (see the code).',
  404: 'Check baseUrl: https://api.pipedrive.com/v1, or https://<company>.pipedrive.com/api/v1 with OAuth.',
};

function pipedriveResult(reply: HttpReply, ctx: DeliveryContext, step: string): DeliveryResult {
  const body = (reply.json ?? {}) as PipedriveBody;
  const detail = [body.code, body.error, body.error_info]
    .filter((p) => p !== undefined && p !== '')
    .join(': ');
  const result = classify(reply, ctx, `${VENDOR} (${step})`, {
    detail: detail || undefined,
    hint: HINTS[reply.status],
  });
  // Pipedrive's burst limits reset within seconds; it also says when in x-ratelimit-reset.
  if (result.kind === 'retry' && reply.status === 429 && result.afterMs === undefined) {
    const reset = Number(reply.headers.get('x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return { ...result, afterMs: reset * 1000 };
  }
  return result;
}

/** A reply that must be a success with `success: true`; anything else ends the delivery. */
function expectSuccess(reply: HttpReply, ctx: DeliveryContext, step: string): PipedriveBody {
  const body = (reply.json ?? {}) as PipedriveBody;
  if (isSuccess(reply) && body.success !== false) return body;
  if (isSuccess(reply)) {
    throw new DeliveryStop({
      kind: 'fail',
      status: reply.status,
      reason: `${VENDOR} (${step}) answered success: false: ${body.error ?? 'no error given'}`,
    });
  }
  throw new DeliveryStop(pipedriveResult(reply, ctx, step));
}

function firstItemId(body: PipedriveBody): string | number | undefined {
  const items = (body.data as { items?: { item?: { id?: string | number } }[] } | undefined)?.items;
  return items?.[0]?.item?.id;
}

function dataId(body: PipedriveBody): string | number | undefined {
  return (body.data as { id?: string | number } | undefined)?.id;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const html = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

const NOTE_ROWS: [label: string, key: string][] = [
  ['Channel (last touch)', 'last_touch_channel'],
  ['Source / medium', 'last_touch_source'],
  ['Campaign', 'last_touch_campaign'],
  ['First touch', 'first_touch_channel'],
  ['First source / medium', 'first_touch_source'],
  ['First campaign', 'first_touch_campaign'],
  ['Landing page', 'first_touch_landing_page'],
  ['Referrer', 'first_touch_referrer'],
  ['Form page', 'page_url'],
  ['Click ids', 'click_ids'],
  ['Consent', 'consent_text'],
  ['Message', 'message'],
];

/** The note's HTML: every value escaped (they come from the visitor). */
export function attributionNote(lead: Lead): string {
  const c = canonicalFields(lead);
  const withMedium = (source: string, medium: string | undefined) =>
    medium ? `${source} / ${medium}` : source;
  const rows = NOTE_ROWS.flatMap(([label, key]) => {
    let value = c[key];
    if (key === 'last_touch_source' && value) value = withMedium(value, c.last_touch_medium);
    if (key === 'first_touch_source' && value) value = withMedium(value, c.first_touch_medium);
    if (key === 'consent_text' && value)
      value = `${c.consent_granted === 'true' ? 'granted' : 'not granted'}: ${value}`;
    return value ? [`<b>${html(label)}:</b> ${html(value)}`] : [];
  });
  rows.push(`<b>Leadkit lead:</b> ${html(lead.id)} (form ${html(lead.formId)})`);
  return `<p>${rows.join('<br>')}</p>`;
}

function leadTitle(c: Record<string, string>, lead: Lead): string {
  const who = c.full_name ?? c.email ?? c.phone ?? `Website visitor ${lead.id}`;
  return c.company ? `${who} (${c.company})` : who;
}

/** A Pipedrive destination from a validated config (see PipedriveDestinationSchema). */
export function createPipedrive(input: PipedriveDestinationInput): Destination {
  const config = PipedriveDestinationSchema.parse(input);
  const map = mergeFieldMaps(PIPEDRIVE_DEFAULT_FIELDS, config.fields);
  const base = config.baseUrl.replace(/\/+$/, '');
  const auth: { headers: Record<string, string>; query: Record<string, string> } = config.accessToken
    ? { headers: { authorization: `Bearer ${config.accessToken}` }, query: {} }
    : { headers: {}, query: { api_token: config.apiToken! } };
  const owner = config.ownerId ? { owner_id: config.ownerId } : {};

  const call = (ctx: DeliveryContext, step: string, request: Omit<HttpRequest, 'url'> & { path: string }) =>
    send(ctx, VENDOR, {
      ...request,
      url: `${base}${request.path}`,
      headers: { ...auth.headers, ...request.headers },
      searchParams: { ...request.searchParams, ...auth.query },
    }).then((reply) => expectSuccess(reply, ctx, step));

  async function findOrCreatePerson(ctx: DeliveryContext, c: Record<string, string>, lead: Lead) {
    if (c.email) {
      const found = await call(ctx, 'person search', {
        method: 'GET',
        path: '/persons/search',
        searchParams: { term: c.email, fields: 'email', exact_match: 'true', limit: '1' },
      });
      const id = firstItemId(found);
      if (id !== undefined) return { id, created: false };
    }
    const created = await call(ctx, 'person create', {
      method: 'POST',
      path: '/persons',
      json: {
        name: c.full_name ?? c.email ?? c.phone ?? `Website visitor ${lead.id}`,
        ...(c.email ? { email: [{ value: c.email, primary: true, label: 'work' }] } : {}),
        ...(c.phone ? { phone: [{ value: c.phone, primary: true, label: 'work' }] } : {}),
        ...owner,
      },
    });
    const id = dataId(created);
    if (id === undefined) {
      throw new DeliveryStop({
        kind: 'retry',
        reason: `${VENDOR} (person create) answered without a person id`,
      });
    }
    return { id, created: true };
  }

  async function existingLead(ctx: DeliveryContext, personId: string | number, lead: Lead) {
    if (!config.leadIdField || ctx.attempt <= 1) return undefined;
    const found = await call(ctx, 'lead search', {
      method: 'GET',
      path: '/leads/search',
      searchParams: {
        term: lead.id,
        fields: 'custom_fields',
        exact_match: 'true',
        person_id: String(personId),
        limit: '1',
      },
    });
    return firstItemId(found);
  }

  async function deliver(lead: Lead, ctx: DeliveryContext): Promise<DeliveryResult> {
    const c = canonicalFields(lead, ctx);
    const person = await findOrCreatePerson(ctx, c, lead);
    const personNote = `person ${person.id} ${person.created ? 'created' : 'found'}`;
    const already = await existingLead(ctx, person.id, lead);
    if (already !== undefined)
      return { kind: 'ok', detail: `${personNote}; lead ${already} already existed` };

    const created = await call(ctx, 'lead create', {
      method: 'POST',
      path: '/leads',
      json: {
        ...mapFields(lead, map, ctx),
        ...(config.leadIdField ? { [config.leadIdField]: lead.id } : {}),
        title: leadTitle(c, lead),
        person_id: Number(person.id),
        ...owner,
        ...(config.labelIds ? { label_ids: config.labelIds } : {}),
      },
    });
    const leadId = dataId(created);
    const done = `${personNote}; lead ${leadId} created`;
    if (!config.note || leadId === undefined) return { kind: 'ok', detail: done };
    try {
      await call(ctx, 'note create', {
        method: 'POST',
        path: '/notes',
        json: { content: attributionNote(lead), lead_id: String(leadId) },
      });
    } catch (error) {
      // The lead exists: retrying would create a second one. Report the note as lost instead.
      const why =
        error instanceof DeliveryStop && error.result.kind !== 'ok' ? error.result.reason : String(error);
      return { kind: 'ok', detail: `${done}; attribution note not added: ${why}` };
    }
    return { kind: 'ok', detail: `${done} with attribution note` };
  }

  return {
    name: config.name,
    type: 'pipedrive',
    deliver: (lead, ctx) => runDelivery(VENDOR, () => deliver(lead, ctx)),
  };
}
