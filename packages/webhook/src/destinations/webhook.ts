/**
 * The generic destination: POSTs each lead as a Standard Webhooks v1 request, signed with HMAC-SHA256.
 * `webhook-id` is the lead id (stable across retries and replays), `webhook-timestamp` is fresh per attempt.
 */
import type { Lead } from '@leadkit/core/lead';
import { z } from 'zod';
import { parseRetryAfter } from '../schedule.js';
import { decodeSecret, signWebhook } from '../signing.js';
import { findSsrfError } from '../ssrf-rules.js';
import type { Qualification, Stage } from '../store/types.js';
import { destinationBase } from './base.js';
import type { DeliveryContext, DeliveryResult, Destination } from './types.js';

/** A Standard Webhooks `whsec_` secret of 24-64 bytes (also verifies signed outcomes). */
export const WhsecSecret = z.string().superRefine((s, ctx) => {
  if (!s.startsWith('whsec_')) {
    ctx.addIssue({
      code: 'custom',
      message: 'must start with "whsec_"; generate one with `leadkit-webhook secret`',
    });
    return;
  }
  let length: number;
  try {
    length = decodeSecret(s).length;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not valid base64 after "whsec_"' });
    return;
  }
  if (length < 24 || length > 64) {
    ctx.addIssue({
      code: 'custom',
      message: `decodes to ${length} bytes; Standard Webhooks secrets are 24-64 random bytes (\`leadkit-webhook secret\` makes one)`,
    });
  }
});

export const WebhookDestinationSchema = z.strictObject({
  type: z.literal('webhook'),
  ...destinationBase,
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  /** One secret, or several while rotating (all sign each request; put the new one first). */
  secret: z.union([WhsecSecret, z.array(WhsecSecret).min(1, 'needs at least one secret').max(10)]),
  /** Extra request headers, e.g. a receiver's own API key. `webhook-*` names are reserved. */
  headers: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z0-9-]+$/, 'must be a header name')
        .refine((h) => !h.toLowerCase().startsWith('webhook-') && h.toLowerCase() !== 'content-type', {
          message: 'webhook-* and content-type are set by Leadkit',
        }),
      z.string(),
    )
    .optional(),
});
export type WebhookDestinationConfig = z.output<typeof WebhookDestinationSchema>;

/** The JSON body receivers get. */
export interface LeadCreatedEvent {
  type: 'lead.created';
  /** ISO 8601: when the server accepted the lead. */
  timestamp: string;
  data: Lead;
  /** Current lifecycle stage: lead, mql, sql, customer, disqualified, lost. */
  stage?: Stage;
  /** Score, grade, fired rules, intake stage and owner; only with `scoring` or `owners` configured. */
  qualification?: Qualification;
}

const USER_AGENT = 'leadkit-webhook/0 (+https://github.com/leadkit)';
const MAX_REASON = 200;

async function readReason(res: Response): Promise<string> {
  try {
    const text = (await res.text()).trim().replace(/\s+/g, ' ');
    return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}…` : text;
  } catch {
    return '';
  }
}

function describeError(err: unknown, ctx: DeliveryContext): string {
  if (ctx.signal.aborted) {
    const reason = ctx.signal.reason as { message?: string } | undefined;
    return reason?.message ?? 'aborted';
  }
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message ?? 'fetch failed'} (${cause})` : (e.message ?? String(err));
}

export function createWebhookDestination(config: WebhookDestinationConfig): Destination {
  const secrets = typeof config.secret === 'string' ? [config.secret] : config.secret;
  return {
    name: config.name,
    type: 'webhook',
    async deliver(lead, ctx): Promise<DeliveryResult> {
      const event: LeadCreatedEvent = {
        type: 'lead.created',
        timestamp: (ctx.receivedAt ?? ctx.now).toISOString(),
        data: lead,
      };
      if (ctx.stage) event.stage = ctx.stage;
      if (ctx.qualification) event.qualification = ctx.qualification;
      const body = JSON.stringify(event);
      const timestamp = Math.floor(ctx.now.getTime() / 1000);
      let res: Response;
      try {
        res = await ctx.fetch(config.url, {
          method: 'POST',
          redirect: 'manual',
          signal: ctx.signal,
          headers: {
            ...config.headers,
            'content-type': 'application/json',
            'user-agent': USER_AGENT,
            'webhook-id': lead.id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(secrets, lead.id, timestamp, body),
          },
          body,
        });
      } catch (err) {
        // A URL the SSRF guard refuses will not become public by retrying.
        const blocked = findSsrfError(err);
        if (blocked) return { kind: 'fail', reason: blocked.message };
        return { kind: 'retry', reason: describeError(err, ctx) };
      }
      const status = res.status;
      if (status >= 200 && status < 300) {
        await res.body?.cancel().catch(() => {});
        return { kind: 'ok', status };
      }
      if (status >= 300 && status < 400) {
        await res.body?.cancel().catch(() => {});
        const to = res.headers.get('location');
        return {
          kind: 'retry',
          status,
          reason: `redirect${to ? ` to ${to}` : ''} not followed; set the destination URL to the final address`,
        };
      }
      const detail = await readReason(res);
      const reason = `HTTP ${status}${detail ? `: ${detail}` : ''}`;
      // Receivers can stop a message (Svix's delivery control) or say the endpoint is gone for good.
      if (res.headers.get('webhook-delivery')?.toLowerCase() === 'abort-message') {
        return { kind: 'fail', status, reason: `${reason} (receiver sent webhook-delivery: abort-message)` };
      }
      if (status === 410) return { kind: 'fail', status, reason: `${reason} (endpoint gone)` };
      const afterMs =
        status === 429 || status === 503 ? parseRetryAfter(res.headers.get('retry-after')) : undefined;
      // Like Svix, every other non-2xx is retried: a receiver's 4xx is often a deploy in progress.
      return afterMs === undefined
        ? { kind: 'retry', status, reason }
        : { kind: 'retry', status, reason, afterMs };
    },
  };
}
