/**
 * POSTs a lead with `fetch`: keepalive (survives the page closing), a timeout, and retries with
 * exponential backoff on network errors, timeouts, 408, 429 and 5xx. Never throws.
 */
import type { LeadInput } from '@leadkit/core/lead';

export type SendResult =
  | { ok: true; status: number }
  | {
      ok: false;
      retry: boolean;
      status?: number;
      error: string;
      issues?: { path: string; message: string }[];
    };

export interface SendOptions {
  /** Tries in total. @default 3 */
  attempts?: number;
  /** First backoff delay; doubled each retry, plus jitter. @default 1000 */
  backoffMs?: number;
  /** Per attempt. @default 10000 */
  timeoutMs?: number;
}

// Browsers cap keepalive bodies at 64 KiB in total; a bigger lead is sent without it.
const KEEPALIVE_MAX = 60_000;

export async function postLead(endpoint: string, lead: LeadInput, timeoutMs = 10_000): Promise<SendResult> {
  const body = JSON.stringify(lead);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      keepalive: body.length < KEEPALIVE_MAX,
      credentials: 'omit',
      signal: abort.signal,
    });
    if (res.ok) return { ok: true, status: res.status };
    const answer = (await res.json().catch(() => ({}))) as {
      error?: string;
      issues?: { path: string; message: string }[];
    };
    return {
      ok: false,
      retry: res.status >= 500 || res.status === 408 || res.status === 429,
      status: res.status,
      error: answer.error ?? `HTTP ${res.status}`,
      ...(answer.issues && { issues: answer.issues }),
    };
  } catch {
    return {
      ok: false,
      retry: true,
      error: abort.signal.aborted ? `no answer within ${timeoutMs} ms` : 'network error',
    };
  } finally {
    clearTimeout(timer);
  }
}

export async function sendWithRetry(
  endpoint: string,
  lead: LeadInput,
  options: SendOptions = {},
): Promise<SendResult> {
  const { attempts = 3, backoffMs = 1000, timeoutMs } = options;
  for (let i = 1; ; i++) {
    const result = await postLead(endpoint, lead, timeoutMs);
    if (result.ok || !result.retry || i >= attempts) return result;
    await new Promise((r) => setTimeout(r, backoffMs * 2 ** (i - 1) * (1 + Math.random() / 4)));
  }
}
