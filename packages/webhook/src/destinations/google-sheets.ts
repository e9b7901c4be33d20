/**
 * Google Sheets: one row per lead, appended to a tab of a spreadsheet shared with a service account.
 *
 * - Auth: a service account's JSON key, exchanged for an access token (./google-auth.ts) with the scope
 *   https://www.googleapis.com/auth/spreadsheets; the spreadsheet must be shared with its client_email.
 * - Append: `POST /v4/spreadsheets/{spreadsheetId}/values/{range}:append?valueInputOption=RAW&
 *   insertDataOption=INSERT_ROWS` with `{ values: [[...]] }` (developers.google.com/sheets/api/reference/
 *   rest/v4/spreadsheets.values/append). The answer is `{ spreadsheetId, tableRange, updates:
 *   { updatedRange, updatedRows, ... } }`. RAW stores every value as typed, so a visitor's
 *   `=IMPORTXML(...)`, `+44 20 ...` or `@name` stays text and never becomes a formula or a number.
 * - Duplicates: the Sheets API has no idempotency key, so a retry after a lost answer would append a
 *   second row. On retries (never the first attempt) the lead id column is read first
 *   (`GET /v4/spreadsheets/{id}/values/{range}?majorDimension=COLUMNS`, "spreadsheets.values/get") and
 *   the row is not appended again when the id is there. That costs one read request (Sheets allows 300
 *   per minute per project) and transfers the whole column, about 30 bytes a row.
 * - Errors are `{ error: { code, message, status } }` (Google's API error model): 400 INVALID_ARGUMENT
 *   ("Unable to parse range" when the tab does not exist), 403 PERMISSION_DENIED (not shared, or the
 *   Sheets API is disabled in the project), 404 NOT_FOUND, 401 UNAUTHENTICATED (token refused: fetched
 *   again once), 429 RESOURCE_EXHAUSTED (per-minute quotas), 5xx.
 */
import type { Lead } from '@leadkit/core/lead';
import { z } from 'zod';
import { canonicalFields, FieldSpecSchema, resolveSpec } from '../fields.js';
import { destinationBase } from './base.js';
import { ServiceAccountKeySchema, ServiceAccountTokens } from './google-auth.js';
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

const VENDOR = 'Google Sheets';
const SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
/** Sheets quotas are per minute; without Retry-After a 429 waits for the next minute. */
const QUOTA_WINDOW_MS = 60_000;
/** The lead id column is read whole on retries: up to ~250,000 rows of ids. */
const MAX_COLUMN_BYTES = 8 * 1024 * 1024;

/** What a row holds unless `columns` says otherwise; `lead_id` is what retries look for. */
export const GOOGLE_SHEETS_DEFAULT_COLUMNS: readonly (string | string[])[] = [
  ['received_at', 'submitted_at'],
  'email',
  'full_name',
  'company',
  'phone',
  'message',
  'channel',
  'first_touch_source',
  'first_touch_medium',
  'first_touch_campaign',
  'last_touch_source',
  'last_touch_medium',
  'last_touch_campaign',
  'first_touch_landing_page',
  'lead_id',
];

export const GoogleSheetsDestinationSchema = z.strictObject({
  type: z.literal('google-sheets'),
  ...destinationBase,
  /** The id in the sheet's URL: docs.google.com/spreadsheets/d/<id>/edit. */
  spreadsheetId: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]{20,128}$/,
      'must be the spreadsheet id from its URL, docs.google.com/spreadsheets/d/<id>/edit',
    ),
  /** The tab rows are appended to; it must exist. */
  sheet: z.string().min(1).max(100, 'Google limits tab names to 100 characters').default('Leads'),
  /** The service account's JSON key (keep it in env). */
  credentials: ServiceAccountKeySchema,
  /** One source per column, left to right (canonical names, lead paths, { value } or lists). */
  columns: z
    .array(FieldSpecSchema)
    .min(1, 'needs at least one column')
    .max(200)
    .default(() => GOOGLE_SHEETS_DEFAULT_COLUMNS.map((c) => (Array.isArray(c) ? [...c] : c))),
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://sheets.googleapis.com'),
});
export type GoogleSheetsDestinationConfig = z.output<typeof GoogleSheetsDestinationSchema>;
export type GoogleSheetsDestinationInput = z.input<typeof GoogleSheetsDestinationSchema>;

/** 1 → A, 26 → Z, 27 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/** A1 notation quotes a tab name in single quotes, doubling the ones inside. */
export const quoteSheet = (sheet: string) => `'${sheet.replace(/'/g, "''")}'`;

interface GoogleError {
  error?: { code?: number; message?: string; status?: string; details?: { reason?: string }[] };
}

function sheetsResult(
  reply: HttpReply,
  ctx: DeliveryContext,
  config: GoogleSheetsDestinationConfig,
  step: string,
): DeliveryResult {
  const error = ((reply.json ?? {}) as GoogleError).error ?? {};
  const message = error.message ?? '';
  const detail = [error.status, message].filter(Boolean).join(': ');
  const disabled =
    /has not been used in project|is disabled/i.test(message) ||
    (error.details ?? []).some((d) => d.reason === 'SERVICE_DISABLED');
  const hints: Record<number, string> = {
    400: /Unable to parse range/i.test(message)
      ? `Create a tab named "${config.sheet}" in the spreadsheet, or set "sheet" to an existing tab, then replay.`
      : 'Check "sheet" and "columns", then replay.',
    401: `Google refused the access token twice: check that the service account ${config.credentials.client_email} still exists, then replay.`,
    403: disabled
      ? 'Enable the Google Sheets API in the service account’s Google Cloud project (APIs & Services → Library), then replay.'
      : `Share the spreadsheet with ${config.credentials.client_email} as an Editor, then replay.`,
    404: 'Check spreadsheetId: it is the part of the sheet’s URL between /d/ and /edit.',
  };
  const result = classify(reply, ctx, `${VENDOR} (${step})`, {
    detail: detail ? excerpt(detail) : undefined,
    hint: hints[reply.status],
  });
  if (result.kind === 'retry' && reply.status === 429 && result.afterMs === undefined) {
    return { ...result, afterMs: QUOTA_WINDOW_MS };
  }
  return result;
}

/** A Google Sheets destination from a validated config (see GoogleSheetsDestinationSchema). */
export function createGoogleSheets(input: GoogleSheetsDestinationInput): Destination {
  const config = GoogleSheetsDestinationSchema.parse(input);
  const base = `${config.baseUrl.replace(/\/+$/, '')}/v4/spreadsheets/${encodeURIComponent(config.spreadsheetId)}`;
  const tokens = new ServiceAccountTokens(config.credentials, SCOPE);
  const tab = quoteSheet(config.sheet);
  const rowRange = `${tab}!A:${columnLetter(config.columns.length)}`;
  const leadIdIndex = config.columns.indexOf('lead_id');
  const leadIdRange =
    leadIdIndex < 0 ? undefined : `${tab}!${columnLetter(leadIdIndex + 1)}:${columnLetter(leadIdIndex + 1)}`;

  /** Sends with the service account's token; a 401 gets one fresh token and a resend. */
  async function call(ctx: DeliveryContext, request: HttpRequest): Promise<HttpReply> {
    for (let fresh = false; ; fresh = true) {
      const token = await tokens.get(ctx);
      const reply = await send(ctx, VENDOR, {
        ...request,
        headers: { authorization: `Bearer ${token}` },
      });
      if (reply.status !== 401 || fresh) return reply;
      tokens.forget();
    }
  }

  /** Whether a row with this lead id is already in the sheet; undefined when that cannot be told. */
  async function alreadyAppended(ctx: DeliveryContext, leadId: string): Promise<boolean | undefined> {
    if (!leadIdRange) return undefined;
    const reply = await call(ctx, {
      method: 'GET',
      url: `${base}/values/${encodeURIComponent(leadIdRange)}`,
      searchParams: { majorDimension: 'COLUMNS' },
      maxBodyBytes: MAX_COLUMN_BYTES,
    });
    if (!isSuccess(reply)) throw new DeliveryStop(sheetsResult(reply, ctx, config, 'lead id lookup'));
    // Unparseable means the column was cut at MAX_COLUMN_BYTES: appending beats losing the lead.
    if (reply.json === undefined) return undefined;
    const values = (reply.json as { values?: unknown[][] }).values;
    return (values?.[0] ?? []).some((cell) => cell === leadId);
  }

  async function deliver(lead: Lead, ctx: DeliveryContext): Promise<DeliveryResult> {
    const canonical = canonicalFields(lead, ctx);
    const row = config.columns.map((spec) => resolveSpec(lead, spec, canonical) ?? '');
    let unchecked: string | undefined;
    if (ctx.attempt > 1) {
      const found = await alreadyAppended(ctx, lead.id);
      if (found) {
        return {
          kind: 'ok',
          detail: `row for ${lead.id} was already in ${config.sheet} (an earlier attempt appended it); not appended again`,
        };
      }
      if (found === undefined) {
        unchecked = leadIdRange
          ? 'the lead id column was too large to check for an earlier row'
          : 'no "lead_id" column, so an earlier attempt’s row could not be looked for';
      }
    }
    const reply = await call(ctx, {
      method: 'POST',
      url: `${base}/values/${encodeURIComponent(rowRange)}:append`,
      searchParams: { valueInputOption: 'RAW', insertDataOption: 'INSERT_ROWS' },
      json: { values: [row] },
    });
    if (!isSuccess(reply)) return sheetsResult(reply, ctx, config, 'append');
    const range = (reply.json as { updates?: { updatedRange?: string } } | undefined)?.updates?.updatedRange;
    const detail = `row appended${range ? ` at ${range}` : ` to ${config.sheet}`}`;
    return { kind: 'ok', status: reply.status, detail: unchecked ? `${detail}; ${unchecked}` : detail };
  }

  return {
    name: config.name,
    type: 'google-sheets',
    deliver: (lead, ctx) => runDelivery(VENDOR, () => deliver(lead, ctx)),
  };
}
