/**
 * POST /v1/leads: origin, content type, rate limits, size cap, schema, spam, then one durable write.
 * The 202 `{ id }` goes out only after the store has committed; spam and repeats get the same answer.
 * `receiveLead` is that pipeline for any body format (JSON here, HTML forms in ./form-intake.ts); it
 * returns an outcome, and each route answers it in its own way.
 */
import { parseLead } from '@leadkit/core/lead';
import { reclassifyLead } from './attribution.js';
import type { LeadkitConfig } from './config.js';
import { checkOrigin } from './cors.js';
import { error, type Incoming, type Issue, json, type Reply } from './http.js';
import type { Logger } from './log.js';
import { ownerOfTurn } from './owners.js';
import { planQualification } from './qualify.js';
import type { IntakeLimits } from './rate-limit.js';
import { leadSubject, selectDestinations } from './routing.js';
import { spamReason, stripSpamInputs } from './spam.js';
import { scheduledAlerts } from './speed-to-lead.js';
import type { Qualification, Store, TurnDecision } from './store/types.js';

export interface IntakeDeps {
  config: LeadkitConfig;
  store: Store;
  limits: IntakeLimits;
  log: Logger;
  fetch: typeof fetch;
  now: () => number;
  onSaved?: (() => void) | undefined;
}

/** The client's address: the socket's, or X-Forwarded-For's entry appended by the nearest trusted proxy. */
export function clientIp(request: Incoming, trustProxy: boolean | number): string | undefined {
  const hops = trustProxy === true ? 1 : trustProxy === false ? 0 : trustProxy;
  if (hops > 0) {
    const parts = (request.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const ip = parts[Math.max(0, parts.length - hops)];
    if (ip) return ip;
  }
  return request.ip;
}

/** How one route's body becomes the lead schema's input. */
export interface IntakeFormat<Extra> {
  /** The log outcome of a body that does not decode, e.g. `bad-json`. */
  badBody: string;
  /** Whether the Content-Type header names this format. */
  accepts(contentType: string): boolean;
  /** The 415 message: what to send instead. */
  wrongType(contentType: string): string;
  /** The body as lead input (still to be validated), or why it is not one (a 400). */
  decode(
    text: string,
  ): { ok: true; body: unknown; extra: Extra } | { ok: false; message: string; issues?: Issue[] };
}

/** How the pipeline ended: the stored lead's id, or a refusal with its status and headers. */
export type IntakeOutcome<Extra> =
  | { ok: true; id: string; headers: Record<string, string>; extra: Extra }
  | { ok: false; status: number; message: string; issues?: Issue[]; headers: Record<string, string> };

const JSON_FORMAT: IntakeFormat<undefined> = {
  badBody: 'bad-json',
  accepts: (type) => /^application\/json\s*(;|$)/i.test(type),
  wrongType: (type) => `Content-Type must be application/json (got "${type || 'none'}").`,
  decode(text) {
    try {
      return { ok: true, body: JSON.parse(text), extra: undefined };
    } catch (err) {
      return { ok: false, message: `Body is not valid JSON: ${(err as Error).message}` };
    }
  },
};

/** The JSON answer of POST /v1/leads: 202 `{ id }`, or `{ error, issues? }`. */
export function jsonReply(outcome: IntakeOutcome<unknown>): Reply {
  if (outcome.ok) return json(202, { id: outcome.id }, outcome.headers);
  return error(outcome.status, outcome.message, {
    ...(outcome.issues ? { issues: outcome.issues } : {}),
    headers: outcome.headers,
  });
}

export async function handleIntake(request: Incoming, deps: IntakeDeps): Promise<Reply> {
  return jsonReply(await receiveLead(request, deps, JSON_FORMAT));
}

/** The intake pipeline, from the origin check to the committed write, for a body in `format`. */
export async function receiveLead<Extra>(
  request: Incoming,
  deps: IntakeDeps,
  format: IntakeFormat<Extra>,
): Promise<IntakeOutcome<Extra>> {
  const { config, store, log } = deps;
  const error = (
    status: number,
    message: string,
    extra: { issues?: Issue[]; headers?: Record<string, string> } = {},
  ): IntakeOutcome<Extra> => ({ ok: false, status, message, headers: {}, ...extra });
  const started = deps.now();
  const entry = (outcome: string, status: number, extra: Record<string, unknown> = {}) =>
    log({ event: 'intake', outcome, status, ms: Math.round((deps.now() - started) * 10) / 10, ...extra });

  const origin = checkOrigin(request.header('origin'), config.allowedOrigins);
  if (!origin.allowed) {
    entry('origin-refused', 403, { origin: origin.origin });
    return error(
      403,
      `Origin ${origin.origin} may not post leads. Add it to "allowedOrigins" in leadkit.config.json.`,
    );
  }
  const cors = origin.headers;

  const ip = clientIp(request, config.trustProxy);
  const ipWait = await deps.limits.ip(ip ?? 'unknown');
  if (ipWait !== undefined) {
    entry('rate-limited', 429, { limit: 'ip' });
    return error(429, `Too many submissions from this address; retry in ${ipWait} s.`, {
      headers: { ...cors, 'retry-after': String(ipWait) },
    });
  }

  const type = request.header('content-type') ?? '';
  if (!format.accepts(type)) {
    entry('bad-content-type', 415);
    return error(415, format.wrongType(type), { headers: cors });
  }

  const tooLarge = () => {
    entry('too-large', 413);
    return error(413, `Body is larger than ${config.maxBodyBytes} bytes; send files as links, not inline.`, {
      headers: cors,
    });
  };
  const declared = Number(request.header('content-length') ?? 0);
  if (declared > config.maxBodyBytes) return tooLarge();
  const text = await request.text(config.maxBodyBytes);
  if (text === undefined) return tooLarge();

  const decoded = format.decode(text);
  if (!decoded.ok) {
    entry(format.badBody, 400);
    return error(400, decoded.message, {
      ...(decoded.issues ? { issues: decoded.issues } : {}),
      headers: cors,
    });
  }
  const parsed = parseLead(decoded.body);
  if (!parsed.ok) {
    entry('invalid', 400, { issues: parsed.issues.length });
    return error(400, 'The lead does not match the schema; see issues.', {
      issues: parsed.issues,
      headers: cors,
    });
  }
  const raw = parsed.lead;

  const formWait = await deps.limits.form(raw.formId);
  if (formWait !== undefined) {
    entry('rate-limited', 429, { limit: 'form', formId: raw.formId });
    return error(429, `Too many submissions to form ${raw.formId}; retry in ${formWait} s.`, {
      headers: { ...cors, 'retry-after': String(formWait) },
    });
  }

  // A repeat must not spend a one-time Turnstile token. It still goes through saveLead (which changes
  // nothing): the first save of that id may still be waiting for its sync, and a 202 promises the disk.
  // (A repeat takes no round-robin turn either: the store only takes one for a new lead.)
  const known = config.spam.turnstile !== undefined && (await store.getLead(raw.id)) !== undefined;
  const spam = known ? undefined : await spamReason(raw, config.spam, { fetch: deps.fetch, ip });
  const lead = reclassifyLead(stripSpamInputs(raw, config.spam), config.channelRules);

  const receivedAt = deps.now();
  // Spam is scored but gets no owner: a flood of it would skew the rotation.
  const plan = planQualification(config, lead, receivedAt, { assignOwner: !spam });
  let qualification = plan?.qualification;
  const decide = (q: Qualification | undefined): TurnDecision => ({
    qualification: q,
    destinations: selectDestinations(config, leadSubject(lead, receivedAt, q, q?.stage ?? 'lead')),
    scheduled: scheduledAlerts(config, q, receivedAt),
  });
  // A round-robin owner is decided by the store as it saves the lead, with the turn taken in the same
  // transaction: a save that fails (503, retried with the same id) spends no rep's turn. The owner
  // routes the lead, so the destinations are decided with it.
  // A store that does not declare `savesTurns` (one written before turns existed) gets the owner taken
  // before the save, as it used to: every lead still routed, at the cost of a turn on a failed save.
  const rotation = plan?.rotation;
  const turn = rotation &&
    store.savesTurns && {
      counter: rotation.counter,
      decide: (n: number) => {
        qualification = { ...plan.qualification, owner: ownerOfTurn(rotation, n) };
        return decide(qualification);
      },
    };
  let created: boolean;
  try {
    if (rotation && !turn)
      qualification = {
        ...plan.qualification,
        owner: ownerOfTurn(rotation, await store.nextCounter(rotation.counter)),
      };
    ({ created } = await store.saveLead({
      lead,
      receivedAt,
      // With a turn, what decide(turn) returns is stored in place of these.
      ...(turn ? { destinations: [], turn } : decide(qualification)),
      spamReason: spam,
      ip: config.storeIp ? ip : undefined,
    }));
  } catch (err) {
    entry('store-error', 503, { id: lead.id, level: 'error', message: (err as Error).message });
    return error(503, 'The lead could not be stored; retry shortly (the same id is safe to resend).', {
      headers: { ...cors, 'retry-after': '5' },
    });
  }
  if (created && !spam) deps.onSaved?.();
  entry(created ? (spam ? 'spam' : 'accepted') : 'duplicate', 202, {
    id: lead.id,
    formId: lead.formId,
    channel: lead.attribution?.lastTouch.channel,
    spam,
    score: qualification?.score,
    stage: qualification?.stage,
  });
  return { ok: true, id: lead.id, headers: cors, extra: decoded.extra };
}
