/**
 * HubSpot, two ways (config `mode`):
 * - "form": Forms API v3 submission, so HubSpot stitches the lead to the visitor's browsing history
 *   (`hutk`), runs form workflows and records consent. With `accessToken` it uses the authenticated
 *   endpoint; without, the public one (rate limited to 50 per 10 s).
 * - "contact": CRM v3 contact upsert by email with a private app token (scope crm.objects.contacts.write).
 * Both send the field map's values; fields the portal does not have are dropped and remembered.
 */
import type { Lead } from '@leadkit/core/lead';
import { z } from 'zod';
import { FieldOverridesSchema, HUBSPOT_DEFAULT_FIELDS, mapFields, mergeFieldMaps } from '../fields.js';
import { destinationBase } from './base.js';
import { classify, excerpt, type HttpReply, isSuccess, runDelivery, send } from './http.js';
import type { DeliveryContext, DeliveryResult, Destination } from './types.js';
import { skippedNote, tooManyRounds, UnknownFields } from './unknown-fields.js';

const VENDOR = 'HubSpot';
/** HubSpot's burst window is 10 s; waiting it out avoids its one-minute IP block after repeated 429s. */
const RATE_WINDOW_MS = 10_000;
const MAX_ROUNDS = 3;

const common = {
  ...destinationBase,
  fields: FieldOverridesSchema.optional(),
};

const LegalConsentSchema = z.discriminatedUnion('type', [
  z.strictObject({
    /** Send the lead's consent (granted + text) as consent to process. */
    type: z.literal('consent'),
    /** Also record a communication subscription with the same answer. */
    subscriptionTypeId: z.number().int().positive().optional(),
    /** Wording for that subscription; defaults to the lead's consent text. */
    communicationText: z.string().min(1).max(10_000).optional(),
  }),
  z.strictObject({
    type: z.literal('legitimateInterest'),
    subscriptionTypeId: z.number().int().positive(),
    legalBasis: z.enum(['LEAD', 'CUSTOMER']),
    text: z.string().min(1).max(10_000),
  }),
]);

export const HubSpotFormSchema = z.strictObject({
  type: z.literal('hubspot'),
  mode: z.literal('form'),
  ...common,
  portalId: z.union([
    z.string().regex(/^\d+$/, 'must be the numeric portal (hub) id'),
    z.number().int().positive(),
  ]),
  formGuid: z.string().regex(/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i, 'must be the form GUID'),
  /** Private app token with the `forms` scope: uses the authenticated submit endpoint. */
  accessToken: z.string().min(1).optional(),
  legalConsent: LegalConsentSchema.optional(),
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.hsforms.com'),
});

export const HubSpotContactSchema = z.strictObject({
  type: z.literal('hubspot'),
  mode: z.literal('contact'),
  ...common,
  /** Private app token with crm.objects.contacts.write. */
  accessToken: z.string().min(1, 'needs a private app token (crm.objects.contacts.write)'),
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.hubapi.com'),
});

/** `{ "type": "hubspot", "mode": "form" | "contact", ... }` */
export const HubSpotDestinationSchema = z.discriminatedUnion('mode', [
  HubSpotFormSchema,
  HubSpotContactSchema,
]);
export type HubSpotDestinationConfig = z.output<typeof HubSpotDestinationSchema>;
export type HubSpotDestinationInput = z.input<typeof HubSpotDestinationSchema>;

interface HubSpotErrorBody {
  status?: string;
  message?: string;
  category?: string;
  errorType?: string;
  policyName?: string;
  errors?: { message?: string; errorType?: string }[];
}

const errorBody = (reply: HttpReply): HubSpotErrorBody =>
  reply.json && typeof reply.json === 'object' ? (reply.json as HubSpotErrorBody) : {};

/** `INVALID_EMAIL: Email address x is invalid; ...` or the message. */
function describe(body: HubSpotErrorBody, reply: HttpReply): string {
  const listed = (body.errors ?? []).map((e) => [e.errorType, e.message].filter(Boolean).join(': '));
  if (listed.length) return excerpt(listed.join('; '));
  const head = [body.category ?? body.errorType, body.message].filter(Boolean).join(': ');
  return excerpt(head || reply.text);
}

const HINTS: Record<string, string> = {
  INVALID_AUTHENTICATION: 'Check the private app token in the destination config, then replay.',
  MISSING_SCOPES: 'Give the private app the scope the message names, then replay.',
  INVALID_EMAIL: 'The lead has an email HubSpot will not accept; correct it and replay if it matters.',
  BLOCKED_EMAIL: 'HubSpot blocks this email address; nothing to retry.',
  REQUIRED_FIELD: 'The HubSpot form requires a field the lead lacks: map one in "fields" or relax the form.',
};

function hubspotResult(reply: HttpReply, ctx: DeliveryContext, notFoundHint: string): DeliveryResult {
  const body = errorBody(reply);
  const codes = [...(body.errors ?? []).map((e) => e.errorType), body.category];
  if (reply.status === 401) codes.push('INVALID_AUTHENTICATION');
  const hint = codes.map((code) => (code ? HINTS[code] : undefined)).find(Boolean);
  const result = classify(reply, ctx, VENDOR, {
    detail: describe(body, reply),
    hint: hint ?? (reply.status === 404 ? notFoundHint : undefined),
  });
  if (result.kind === 'retry' && reply.status === 429 && result.afterMs === undefined) {
    return { ...result, afterMs: RATE_WINDOW_MS };
  }
  return result;
}

const FORM_NOT_FOUND = 'Check portalId and formGuid (and baseUrl).';
const CONTACT_NOT_FOUND = 'Check baseUrl (https://api.hubapi.com).';

/** Field names HubSpot says do not exist, from "Error in 'fields.x'" or 'Property "x" does not exist'. */
function rejectedFields(reply: HttpReply): string[] {
  if (reply.status !== 400) return [];
  const body = errorBody(reply);
  const names: string[] = [];
  for (const e of body.errors ?? []) {
    if (e.errorType !== 'FIELD_NOT_IN_FORM_DEFINITION') continue;
    const m = /'fields\.([^']+)'/.exec(e.message ?? '');
    if (m?.[1]) names.push(m[1].replace(/^0-1\//, ''));
  }
  if (/PROPERTY_DOESNT_EXIST/.test(reply.text)) {
    for (const m of reply.text.matchAll(/Property \\*"([^"\\]+)\\*" does not exist/g)) names.push(m[1]!);
  }
  return names;
}

const hasInvalidHutk = (reply: HttpReply) =>
  reply.status === 400 && (errorBody(reply).errors ?? []).some((e) => e.errorType === 'INVALID_HUTK');

/** The visitor's `hubspotutk` cookie value, from a hidden form field `hutk` (or `hubspotutk`). */
export function hutkOf(lead: Lead): string | undefined {
  const value = lead.fields.hutk ?? lead.fields.hubspotutk;
  // HubSpot answers INVALID_HUTK (rejecting the lead) for anything but its 32-hex-digit token.
  return typeof value === 'string' && /^[0-9a-f]{32}$/i.test(value) ? value : undefined;
}

type FormConfig = z.output<typeof HubSpotFormSchema>;

function legalConsentOptions(lead: Lead, config: FormConfig): object | undefined {
  const setting = config.legalConsent;
  if (setting?.type === 'legitimateInterest') {
    return {
      legitimateInterest: {
        value: true,
        subscriptionTypeId: setting.subscriptionTypeId,
        legalBasis: setting.legalBasis,
        text: setting.text,
      },
    };
  }
  const consent = lead.consent;
  if (!consent?.text) return undefined;
  const communicationText = setting?.communicationText ?? consent.text;
  return {
    consent: {
      consentToProcess: consent.granted,
      text: consent.text,
      ...(setting?.subscriptionTypeId
        ? {
            communications: [
              {
                value: consent.granted,
                subscriptionTypeId: setting.subscriptionTypeId,
                text: communicationText,
              },
            ],
          }
        : {}),
    },
  };
}

function formContext(lead: Lead, withHutk: boolean): Record<string, string> {
  const hutk = withHutk ? hutkOf(lead) : undefined;
  const context: Record<string, string> = {};
  if (hutk) context.hutk = hutk;
  if (lead.page?.url) context.pageUri = lead.page.url;
  if (lead.page?.title) context.pageName = lead.page.title;
  return context;
}

function okDetail(parts: (string | undefined)[]): DeliveryResult {
  const detail = parts.filter(Boolean).join('; ');
  return detail ? { kind: 'ok', detail } : { kind: 'ok' };
}

function createFormDelivery(config: FormConfig) {
  const map = mergeFieldMaps(HUBSPOT_DEFAULT_FIELDS, config.fields);
  const unknown = new UnknownFields();
  const path = `/submissions/v3/integration/${config.accessToken ? 'secure/submit' : 'submit'}/${config.portalId}/${config.formGuid}`;
  const url = new URL(path, config.baseUrl).toString();
  const headers: Record<string, string> = config.accessToken
    ? { authorization: `Bearer ${config.accessToken}` }
    : {};

  return async (lead: Lead, ctx: DeliveryContext): Promise<DeliveryResult> => {
    const values = mapFields(lead, map, ctx);
    let withHutk = true;
    let dropHutkNote: string | undefined;
    for (let round = 1; ; round++) {
      const kept = unknown.keep(values);
      const consent = legalConsentOptions(lead, config);
      const context = formContext(lead, withHutk);
      const reply = await send(ctx, VENDOR, {
        method: 'POST',
        url,
        headers,
        json: {
          fields: Object.entries(kept).map(([name, value]) => ({ objectTypeId: '0-1', name, value })),
          ...(ctx.receivedAt ? { submittedAt: String(ctx.receivedAt.getTime()) } : {}),
          ...(Object.keys(context).length ? { context } : {}),
          ...(consent ? { legalConsentOptions: consent } : {}),
        },
      });
      if (isSuccess(reply)) {
        return okDetail([skippedNote(VENDOR, unknown.skipped(values)), dropHutkNote]);
      }
      const learned = unknown.learn(rejectedFields(reply), kept);
      const hutkRejected = withHutk && context.hutk !== undefined && hasInvalidHutk(reply);
      if (hutkRejected) {
        withHutk = false;
        dropHutkNote =
          'sent without the hutk HubSpot rejected (the contact will not be tied to its browsing history)';
      }
      if (!learned && !hutkRejected) return hubspotResult(reply, ctx, FORM_NOT_FOUND);
      if (round >= MAX_ROUNDS) return tooManyRounds(VENDOR, reply.status, round);
    }
  };
}

type ContactConfig = z.output<typeof HubSpotContactSchema>;

function createContactDelivery(config: ContactConfig) {
  const map = mergeFieldMaps(HUBSPOT_DEFAULT_FIELDS, config.fields);
  const unknown = new UnknownFields();
  const url = new URL('/crm/v3/objects/contacts/batch/upsert', config.baseUrl).toString();
  const headers = { authorization: `Bearer ${config.accessToken}` };
  const emailProperty = Object.entries(map).find(([, spec]) => spec === 'email')?.[0] ?? 'email';

  return async (lead: Lead, ctx: DeliveryContext): Promise<DeliveryResult> => {
    const { [emailProperty]: email, ...properties } = mapFields(lead, map, ctx);
    if (!email) {
      return {
        kind: 'fail',
        reason: `${VENDOR} contact upsert needs an email (HubSpot dedupes contacts by email) and lead ${lead.id} has none; use mode "form" for leads without email`,
      };
    }
    for (let round = 1; ; round++) {
      const kept = unknown.keep(properties);
      const reply = await send(ctx, VENDOR, {
        method: 'POST',
        url,
        headers,
        json: { inputs: [{ id: email, idProperty: 'email', properties: kept }] },
      });
      const body = errorBody(reply) as HubSpotErrorBody & { results?: { id?: string; new?: boolean }[] };
      // 207 Multi-Status: the batch call succeeded but our one input did not.
      const partialFailure = reply.status === 207 && !(body.results?.length ?? 0);
      if (isSuccess(reply) && !partialFailure) {
        const contact = body.results?.[0];
        const what = contact?.id ? `contact ${contact.id} ${contact.new ? 'created' : 'updated'}` : undefined;
        return okDetail([what, skippedNote(VENDOR, unknown.skipped(properties))]);
      }
      if (partialFailure) {
        return {
          kind: 'fail',
          status: 207,
          reason: `${VENDOR} rejected the contact: ${describe(body, reply)}`,
        };
      }
      if (!unknown.learn(rejectedFields(reply), kept)) return hubspotResult(reply, ctx, CONTACT_NOT_FOUND);
      if (round >= MAX_ROUNDS) return tooManyRounds(VENDOR, reply.status, round);
    }
  };
}

/** A HubSpot destination from a validated config (see HubSpotDestinationSchema). */
export function createHubSpot(input: HubSpotDestinationInput): Destination {
  const config = HubSpotDestinationSchema.parse(input);
  const deliver = config.mode === 'form' ? createFormDelivery(config) : createContactDelivery(config);
  return {
    name: config.name,
    type: 'hubspot',
    deliver: (lead, ctx) => runDelivery(VENDOR, () => deliver(lead, ctx)),
  };
}
