/** Packs a completed form into the lead wire contract (`@leadkit/core/lead`). */
import type { LeadInput } from '@leadkit/core/lead';
import type { FieldConfig } from './config-schema.js';
import { toLeadFields, type Value } from './values.js';

/** What the page knows at submit time: attribution from the core journey, the page, the visitor's locale. */
export type LeadContext = Pick<LeadInput, 'attribution' | 'page' | 'context'>;

export interface LeadParts {
  id: string;
  formId: string;
  /** Fields to send: shown ones plus hidden-type fields whose `showIf` holds. */
  fields: FieldConfig[];
  values: Record<string, Value>;
  honeypot: string;
  fillMs: number;
  turnstileToken?: string | undefined;
}

export function buildLead(parts: LeadParts, context: LeadContext, now = new Date()): LeadInput {
  const fields: LeadInput['fields'] = {};
  for (const f of parts.fields) Object.assign(fields, toLeadFields(f, parts.values[f.name]));
  const consentField = parts.fields.find((f) => f.type === 'consent');
  const granted = consentField ? parts.values[consentField.name] === true : false;
  const at = now.toISOString();
  const meta: NonNullable<LeadInput['meta']> = {
    honeypot: parts.honeypot,
    fillMs: Math.max(0, Math.round(parts.fillMs)),
  };
  if (parts.turnstileToken) meta.turnstileToken = parts.turnstileToken;
  return {
    v: 1,
    id: parts.id,
    formId: parts.formId,
    submittedAt: at,
    fields,
    // The statement exactly as displayed is the record of what the visitor agreed to.
    ...(consentField && { consent: { granted, text: consentField.label, ...(granted && { at }) } }),
    ...context,
    meta,
  };
}

/** An idempotency key: stable for one fill across every retry, URL- and header-safe, never a dot. */
export function newLeadId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `v1-${Date.now().toString(36)}-${Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('')}`;
}
