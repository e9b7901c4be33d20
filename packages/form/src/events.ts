/**
 * Tells the page what happened: a `leadkit:submit|success|error` CustomEvent on the form's host element
 * (bubbling, composed) and, when Google Tag Manager's `dataLayer` exists, a push with ids only (no answers).
 */
import type { FormEventName } from './model.js';

export interface LeadkitEventDetail {
  formId: string;
  lead?: { id: string };
  /** `leadkit:error` only: the lead waits in the outbox and will be sent later. */
  queued?: boolean;
  error?: string;
  issues?: { path: string; message: string }[];
}

export function emitFormEvent(host: EventTarget, name: FormEventName, detail: LeadkitEventDetail): void {
  host.dispatchEvent(new CustomEvent(`leadkit:${name}`, { detail, bubbles: true, composed: true }));
  const dataLayer = (globalThis as { dataLayer?: unknown }).dataLayer;
  if (Array.isArray(dataLayer))
    dataLayer.push({
      event: `leadkit:${name}`,
      leadkitFormId: detail.formId,
      leadkitLeadId: detail.lead?.id,
    });
}
