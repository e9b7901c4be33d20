/**
 * Attio: assert (upsert) the person by email, then attach a note with the enquiry and its attribution.
 *
 * - Person: `PUT /v2/objects/people/records?matching_attribute=email_addresses` with
 *   `{ data: { values: { email_addresses, name: [{ first_name, last_name, full_name }], ... } } }`
 *   (docs.attio.com "Assert a person record"; a plain POST throws on the unique email). Retries and
 *   replays update the same person, so the upsert needs no idempotency key. The assert keeps the
 *   person's other emails (the matching attribute only gains values) but replaces every other
 *   multiselect attribute with what it is sent (Attio's OpenAPI, "Assert a record"), and phone_numbers
 *   is multiselect: so the number is not asserted, it is added afterwards with
 *   `PATCH /v2/objects/people/records/{record_id}` (which prepends multiselect values), and only when
 *   the asserted person does not already have it.
 * - Note (`POST /v2/notes`, `{ data: { parent_object: "people", parent_record_id, title, format, content } }`,
 *   docs.attio.com "Create a note"): chosen over adding the person to a list because what a rep needs when
 *   they open the person is the message, the form and where the lead came from; Attio people have no
 *   attributes for those, and a list entry would need a per-workspace list and its attributes first.
 *   Once the person exists a failing note does not fail the delivery (it is reported in the detail), so a
 *   retry never asserts twice for nothing or duplicates the note.
 * Auth: `Authorization: Bearer <token>` (scopes record_permission:read-write, object_configuration:read,
 * note:read-write). Errors are `{ status_code, type, code, message }`; an attribute the workspace lacks
 * ("Cannot find attribute with slug/ID ...") is dropped and remembered, like HubSpot's unknown properties.
 * A 409 (the record was written by another request meanwhile; Attio says "Please try again") is retried;
 * a 429 carries `Retry-After` as an HTTP date (docs.attio.com "Rate limiting").
 */
import type { Lead } from '@leadkit/core/lead';
import { z } from 'zod';
import {
  ATTIO_DEFAULT_FIELDS,
  canonicalFields,
  FieldOverridesSchema,
  mapFields,
  mergeFieldMaps,
} from '../fields.js';
import { destinationBase } from './base.js';
import {
  classify,
  DeliveryStop,
  excerpt,
  type HttpReply,
  type HttpRequest,
  isSuccess,
  runDelivery,
  send,
} from './http.js';
import type { DeliveryContext, DeliveryResult, Destination } from './types.js';
import { skippedNote, tooManyRounds, UnknownFields } from './unknown-fields.js';

const VENDOR = 'Attio';
const MAX_ROUNDS = 8;

export const AttioDestinationSchema = z.strictObject({
  type: z.literal('attio'),
  ...destinationBase,
  /** Person attribute slugs → sources, over ATTIO_DEFAULT_FIELDS. */
  fields: FieldOverridesSchema.optional(),
  /** Access token (Workspace settings → Developers) with the record and note scopes. */
  accessToken: z.string().min(1, 'needs an Attio access token'),
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.attio.com'),
  /** Attach the enquiry and its attribution as a note on the person (default true). */
  note: z.boolean().default(true),
});
export type AttioDestinationConfig = z.output<typeof AttioDestinationSchema>;
export type AttioDestinationInput = z.input<typeof AttioDestinationSchema>;

interface AttioError {
  status_code?: number;
  type?: string;
  code?: string;
  message?: string;
  path?: unknown;
}

const HINTS: Record<number, string> = {
  401: 'Check accessToken (Attio → Workspace settings → Developers), then replay.',
  403: 'The token lacks a scope: it needs record_permission:read-write, object_configuration:read and note:read-write.',
  404: 'Check baseUrl: https://api.attio.com.',
};

function describe(body: AttioError): string | undefined {
  const path = Array.isArray(body.path) ? ` (at ${body.path.join('.')})` : '';
  const parts = [body.code, body.message].filter(Boolean).join(': ');
  return parts ? excerpt(`${parts}${path}`) : undefined;
}

function attioResult(reply: HttpReply, ctx: DeliveryContext, step: string): DeliveryResult {
  const body = (reply.json ?? {}) as AttioError;
  if (reply.status === 409) {
    // A concurrent write to the same record; nothing was written, and Attio asks for the request again.
    const said = describe(body);
    return {
      kind: 'retry',
      status: 409,
      reason: `${VENDOR} (${step}) answered 409${said ? `: ${said}` : ''}`,
    };
  }
  return classify(reply, ctx, `${VENDOR} (${step})`, {
    detail: describe(body),
    hint:
      reply.status === 400 && step === 'person'
        ? 'Fix the named attribute’s mapping in "fields" (or set it to null), then replay.'
        : HINTS[reply.status],
  });
}

/** Attribute slugs Attio says the people object does not have. */
function unknownAttributes(reply: HttpReply): string[] {
  if (reply.status !== 400 && reply.status !== 404) return [];
  const message = ((reply.json ?? {}) as AttioError).message ?? '';
  return [...message.matchAll(/attribute with slug\/ID "([^"]+)"/g)].map((m) => m[1]!);
}

const NOTE_ROWS: [label: string, key: string][] = [
  ['Message', 'message'],
  ['Company', 'company'],
  ['Phone', 'phone'],
  ['Channel (last touch)', 'last_touch_channel'],
  ['Source / medium', 'last_touch_source'],
  ['Campaign', 'last_touch_campaign'],
  ['First touch', 'first_touch_channel'],
  ['First source / medium', 'first_touch_source'],
  ['Landing page', 'first_touch_landing_page'],
  ['Referrer', 'first_touch_referrer'],
  ['Form page', 'page_url'],
  ['Click ids', 'click_ids'],
  ['Consent', 'consent_text'],
];

/** The note's plain text (Attio renders it as typed, so visitor input needs no escaping). */
export function attioNoteText(lead: Lead): string {
  const c = canonicalFields(lead);
  const rows = NOTE_ROWS.flatMap(([label, key]) => {
    let value = c[key];
    if (key === 'last_touch_source' && value && c.last_touch_medium)
      value = `${value} / ${c.last_touch_medium}`;
    if (key === 'first_touch_source' && value && c.first_touch_medium)
      value = `${value} / ${c.first_touch_medium}`;
    if (key === 'consent_text' && value)
      value = `${c.consent_granted === 'true' ? 'granted' : 'not granted'}: ${value}`;
    return value ? [`${label}: ${value}`] : [];
  });
  rows.push(`Leadkit lead: ${lead.id} (form ${lead.formId})`);
  return rows.join('\n');
}

/** A person's asserted values: email, name and the mapped attributes (the phone goes in separately). */
function personValues(c: Record<string, string>, mapped: Record<string, string>) {
  const name =
    c.first_name || c.last_name || c.full_name
      ? [
          {
            first_name: c.first_name ?? '',
            last_name: c.last_name ?? '',
            full_name: c.full_name ?? [c.first_name, c.last_name].filter(Boolean).join(' '),
          },
        ]
      : undefined;
  return { ...mapped, email_addresses: [c.email!], ...(name ? { name } : {}) };
}

interface PhoneValue {
  original_phone_number?: string;
  normalized_phone_number?: string;
}

/** "+44 20 7946 0000" and "+442079460000" are one number. */
const phoneKey = (phone: string) => phone.replace(/[^\d+]/g, '');

/** Whether the asserted person (the assert answers with their values) already has this number. */
function hasPhone(reply: HttpReply, phone: string): boolean {
  const values = (reply.json as { data?: { values?: { phone_numbers?: PhoneValue[] } } } | undefined)?.data
    ?.values?.phone_numbers;
  const key = phoneKey(phone);
  return (values ?? []).some((v) =>
    [v.original_phone_number, v.normalized_phone_number].some((n) => n !== undefined && phoneKey(n) === key),
  );
}

/** An Attio destination from a validated config (see AttioDestinationSchema). */
export function createAttio(input: AttioDestinationInput): Destination {
  const config = AttioDestinationSchema.parse(input);
  const map = mergeFieldMaps(ATTIO_DEFAULT_FIELDS, config.fields);
  const base = config.baseUrl.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${config.accessToken}` };
  const unknown = new UnknownFields();

  async function assertPerson(ctx: DeliveryContext, lead: Lead, c: Record<string, string>) {
    const mapped = mapFields(lead, map, ctx);
    for (let round = 1; ; round++) {
      const kept = unknown.keep(mapped);
      const reply = await send(ctx, VENDOR, {
        method: 'PUT',
        url: `${base}/v2/objects/people/records`,
        searchParams: { matching_attribute: 'email_addresses' },
        headers,
        json: { data: { values: personValues(c, kept) } },
      });
      if (isSuccess(reply)) {
        const id = (reply.json as { data?: { id?: { record_id?: string } } } | undefined)?.data?.id
          ?.record_id;
        if (!id) {
          throw new DeliveryStop({
            kind: 'retry',
            reason: `${VENDOR} (person) answered without a record id`,
          });
        }
        // Attio parses phone numbers against a country; without one only "+..." numbers are unambiguous.
        const phone = c.phone?.startsWith('+') && !hasPhone(reply, c.phone) ? c.phone : undefined;
        return { id, phone, skipped: skippedNote(VENDOR, unknown.skipped(mapped)) };
      }
      if (!unknown.learn(unknownAttributes(reply), kept))
        throw new DeliveryStop(attioResult(reply, ctx, 'person'));
      if (round >= MAX_ROUNDS) throw new DeliveryStop(tooManyRounds(VENDOR, reply.status, round));
    }
  }

  /** A step once the person exists: its failure is reported, not retried (a retry would redo the rest). */
  async function afterPerson(ctx: DeliveryContext, step: string, what: string, request: HttpRequest) {
    try {
      const reply = await send(ctx, VENDOR, { ...request, headers });
      if (isSuccess(reply)) return `with ${what}`;
      const result = attioResult(reply, ctx, step);
      return `${what} not added: ${result.kind === 'ok' ? '' : result.reason}`;
    } catch (error) {
      const why =
        error instanceof DeliveryStop && error.result.kind !== 'ok' ? error.result.reason : String(error);
      return `${what} not added: ${why}`;
    }
  }

  const addPhone = (ctx: DeliveryContext, personId: string, phone: string) =>
    afterPerson(ctx, 'phone', 'phone number', {
      method: 'PATCH',
      url: `${base}/v2/objects/people/records/${encodeURIComponent(personId)}`,
      json: { data: { values: { phone_numbers: [{ original_phone_number: phone }] } } },
    });

  const addNote = (ctx: DeliveryContext, lead: Lead, personId: string) =>
    afterPerson(ctx, 'note', 'attribution note', {
      method: 'POST',
      url: `${base}/v2/notes`,
      json: {
        data: {
          parent_object: 'people',
          parent_record_id: personId,
          title: `Website enquiry (${lead.formId})`,
          format: 'plaintext',
          content: attioNoteText(lead),
        },
      },
    });

  async function deliver(lead: Lead, ctx: DeliveryContext): Promise<DeliveryResult> {
    const c = canonicalFields(lead, ctx);
    if (!c.email) {
      return {
        kind: 'fail',
        reason: `${VENDOR} matches people on their email and this lead has none; add a required email field to the form, or send such leads elsewhere with "when"`,
      };
    }
    const person = await assertPerson(ctx, lead, c);
    const parts = [`person ${person.id} asserted`];
    if (person.phone) parts.push(await addPhone(ctx, person.id, person.phone));
    if (config.note) parts.push(await addNote(ctx, lead, person.id));
    if (person.skipped) parts.push(person.skipped);
    return { kind: 'ok', detail: parts.join('; ') };
  }

  return {
    name: config.name,
    type: 'attio',
    deliver: (lead, ctx) => runDelivery(VENDOR, () => deliver(lead, ctx)),
  };
}
