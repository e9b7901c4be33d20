/**
 * The lead wire contract: what the form (or any client) posts and what the webhook adapter accepts.
 * One schema, imported by both sides. Bump `LEAD_VERSION` on breaking changes.
 */
import { z } from 'zod';

export const LEAD_VERSION = 1;

const MAX_TEXT = 10_000;
const short = z.string().max(2048);

/** Idempotency key from the client. Also the Standard Webhooks `webhook-id`, so it never contains a dot. */
export const LeadId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 characters of A-Z, a-z, 0-9, _ or - (no dots)');

export const TouchSchema = z.object({
  /**
   * GA4's names, or an integrator's custom channel. Optional: clients that capture without the classifier
   * (`@leadkit/core/capture`) leave it out, and the server fills it when it re-derives every touch.
   */
  channel: z.string().min(1).max(64).optional(),
  source: short,
  medium: short,
  campaign: short.optional(),
  term: short.optional(),
  content: short.optional(),
  id: short.optional(),
  sourcePlatform: short.optional(),
  creativeFormat: short.optional(),
  marketingTactic: short.optional(),
  clickIds: z.record(z.string().max(64), short).default({}),
  raw: z.object({ source: short, medium: short }).optional(),
  referrer: short.optional(),
  referringDomain: short.optional(),
  landingPage: short,
  timestamp: z.string().max(64),
});

export const AttributionSchema = z.object({
  firstTouch: TouchSchema,
  lastTouch: TouchSchema,
  sessionEntry: TouchSchema.optional(),
  touches: z.array(TouchSchema).max(50).default([]),
  visitorId: z.string().max(128).optional(),
  sessionId: z.string().max(128).optional(),
  firstSeen: z.string().max(64).optional(),
  pageviews: z.number().int().nonnegative().optional(),
  sessions: z.number().int().nonnegative().optional(),
  /** Distinct paths the visitor viewed (pathname only), most recent first. */
  pages: z.array(short).max(20).optional(),
  vitals: z.record(z.string().max(16), z.number()).optional(),
});

const FieldValue = z.union([
  z.string().max(MAX_TEXT),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.string().max(1000)).max(100),
]);

export const LeadSchema = z.object({
  v: z.literal(LEAD_VERSION).default(LEAD_VERSION),
  id: LeadId,
  formId: z.string().min(1).max(128),
  submittedAt: z.string().max(64).optional(),
  fields: z.record(z.string().min(1).max(128), FieldValue).refine((f) => Object.keys(f).length <= 200, {
    message: 'at most 200 fields',
  }),
  consent: z
    .object({
      granted: z.boolean(),
      text: z.string().max(MAX_TEXT).optional(),
      at: z.string().max(64).optional(),
    })
    .optional(),
  attribution: AttributionSchema.optional(),
  page: z.object({ url: short.optional(), title: short.optional(), referrer: short.optional() }).optional(),
  context: z
    .object({ locale: z.string().max(35).optional(), timeZone: z.string().max(64).optional() })
    .optional(),
  meta: z
    .object({
      honeypot: z.string().max(1000).optional(),
      fillMs: z.number().nonnegative().optional(),
      turnstileToken: z.string().max(4096).optional(),
    })
    .optional(),
});

/** A lead as it travels on the wire (after defaults are applied). */
export type Lead = z.output<typeof LeadSchema>;
/** A lead as a client may send it (optional parts omitted). */
export type LeadInput = z.input<typeof LeadSchema>;

/** Validate unknown input; issues name the path of each problem. */
export function parseLead(
  input: unknown,
): { ok: true; lead: Lead } | { ok: false; issues: { path: string; message: string }[] } {
  const r = LeadSchema.safeParse(input);
  if (r.success) return { ok: true, lead: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
  };
}
