/**
 * Spam checks: honeypot, minimum fill time (when the client reports it) and optional server-side Turnstile.
 * A flagged lead is answered like any other and kept in the spam list for review: autofill sometimes fills
 * honeypots, so a flag must never lose a lead.
 */
import type { Lead } from '@leadkit/core/lead';
import type { LeadkitConfig } from './config.js';

const TURNSTILE_FIELD = 'cf-turnstile-response';
const TURNSTILE_TIMEOUT_MS = 5000;

/** The lead without spam-check inputs (honeypot field, one-time Turnstile token): nothing to deliver there. */
export function stripSpamInputs(lead: Lead, spam: LeadkitConfig['spam']): Lead {
  const hasField = spam.honeypotField in lead.fields || TURNSTILE_FIELD in lead.fields;
  const hasToken = lead.meta?.turnstileToken !== undefined;
  if (!hasField && !hasToken) return lead;
  const fields = { ...lead.fields };
  delete fields[spam.honeypotField];
  delete fields[TURNSTILE_FIELD];
  const out: Lead = { ...lead, fields };
  if (lead.meta) {
    const { turnstileToken: _token, ...meta } = lead.meta;
    out.meta = meta;
  }
  return out;
}

function filled(v: unknown): boolean {
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  return v !== undefined && v !== null && v !== false;
}

/** The reason a lead looks like spam, or undefined. Checks the raw lead (before stripping). */
export async function spamReason(
  lead: Lead,
  spam: LeadkitConfig['spam'],
  deps: { fetch: typeof fetch; ip?: string | undefined },
): Promise<string | undefined> {
  if (filled(lead.meta?.honeypot) || filled(lead.fields[spam.honeypotField])) return 'honeypot filled';
  const fillMs = lead.meta?.fillMs;
  if (spam.minFillMs > 0 && fillMs !== undefined && fillMs < spam.minFillMs) {
    return `filled in ${Math.round(fillMs)} ms (minimum ${spam.minFillMs} ms)`;
  }
  if (!spam.turnstile) return undefined;
  const raw = lead.meta?.turnstileToken ?? lead.fields[TURNSTILE_FIELD];
  const token = typeof raw === 'string' ? raw : '';
  if (!token) return 'turnstile token missing';
  const body = new URLSearchParams({
    secret: spam.turnstile.secret,
    response: token,
    idempotency_key: lead.id,
  });
  if (deps.ip) body.set('remoteip', deps.ip);
  try {
    const res = await deps.fetch(spam.turnstile.verifyUrl, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(TURNSTILE_TIMEOUT_MS),
    });
    const out = (await res.json()) as { success?: boolean; 'error-codes'?: string[] };
    if (out.success === true) return undefined;
    return `turnstile rejected (${(out['error-codes'] ?? []).join(', ') || `HTTP ${res.status}`})`;
  } catch (err) {
    // Kept for review rather than accepted blindly or lost.
    return `turnstile unavailable (${(err as Error).message})`;
  }
}
