/**
 * Salesforce, two ways (config `mode`):
 * - "rest": upsert a Lead on an external id field holding the Leadkit lead id
 *   (`PATCH /services/data/vXX.X/sobjects/Lead/<ExternalIdField>/<lead id>`), so retries and replays
 *   update the same record instead of duplicating it. Needs an OAuth access token; refreshing it is the
 *   caller's job: pass a function (programmatic use) and it is asked again on every attempt.
 * - "web-to-lead": the form post Salesforce offers without OAuth (`oid` only). It has no machine-readable
 *   errors (failures are emailed to the org's admin) and no deduplication.
 */
import type { Lead } from '@leadkit/core/lead';
import { z } from 'zod';
import {
  FieldOverridesSchema,
  mapFields,
  mergeFieldMaps,
  SALESFORCE_DEFAULT_FIELDS,
  WEB_TO_LEAD_DEFAULT_FIELDS,
} from '../fields.js';
import { destinationBase } from './base.js';
import { classify, excerpt, type HttpReply, isSuccess, retryAfterMs, runDelivery, send } from './http.js';
import type { DeliveryContext, DeliveryResult, Destination } from './types.js';
import { skippedNote, tooManyRounds, UnknownFields } from './unknown-fields.js';

const VENDOR = 'Salesforce';
/** Salesforce names one unknown field per answer, so a fresh org without our custom fields needs rounds. */
const MAX_ROUNDS = 16;

export type AccessTokenSource = string | (() => string | Promise<string>);

const AccessToken = z.union([
  z.string().min(1, 'needs an OAuth access token'),
  z.custom<() => string | Promise<string>>((v) => typeof v === 'function', 'must be a string or a function'),
]);

export const SalesforceRestSchema = z.strictObject({
  type: z.literal('salesforce'),
  mode: z.literal('rest'),
  ...destinationBase,
  fields: FieldOverridesSchema.optional(),
  /** The org's My Domain URL, e.g. https://acme.my.salesforce.com (the token response's instance_url). */
  instanceUrl: z.url({
    protocol: /^https?$/,
    error: 'must be the org URL, e.g. https://acme.my.salesforce.com',
  }),
  accessToken: AccessToken,
  apiVersion: z
    .string()
    .regex(/^\d{2,3}\.0$/, 'must look like "62.0"')
    .default('62.0'),
  /** A unique External ID text field on Lead that stores the Leadkit lead id. */
  externalIdField: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a field API name such as LeadCaptureId__c')
    .default('LeadCaptureId__c'),
  /** Sforce-Auto-Assign: run lead assignment rules (Salesforce's default is true), or a rule id. */
  autoAssign: z.union([z.boolean(), z.string().regex(/^01Q[A-Za-z0-9]{12,15}$/)]).optional(),
});

export const SalesforceWebToLeadSchema = z.strictObject({
  type: z.literal('salesforce'),
  mode: z.literal('web-to-lead'),
  ...destinationBase,
  fields: FieldOverridesSchema.optional(),
  /** The org id Salesforce puts in its generated Web-to-Lead form (15 or 18 characters, starts with 00D). */
  oid: z
    .string()
    .regex(/^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, 'must be the org id (00D..., 15 or 18 characters)'),
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://webto.salesforce.com'),
});

/** `{ "type": "salesforce", "mode": "rest" | "web-to-lead", ... }` */
export const SalesforceDestinationSchema = z.discriminatedUnion('mode', [
  SalesforceRestSchema,
  SalesforceWebToLeadSchema,
]);
export type SalesforceDestinationConfig = z.output<typeof SalesforceDestinationSchema>;
export type SalesforceDestinationInput = z.input<typeof SalesforceDestinationSchema>;

interface SalesforceError {
  message?: string;
  errorCode?: string;
  fields?: string[];
}

function errorsOf(reply: HttpReply): SalesforceError[] {
  const body = reply.json;
  if (Array.isArray(body)) return body as SalesforceError[];
  if (body && typeof body === 'object' && Array.isArray((body as { errors?: unknown }).errors)) {
    return (body as { errors: SalesforceError[] }).errors;
  }
  return [];
}

const TRANSIENT_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'REQUEST_LIMIT_EXCEEDED',
  'SERVER_UNAVAILABLE',
  'API_CURRENTLY_DISABLED',
]);

const HINTS: Record<string, string> = {
  INVALID_SESSION_ID:
    'The access token expired or is invalid: give the destination a fresh one (or a function that refreshes it), then replay.',
  REQUIRED_FIELD_MISSING: 'Map the missing Lead fields in "fields" (LastName and Company are required).',
  NOT_FOUND: 'Check externalIdField: it must be an External ID field on Lead that the user can write.',
  INVALID_FIELD_FOR_INSERT_UPDATE:
    'The integration user cannot write a mapped field: grant field access or remove it from "fields".',
  INSUFFICIENT_ACCESS_OR_READONLY:
    'The integration user may not create Leads: fix its profile or permission set.',
  FIELD_CUSTOM_VALIDATION_EXCEPTION: 'A validation rule on Lead rejected the record.',
  INVALID_EMAIL_ADDRESS: 'The lead email is not valid for Salesforce; correct it and replay if it matters.',
};

function salesforceResult(reply: HttpReply, ctx: DeliveryContext, tokenRefreshes: boolean): DeliveryResult {
  const errors = errorsOf(reply);
  const detail = errors.length
    ? excerpt(errors.map((e) => [e.errorCode, e.message].filter(Boolean).join(': ')).join('; '))
    : undefined;
  const codes = errors.map((e) => e.errorCode ?? '');
  if (reply.status === 300) {
    return {
      kind: 'fail',
      status: 300,
      reason: `${VENDOR} answered 300: several Leads share this external id; make the external id field unique, merge the duplicates, then replay`,
    };
  }
  if (codes.some((c) => TRANSIENT_CODES.has(c))) {
    const afterMs = retryAfterMs(reply, ctx);
    const reason = `${VENDOR} answered ${reply.status}: ${detail}`;
    return afterMs === undefined
      ? { kind: 'retry', status: reply.status, reason }
      : { kind: 'retry', status: reply.status, reason, afterMs };
  }
  if (reply.status === 401 && tokenRefreshes) {
    // The next attempt asks the token function again.
    return {
      kind: 'retry',
      status: 401,
      reason: `${VENDOR} answered 401: ${detail ?? 'session invalid'} (token will be refreshed)`,
    };
  }
  const hint =
    codes.map((c) => HINTS[c]).find(Boolean) ?? (reply.status === 401 ? HINTS.INVALID_SESSION_ID : undefined);
  return classify(reply, ctx, VENDOR, { detail, hint });
}

/** Fields Salesforce says do not exist on Lead ("No such column 'X' on sobject of type Lead"). */
function rejectedFields(reply: HttpReply): string[] {
  if (reply.status !== 400) return [];
  return errorsOf(reply)
    .filter((e) => e.errorCode === 'INVALID_FIELD')
    .flatMap((e) =>
      [...(e.message ?? '').matchAll(/No such column '([^']+)' on sobject/g)].map((m) => m[1]!),
    );
}

type RestConfig = z.output<typeof SalesforceRestSchema>;

function createRestDelivery(config: RestConfig) {
  const map = mergeFieldMaps(SALESFORCE_DEFAULT_FIELDS, config.fields);
  const unknown = new UnknownFields();
  const tokenRefreshes = typeof config.accessToken === 'function';
  const base = new URL(
    `/services/data/v${config.apiVersion}/sobjects/Lead/${config.externalIdField}/`,
    config.instanceUrl,
  );
  const assign: Record<string, string> =
    config.autoAssign === undefined
      ? {}
      : {
          'sforce-auto-assign':
            typeof config.autoAssign === 'string' ? config.autoAssign : config.autoAssign ? 'TRUE' : 'FALSE',
        };

  return async (lead: Lead, ctx: DeliveryContext): Promise<DeliveryResult> => {
    const token = typeof config.accessToken === 'function' ? await config.accessToken() : config.accessToken;
    // The external id travels in the URL, never in the body.
    const { [config.externalIdField]: _ignored, ...values } = mapFields(lead, map, ctx);
    const url = new URL(encodeURIComponent(lead.id), base).toString();
    for (let round = 1; ; round++) {
      const kept = unknown.keep(values);
      const reply = await send(ctx, VENDOR, {
        method: 'PATCH',
        url,
        headers: { authorization: `Bearer ${token}`, ...assign },
        json: kept,
      });
      if (isSuccess(reply)) {
        const body = (reply.json ?? {}) as { id?: string; created?: boolean };
        const what = body.id
          ? `Lead ${body.id} ${reply.status === 201 || body.created ? 'created' : 'updated'}`
          : undefined;
        const detail = [what, skippedNote(VENDOR, unknown.skipped(values))].filter(Boolean).join('; ');
        return detail ? { kind: 'ok', status: reply.status, detail } : { kind: 'ok', status: reply.status };
      }
      if (!unknown.learn(rejectedFields(reply), kept)) return salesforceResult(reply, ctx, tokenRefreshes);
      if (round >= MAX_ROUNDS) return tooManyRounds(VENDOR, reply.status, round);
    }
  };
}

type WebToLeadConfig = z.output<typeof SalesforceWebToLeadSchema>;

function createWebToLeadDelivery(config: WebToLeadConfig) {
  const map = mergeFieldMaps(WEB_TO_LEAD_DEFAULT_FIELDS, config.fields);
  const url = new URL('/servlet/servlet.WebToLead?encoding=UTF-8', config.baseUrl).toString();
  return async (lead: Lead, ctx: DeliveryContext): Promise<DeliveryResult> => {
    const reply = await send(ctx, VENDOR, {
      method: 'POST',
      url,
      form: { ...mapFields(lead, map, ctx), oid: config.oid },
    });
    const result = classify(reply, ctx, `${VENDOR} Web-to-Lead`);
    return result.kind === 'ok'
      ? { ...result, detail: 'accepted by Web-to-Lead (it reports problems only by email to the org admin)' }
      : result;
  };
}

/** A Salesforce destination from a validated config (see SalesforceDestinationSchema). */
export function createSalesforce(input: SalesforceDestinationInput): Destination {
  const config = SalesforceDestinationSchema.parse(input);
  const deliver = config.mode === 'rest' ? createRestDelivery(config) : createWebToLeadDelivery(config);
  return {
    name: config.name,
    type: 'salesforce',
    deliver: (lead, ctx) => runDelivery(VENDOR, () => deliver(lead, ctx)),
  };
}
