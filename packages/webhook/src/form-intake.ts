/**
 * POST /v1/forms/{formId}: a plain `<form method="POST">` with no JavaScript, through the same pipeline as
 * POST /v1/leads (origin, limits, schema, spam, qualification, one durable write). A person gets a
 * 303 to `_next` (only on an allowed origin: never an open redirect) or a small thank-you page; a
 * script that asks for JSON gets exactly the answers of /v1/leads.
 */
import { formPostToLead, NEXT_FIELD } from './form-lead.js';
import { problemPage, thankYouPage } from './form-pages.js';
import type { Incoming, Reply } from './http.js';
import { type IntakeDeps, type IntakeFormat, jsonReply, receiveLead } from './intake.js';

export const FORM_PATH = /^\/v1\/forms\/([A-Za-z0-9_-]{1,128})$/;

/** `url` when it is an absolute http(s) URL whose origin is listed by name (a `*` does not count). */
function onListedOrigin(url: string | null | undefined, allowed: readonly string[]): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return allowed.includes(parsed.origin) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** The page the form was on, to link back to: any allowed origin, `*` included (a link is no redirect). */
function backLink(referer: string | null, allowed: readonly string[]): string | undefined {
  if (!referer) return undefined;
  try {
    const origin = new URL(referer).origin;
    return onListedOrigin(referer, allowed.includes('*') ? [origin] : allowed);
  } catch {
    return undefined;
  }
}

/** The q-value the Accept header gives `type` exactly (0 when it is not named). */
function quality(accept: string, type: string): number {
  for (const part of accept.split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (name !== type) continue;
    const q = params.find((p) => p.startsWith('q='));
    const value = q ? Number(q.slice(2)) : 1;
    return Number.isFinite(value) ? value : 0;
  }
  return 0;
}

/** A script that names application/json above text/html wants the JSON answers; a browser does not. */
export function prefersJson(accept: string | null): boolean {
  if (!accept) return false;
  const json = quality(accept, 'application/json');
  return json > 0 && json > quality(accept, 'text/html');
}

function urlencodedFormat(
  formId: string,
  request: Incoming,
  deps: IntakeDeps,
): IntakeFormat<{ next: string | undefined }> {
  const { config } = deps;
  return {
    badBody: 'bad-form',
    accepts: (type) => /^application\/x-www-form-urlencoded\s*(;|$)/i.test(type),
    wrongType: (type) =>
      `Content-Type must be application/x-www-form-urlencoded (got "${type || 'none'}"): use <form method="POST"> without enctype. multipart/form-data and file uploads are not supported; link to files instead.`,
    decode(text) {
      const { lead, next } = formPostToLead(formId, text, {
        honeypotField: config.spam.honeypotField,
        referer: request.header('referer'),
        now: deps.now(),
      });
      // Checked before the lead is stored: a refused redirect must not leave a lead behind.
      if (next && !onListedOrigin(next, config.allowedOrigins)) {
        let origin = next;
        try {
          origin = new URL(next).origin;
        } catch {}
        return {
          ok: false,
          message: `${NEXT_FIELD} (${next}) must be an absolute http(s) URL on an origin listed in "allowedOrigins" in leadkit.config.json; add "${origin}" there (a "*" does not count for redirects).`,
          issues: [{ path: NEXT_FIELD, message: 'not on an allowed origin' }],
        };
      }
      return { ok: true, body: lead, extra: { next } };
    },
  };
}

export async function handleFormIntake(request: Incoming, deps: IntakeDeps, formId: string): Promise<Reply> {
  const outcome = await receiveLead(request, deps, urlencodedFormat(formId, request, deps));
  if (prefersJson(request.header('accept'))) return jsonReply(outcome);
  const back = backLink(request.header('referer'), deps.config.allowedOrigins);
  if (!outcome.ok) return problemPage(outcome.status, outcome.message, outcome.issues, back, outcome.headers);
  if (outcome.extra.next) {
    return {
      status: 303,
      headers: { location: outcome.extra.next, 'cache-control': 'no-store' },
      body: null,
    };
  }
  return thankYouPage(back);
}
