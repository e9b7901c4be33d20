/**
 * The HTTP layer CRM destinations share: one ky request through the context's guarded fetch, and the
 * default reading of an answer as a DeliveryResult. Destinations refine it (HubSpot INVALID_EMAIL is
 * permanent, a Salesforce 300 is a data problem, ...).
 *
 * Rules: 2xx ok; 3xx retry, never followed; 408/425/429/5xx, network errors and timeouts retry, honouring
 * Retry-After (seconds or HTTP date); any other 4xx fails for good. The worker owns the retry schedule,
 * so ky's own retries and timeout are off (the context's signal carries the per-attempt timeout).
 */
import ky from 'ky';
import { parseRetryAfter } from '../schedule.js';
import { findSsrfError } from '../ssrf-rules.js';
import type { DeliveryContext, DeliveryResult } from './types.js';

export const USER_AGENT = 'leadkit-webhook/0 (+https://github.com/leadkit)';

/** Answers beyond this are cut: vendors' error bodies are small, and a hostile one must not fill memory. */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_EXCERPT = 300;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  searchParams?: Record<string, string>;
  /** Read the answer up to this size instead of 64 KB (a listing the destination must see whole). */
  maxBodyBytes?: number;
}

export interface HttpReply {
  status: number;
  headers: Headers;
  /** The body as text, cut at 64 KB. */
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** Thrown inside a delivery to end it with this result (see `runDelivery`). */
export class DeliveryStop extends Error {
  constructor(readonly result: DeliveryResult) {
    super(result.kind === 'ok' ? 'ok' : result.reason);
  }
}

async function readCapped(response: Response, cap: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < cap) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const all = new Uint8Array(Math.min(size, cap));
  let at = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, all.length - at);
    all.set(part, at);
    at += part.length;
  }
  return new TextDecoder().decode(all);
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The host only: URLs may carry credentials (Pipedrive's api_token), and reasons end up in logs. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the destination';
  }
}

function networkFailure(error: unknown, ctx: DeliveryContext, vendor: string, url: string): DeliveryResult {
  const blocked = findSsrfError(error);
  if (blocked) return { kind: 'fail', reason: `${vendor}: ${blocked.message}` };
  if (ctx.signal.aborted) {
    return {
      kind: 'retry',
      reason: `${vendor} (${hostOf(url)}) did not answer before the attempt timed out`,
    };
  }
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  const what = cause ? `${e.message ?? 'fetch failed'}: ${cause}` : (e.message ?? String(error));
  return { kind: 'retry', reason: `could not reach ${vendor} at ${hostOf(url)} (${what})` };
}

/** Sends one request; a network failure, timeout or SSRF refusal ends the delivery via DeliveryStop. */
export async function send(ctx: DeliveryContext, vendor: string, request: HttpRequest): Promise<HttpReply> {
  let response: Response;
  try {
    response = await ky(request.url, {
      method: request.method,
      headers: { 'user-agent': USER_AGENT, accept: 'application/json', ...request.headers },
      json: request.json,
      body: request.form ? new URLSearchParams(request.form) : undefined,
      searchParams: request.searchParams,
      fetch: ctx.fetch,
      signal: ctx.signal,
      redirect: 'manual',
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
    });
  } catch (error) {
    throw new DeliveryStop(networkFailure(error, ctx, vendor, request.url));
  }
  let body: string;
  try {
    body = await readCapped(response, request.maxBodyBytes ?? MAX_BODY_BYTES);
  } catch (error) {
    throw new DeliveryStop(networkFailure(error, ctx, vendor, request.url));
  }
  return { status: response.status, headers: response.headers, text: body, json: parseJson(body) };
}

/** A short, single-line excerpt of an answer for a reason string. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_EXCERPT ? `${flat.slice(0, MAX_EXCERPT)}…` : flat;
}

export function isSuccess(reply: HttpReply): boolean {
  return reply.status >= 200 && reply.status < 300;
}

export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500 || status < 200;
}

export function retryAfterMs(reply: HttpReply, ctx: DeliveryContext): number | undefined {
  return parseRetryAfter(reply.headers.get('retry-after'), ctx.now.getTime());
}

/**
 * The default reading of an answer. `detail` is what the vendor said (defaults to a body excerpt);
 * `hint` says what to do about a permanent failure.
 */
export function classify(
  reply: HttpReply,
  ctx: DeliveryContext,
  vendor: string,
  options: { detail?: string; hint?: string } = {},
): DeliveryResult {
  const { status } = reply;
  if (isSuccess(reply)) return { kind: 'ok', status };
  const detail = options.detail ?? excerpt(reply.text);
  const said = `${vendor} answered ${status}${detail ? `: ${detail}` : ''}`;
  if (status >= 300 && status < 400) {
    const location = reply.headers.get('location');
    return {
      kind: 'retry',
      status,
      reason: `${vendor} answered ${status} redirect${location ? ` to ${hostOf(location)}` : ''}, which is never followed; check the destination's base URL`,
    };
  }
  if (isTransientStatus(status)) {
    const afterMs = retryAfterMs(reply, ctx);
    return afterMs === undefined
      ? { kind: 'retry', status, reason: said }
      : { kind: 'retry', status, reason: said, afterMs };
  }
  if (!options.hint) return { kind: 'fail', status, reason: said };
  return { kind: 'fail', status, reason: `${said}${/[.!?]$/.test(said) ? '' : '.'} ${options.hint}` };
}

/**
 * Runs a delivery body: DeliveryStop becomes its result, and an unexpected error becomes a retry that
 * names it (deliver() must never throw).
 */
export async function runDelivery(
  vendor: string,
  body: () => Promise<DeliveryResult>,
): Promise<DeliveryResult> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof DeliveryStop) return error.result;
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'retry', reason: `${vendor} delivery failed unexpectedly: ${message}` };
  }
}
