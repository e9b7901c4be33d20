/**
 * Airtable: one record per lead, upserted on the lead id so retries and replays never add a second one.
 *
 * - Upsert: `PATCH /v0/{baseId}/{tableIdOrName}` with `{ performUpsert: { fieldsToMergeOn: [...] },
 *   records: [{ fields }], typecast: true }` (airtable.com/developers/web/api/update-multiple-records:
 *   no match creates a record, one match updates it, several fail the request; the answer adds
 *   `createdRecords` and `updatedRecords` id lists). PATCH leaves fields it is not sent alone.
 * - Without merge fields (`mergeOn: null`) it is a plain create, `POST /v0/{baseId}/{tableIdOrName}` with
 *   `{ records: [{ fields }], typecast: true }` (".../create-records"), and a retry after a lost answer
 *   can create a second record.
 * - typecast converts the strings Leadkit sends into the column's type (dates, numbers, new select
 *   options) on a best-effort basis.
 * Auth: `Authorization: Bearer <personal access token>` with the data.records:write scope and access to
 * the base. Errors (".../api/errors") are `{ error: { type, message } }`: 401 AUTHENTICATION_REQUIRED,
 * 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND (token scope or base access, or a wrong base / table),
 * 404 NOT_FOUND, 422 UNKNOWN_FIELD_NAME (`Unknown field name: "X"`: dropped and resent, like HubSpot's
 * unknown properties), 422 INVALID_VALUE_FOR_COLUMN (`Field "X" cannot accept ...`: stops, naming X),
 * 429 (5 requests a second per base; Airtable asks for 30 s of quiet; the body's shape is not
 * documented, only its message), 5xx.
 */
import type { Lead } from '@leadkit/core/lead';
import { z } from 'zod';
import { AIRTABLE_DEFAULT_FIELDS, FieldOverridesSchema, mapFields, mergeFieldMaps } from '../fields.js';
import { destinationBase } from './base.js';
import { classify, DeliveryStop, excerpt, type HttpReply, isSuccess, runDelivery, send } from './http.js';
import type { DeliveryContext, DeliveryResult, Destination } from './types.js';
import { skippedNote, tooManyRounds, UnknownFields } from './unknown-fields.js';

const VENDOR = 'Airtable';
/** Airtable's rate-limit penalty: "wait 30 seconds before subsequent requests will succeed". */
const RATE_LIMIT_WAIT_MS = 30_000;
const MAX_ROUNDS = 8;

export const AirtableDestinationSchema = z
  .strictObject({
    type: z.literal('airtable'),
    ...destinationBase,
    /** From the base's URL: airtable.com/<baseId>/<tableId>/... */
    baseId: z
      .string()
      .regex(
        /^app[A-Za-z0-9]{14}$/,
        'must be the base id from its URL, e.g. appD4ZbkJKz8WCRq1 (airtable.com/app.../tbl...)',
      ),
    /** Table id (tbl...; survives renames) or name. */
    table: z.string().min(1, 'needs the table id (tbl...) or name').max(255),
    /** Personal access token (airtable.com/create/tokens) with data.records:write on the base. */
    accessToken: z.string().min(1, 'needs an Airtable personal access token (pat...)'),
    /** Airtable field names → sources, over AIRTABLE_DEFAULT_FIELDS. */
    fields: FieldOverridesSchema.optional(),
    /** Fields whose values find the record to update (1-3); null creates a record every time. */
    mergeOn: z
      .array(z.string().min(1))
      .min(1)
      .max(3, 'Airtable merges on at most 3 fields')
      .nullable()
      .default(['Lead id']),
    /** Let Airtable convert the text values to each column's type (dates, numbers, select options). */
    typecast: z.boolean().default(true),
    baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.airtable.com'),
  })
  .superRefine((config, ctx) => {
    const map = mergeFieldMaps(AIRTABLE_DEFAULT_FIELDS, config.fields);
    for (const [i, name] of (config.mergeOn ?? []).entries()) {
      if (!(name in map)) {
        ctx.addIssue({
          code: 'custom',
          path: ['mergeOn', i],
          message: `"${name}" is not a field this destination sends; add it to "fields" (e.g. "${name}": "lead_id")`,
        });
      }
    }
  });
export type AirtableDestinationConfig = z.output<typeof AirtableDestinationSchema>;
export type AirtableDestinationInput = z.input<typeof AirtableDestinationSchema>;

interface AirtableErrorBody {
  error?: string | { type?: string; message?: string };
  errors?: { error?: string; message?: string }[];
}

function errorOf(reply: HttpReply): { type?: string; message?: string } {
  const body = (reply.json ?? {}) as AirtableErrorBody;
  if (typeof body.error === 'string') return { type: body.error };
  if (body.error) return body.error;
  const first = body.errors?.[0];
  return first ? { type: first.error, message: first.message } : {};
}

/** The field Airtable named in an UNKNOWN_FIELD_NAME or INVALID_VALUE_FOR_COLUMN message. */
function namedField(message: string | undefined): string | undefined {
  const text = message ?? '';
  // 'Field "Received" cannot accept ...'; older answers leave the name unquoted ('Field lat can not accept').
  return (
    /(?:Unknown field name:|Field)\s+"([^"]+)"/.exec(text)?.[1] ?? /\bField (\S+) can ?not\b/.exec(text)?.[1]
  );
}

/** A field Airtable says the table does not have. */
function unknownField(reply: HttpReply): string[] {
  const error = errorOf(reply);
  if (reply.status !== 422 || error.type !== 'UNKNOWN_FIELD_NAME') return [];
  const name = namedField(error.message);
  return name ? [name] : [];
}

function hintFor(reply: HttpReply, config: AirtableDestinationConfig): string | undefined {
  const { type, message } = errorOf(reply);
  const field = namedField(message);
  if (type === 'UNKNOWN_FIELD_NAME' && field && config.mergeOn?.includes(field)) {
    return `Retries find the record by "${field}": add a single line text field named "${field}" to the table, then replay.`;
  }
  if (type === 'INVALID_VALUE_FOR_COLUMN' && field) {
    return `Make "${field}" a text field in Airtable (or a type typecast can fill), or map it elsewhere / set it to null in "fields", then replay.`;
  }
  if (reply.status === 401)
    return 'Check accessToken: a personal access token from airtable.com/create/tokens, then replay.';
  if (reply.status === 403 || reply.status === 404) {
    return 'Check baseId and table, and that the token has the data.records:write scope and this base in its access list, then replay.';
  }
  // Other 422s include several records sharing the merge fields' values (the upsert then fails).
  if (reply.status === 422)
    return 'Fix what Airtable names (a mapping in "fields", or the table), then replay.';
  return undefined;
}

function airtableResult(
  reply: HttpReply,
  ctx: DeliveryContext,
  config: AirtableDestinationConfig,
): DeliveryResult {
  const { type, message } = errorOf(reply);
  const detail = [type, message].filter(Boolean).join(': ');
  const result = classify(reply, ctx, VENDOR, {
    detail: detail ? excerpt(detail) : undefined,
    hint: hintFor(reply, config),
  });
  if (result.kind === 'retry' && reply.status === 429 && result.afterMs === undefined) {
    return { ...result, afterMs: RATE_LIMIT_WAIT_MS };
  }
  return result;
}

interface UpsertAnswer {
  records?: { id?: string }[];
  createdRecords?: string[];
  updatedRecords?: string[];
}

/** An Airtable destination from a validated config (see AirtableDestinationSchema). */
export function createAirtable(input: AirtableDestinationInput): Destination {
  const config = AirtableDestinationSchema.parse(input);
  const map = mergeFieldMaps(AIRTABLE_DEFAULT_FIELDS, config.fields);
  const url = `${config.baseUrl.replace(/\/+$/, '')}/v0/${encodeURIComponent(config.baseId)}/${encodeURIComponent(config.table)}`;
  const headers = { authorization: `Bearer ${config.accessToken}` };
  const unknown = new UnknownFields();
  const mergeOn = config.mergeOn;

  async function deliver(lead: Lead, ctx: DeliveryContext): Promise<DeliveryResult> {
    const mapped = mapFields(lead, map, ctx);
    const missing = (mergeOn ?? []).filter((name) => mapped[name] === undefined);
    if (missing.length) {
      return {
        kind: 'fail',
        reason: `${VENDOR} finds the record by ${missing.map((m) => `"${m}"`).join(', ')} and this lead has no value for it; map it to a source every lead has (such as lead_id), or send such leads elsewhere with "when"`,
      };
    }
    for (let round = 1; ; round++) {
      const fields = unknown.keep(mapped);
      const reply = await send(ctx, VENDOR, {
        method: mergeOn ? 'PATCH' : 'POST',
        url,
        headers,
        json: {
          ...(mergeOn ? { performUpsert: { fieldsToMergeOn: mergeOn } } : {}),
          records: [{ fields }],
          typecast: config.typecast,
        },
      });
      if (isSuccess(reply)) {
        const answer = (reply.json ?? {}) as UpsertAnswer;
        const id = answer.records?.[0]?.id ?? '(no id)';
        const how = answer.updatedRecords?.includes(id) ? 'updated' : 'created';
        const skipped = skippedNote(VENDOR, unknown.skipped(mapped));
        return {
          kind: 'ok',
          status: reply.status,
          detail: `record ${id} ${how}${skipped ? `; ${skipped}` : ''}`,
        };
      }
      const rejected = unknownField(reply).filter((name) => !mergeOn?.includes(name));
      if (!unknown.learn(rejected, fields)) throw new DeliveryStop(airtableResult(reply, ctx, config));
      if (round >= MAX_ROUNDS) return tooManyRounds(VENDOR, reply.status, round);
    }
  }

  return {
    name: config.name,
    type: 'airtable',
    deliver: (lead, ctx) => runDelivery(VENDOR, () => deliver(lead, ctx)),
  };
}
