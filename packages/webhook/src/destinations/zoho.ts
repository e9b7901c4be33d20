/**
 * Zoho CRM v8: upsert the lead into a module (Leads by default) with
 * `POST {apiDomain}/crm/v8/{module}/upsert`, deduplicated on `duplicate_check_fields` (Email by default,
 * which is also Zoho's system-defined duplicate check field for Leads), so a retry or replay updates the
 * record instead of adding a second one. Auth: `Authorization: Zoho-oauthtoken <token>` with scope
 * ZohoCRM.modules.leads.CREATE (or .ALL). Access tokens live one hour; refreshing them is the caller's job
 * (in code, pass a function and it is asked again on every attempt).
 *
 * Sources (zoho.com/crm/developer/docs/api/v8/upsert-records.html, .../v8/multi-dc.html, Zoho's own
 * OpenAPI in github.com/zoho/crm-oas v8.0/record/operations/upsertRecords): Zoho answers 200 (207 for a
 * mixed batch) with one item per record inside `data[]`, `{ code, details, message, status }`; success is
 * `code: "SUCCESS"` with `action` "insert" | "update", `duplicate_field` and `details.id`. Record errors
 * (INVALID_DATA, MANDATORY_NOT_FOUND, DUPLICATE_DATA, ...) name the field in `details.api_name`;
 * MULTIPLE_OR_MULTI_ERRORS nests them in `details.errors`. Request errors are one object at the top level:
 * 401 `INVALID_TOKEN` / `OAUTH_SCOPE_MISMATCH` (a refreshed token keeps its scopes, so the latter is not
 * retried), 403 `NO_PERMISSION` with `details.permissions` (the user's profile), 404 `INVALID_URL_PATTERN`,
 * 429 `TOO_MANY_REQUESTS` with `details.retry_after` in seconds.
 */
import type { Lead } from '@leadkit/core/lead';
import { z } from 'zod';
import {
  canonicalFields,
  FieldOverridesSchema,
  mapFields,
  mergeFieldMaps,
  ZOHO_DEFAULT_FIELDS,
} from '../fields.js';
import type { DestinationDeps } from './base.js';
import { destinationBase } from './base.js';
import { classify, excerpt, type HttpReply, isSuccess, runDelivery, send } from './http.js';
import type { DeliveryContext, DeliveryResult, Destination } from './types.js';

const VENDOR = 'Zoho CRM';

/** Zoho's data-centre API domains (US, EU, IN, AU, CN, JP, CA, SA, UK); the token's `api_domain` is one. */
export const ZOHO_API_DOMAINS = [
  'www.zohoapis.com',
  'www.zohoapis.eu',
  'www.zohoapis.in',
  'www.zohoapis.com.au',
  'www.zohoapis.com.cn',
  'www.zohoapis.jp',
  'www.zohoapis.ca',
  'www.zohoapis.sa',
  'www.zohoapis.uk',
] as const;

const AccessToken = z.union([
  z.string().min(1, 'needs a Zoho OAuth access token'),
  z.custom<() => string | Promise<string>>((v) => typeof v === 'function', 'must be a string or a function'),
]);

export const ZohoDestinationSchema = z.strictObject({
  type: z.literal('zoho'),
  ...destinationBase,
  /** Zoho field API names → sources, over ZOHO_DEFAULT_FIELDS. */
  fields: FieldOverridesSchema.optional(),
  /** The data centre's API domain: the `api_domain` Zoho returned with the token. */
  apiDomain: z
    .url({ protocol: /^https?$/, error: 'must be a Zoho API domain such as https://www.zohoapis.eu' })
    .default('https://www.zohoapis.com'),
  accessToken: AccessToken,
  /** Module API name. */
  module: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, 'must be a module API name such as Leads')
    .default('Leads'),
  /** Automations to run on the record; [] runs none. */
  trigger: z
    .array(z.enum(['workflow', 'approval', 'blueprint', 'pathfinder', 'orchestration']))
    .max(5)
    .default(['workflow']),
  /** Unique fields Zoho matches existing records on, in order. */
  duplicateCheckFields: z
    .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be field API names such as Email'))
    .min(1)
    .max(5)
    .default(['Email']),
});
export type ZohoDestinationConfig = z.output<typeof ZohoDestinationSchema>;
export type ZohoDestinationInput = z.input<typeof ZohoDestinationSchema>;

/** Why `apiDomain` is not usable, or undefined (a Zoho data centre, or a host in security.allowHosts). */
export function zohoApiDomainProblem(apiDomain: string, allowHosts: readonly string[]): string | undefined {
  const url = new URL(apiDomain);
  if (allowHosts.includes(url.hostname)) return undefined;
  if (url.protocol === 'https:' && (ZOHO_API_DOMAINS as readonly string[]).includes(url.hostname)) {
    return undefined;
  }
  return `must be a Zoho data-centre API domain (https://${ZOHO_API_DOMAINS.join(', https://')}), the api_domain Zoho returned with the token; the lead and the token go there`;
}

interface ZohoRecordAnswer {
  code?: string;
  status?: string;
  message?: string;
  action?: string;
  duplicate_field?: string | null;
  details?: { id?: string; api_name?: string; json_path?: string; expected_data_type?: string } & Record<
    string,
    unknown
  >;
}

function recordOf(reply: HttpReply): ZohoRecordAnswer | undefined {
  const data = (reply.json as { data?: unknown } | undefined)?.data;
  return Array.isArray(data) ? (data[0] as ZohoRecordAnswer | undefined) : undefined;
}

function topLevelOf(reply: HttpReply): ZohoRecordAnswer {
  const body = reply.json;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as ZohoRecordAnswer) : {};
}

/** The errors a MULTIPLE_OR_MULTI_ERRORS answer nests. */
function nestedErrors(answer: ZohoRecordAnswer): ZohoRecordAnswer[] {
  const errors = answer.details?.errors;
  return Array.isArray(errors) ? (errors as ZohoRecordAnswer[]) : [];
}

function describe(answer: ZohoRecordAnswer): string | undefined {
  const field = answer.details?.api_name;
  const permissions = answer.details?.permissions;
  const nested = nestedErrors(answer)
    .map((e) => [e.code, e.details?.api_name].filter(Boolean).join(' '))
    .filter(Boolean);
  const parts = [
    answer.code,
    answer.message,
    field ? `field ${field}` : undefined,
    nested.length ? nested.join(', ') : undefined,
    Array.isArray(permissions) && permissions.length ? `needs ${permissions.join(', ')}` : undefined,
  ].filter(Boolean);
  return parts.length ? excerpt(parts.join(': ')) : undefined;
}

const TOKEN_HINT =
  'The access token expired, was revoked, or belongs to another data centre than apiDomain: give the destination a fresh token (or a function that refreshes it), then replay.';

const HINTS: Record<string, (a: ZohoRecordAnswer) => string> = {
  INVALID_DATA: (a) =>
    `Zoho rejected the value of ${a.details?.api_name ?? 'a field'}${a.details?.expected_data_type ? ` (expected ${a.details.expected_data_type})` : ''}: fix or remove its mapping in "fields", then replay.`,
  MANDATORY_NOT_FOUND: (a) =>
    `The module requires ${a.details?.api_name ?? 'a field'}: map it in "fields" (a constant such as { "value": "Website" } works), then replay.`,
  DUPLICATE_DATA: (a) => {
    const existing = (a.details?.duplicate_record as { id?: string } | undefined)?.id;
    return `Another record${existing ? ` (${existing})` : ''} already holds this value in a unique field${a.details?.api_name ? ` (${a.details.api_name})` : ''}: add that field to duplicateCheckFields or merge the records, then replay.`;
  },
  MULTIPLE_OR_MULTI_ERRORS: (a) => {
    const first = nestedErrors(a).find(
      (e) => e.code && e.code !== 'MULTIPLE_OR_MULTI_ERRORS' && HINTS[e.code],
    );
    return first?.code ? HINTS[first.code]!(first) : 'Fix the fields named, then replay.';
  },
  INVALID_TOKEN: () => TOKEN_HINT,
  AUTHENTICATION_FAILURE: () => TOKEN_HINT,
  AUTHENTICATION_FAILED: () => TOKEN_HINT,
  OAUTH_SCOPE_MISMATCH: () =>
    'The token lacks the scope to create records in this module (ZohoCRM.modules.leads.CREATE for Leads, or ZohoCRM.modules.ALL): generate a new token with it; refreshing keeps the old scopes.',
  NO_PERMISSION: () =>
    'The token’s user may not create or edit records in this module: give their profile the permissions named.',
  INVALID_MODULE: () => 'Check "module": it must be a module API name such as Leads.',
  INVALID_URL_PATTERN: () => 'Check "module" and "apiDomain".',
};

function hintFor(answer: ZohoRecordAnswer, status: number): string | undefined {
  const hint = answer.code ? HINTS[answer.code] : undefined;
  if (hint) return hint(answer);
  return status === 401 ? TOKEN_HINT : undefined;
}

function zohoResult(reply: HttpReply, ctx: DeliveryContext, tokenRefreshes: boolean): DeliveryResult {
  const record = recordOf(reply);
  if (record?.status === 'success' || (isSuccess(reply) && record?.code === 'SUCCESS')) {
    const id = record.details?.id ?? '(no id)';
    const action = record.action === 'update' ? 'updated' : 'created';
    const matched =
      record.action === 'update' && record.duplicate_field ? ` (matched on ${record.duplicate_field})` : '';
    return { kind: 'ok', status: reply.status, detail: `record ${id} ${action}${matched}` };
  }
  // A record error can come with 200/207 (mixed batch) or 400: it is about the data, so it is permanent.
  if (record?.status === 'error') {
    return {
      kind: 'fail',
      status: reply.status,
      reason:
        `${VENDOR} rejected the record: ${describe(record)}. ${hintFor(record, reply.status) ?? ''}`.trim(),
    };
  }
  const top = topLevelOf(reply);
  if (reply.status === 401 && tokenRefreshes && top.code !== 'OAUTH_SCOPE_MISMATCH') {
    // The next attempt asks the token function again.
    return {
      kind: 'retry',
      status: 401,
      reason: `${VENDOR} answered 401: ${describe(top) ?? 'token refused'} (token will be refreshed)`,
    };
  }
  if (isSuccess(reply)) {
    return {
      kind: 'retry',
      status: reply.status,
      reason: `${VENDOR} answered ${reply.status} without a record result: ${excerpt(reply.text)}`,
    };
  }
  const result = classify(reply, ctx, VENDOR, { detail: describe(top), hint: hintFor(top, reply.status) });
  const retryAfter = top.details?.retry_after;
  if (
    reply.status === 429 &&
    result.kind === 'retry' &&
    result.afterMs === undefined &&
    typeof retryAfter === 'number' &&
    retryAfter >= 0
  ) {
    // Zoho's 429 says how long to wait in the body (details.retry_after, seconds).
    return { ...result, afterMs: Math.ceil(retryAfter * 1000) };
  }
  return result;
}

/** Last_Name is mandatory on Leads: the email's local part, else "Unknown", rather than losing the lead. */
function withRequiredName(values: Record<string, string>, lead: Lead): Record<string, string> {
  if (values.Last_Name !== undefined) return values;
  const email = canonicalFields(lead).email;
  const local = email?.includes('@') ? email.slice(0, email.indexOf('@')) : undefined;
  return { ...values, Last_Name: local || 'Unknown' };
}

/** A Zoho CRM destination from a validated config (see ZohoDestinationSchema). */
export function createZoho(input: ZohoDestinationInput, deps: DestinationDeps): Destination {
  const config = ZohoDestinationSchema.parse(input);
  const problem = zohoApiDomainProblem(config.apiDomain, deps.allowHosts);
  if (problem) throw new Error(`destination "${config.name}": apiDomain ${problem}`);
  const map = mergeFieldMaps(ZOHO_DEFAULT_FIELDS, config.fields);
  const requiresName = config.module === 'Leads' && 'Last_Name' in map;
  const url = new URL(`/crm/v8/${config.module}/upsert`, config.apiDomain).toString();
  const tokenRefreshes = typeof config.accessToken === 'function';

  async function deliver(lead: Lead, ctx: DeliveryContext): Promise<DeliveryResult> {
    const token = typeof config.accessToken === 'function' ? await config.accessToken() : config.accessToken;
    const mapped = mapFields(lead, map, ctx);
    const record = requiresName ? withRequiredName(mapped, lead) : mapped;
    const reply = await send(ctx, VENDOR, {
      method: 'POST',
      url,
      headers: { authorization: `Zoho-oauthtoken ${token}` },
      json: {
        data: [record],
        duplicate_check_fields: config.duplicateCheckFields,
        trigger: config.trigger,
      },
    });
    return zohoResult(reply, ctx, tokenRefreshes);
  }

  return {
    name: config.name,
    type: 'zoho',
    deliver: (lead, ctx) => runDelivery(VENDOR, () => deliver(lead, ctx)),
  };
}
