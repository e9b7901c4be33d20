/**
 * What is left of a lead after its person's data is erased: only facts that identify nobody (form,
 * each touch's channel, source, medium and campaign with its time, visit counts), so reports stay true.
 * Shared by every store.
 */
import { createHash } from 'node:crypto';
import type { Lead } from '@leadkit/core/lead';

type Touch = NonNullable<Lead['attribution']>['firstTouch'];

/** The address as stores match it: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The erasure record's proof of which address was erased, without keeping the address. */
export function emailSha256(email: string): string {
  return createHash('sha256').update(normalizeEmail(email)).digest('hex');
}

// Landing pages, referrers, click ids and content/term values can carry personal data (a name in a
// query string, an ad click id); they go. The schema requires landingPage, so it stays as ''.
function anonymousTouch(t: Touch): Touch {
  const kept: Touch = {
    source: t.source,
    medium: t.medium,
    landingPage: '',
    timestamp: t.timestamp,
    clickIds: {},
  };
  if (t.channel !== undefined) kept.channel = t.channel;
  if (t.campaign !== undefined) kept.campaign = t.campaign;
  return kept;
}

/** The lead without personal data (see the file comment); still a valid Lead. */
export function eraseLeadData(lead: Lead): Lead {
  const erased: Lead = { v: lead.v, id: lead.id, formId: lead.formId, fields: {} };
  const a = lead.attribution;
  if (a) {
    erased.attribution = {
      firstTouch: anonymousTouch(a.firstTouch),
      lastTouch: anonymousTouch(a.lastTouch),
      touches: a.touches.map(anonymousTouch),
    };
    if (a.pageviews !== undefined) erased.attribution.pageviews = a.pageviews;
    if (a.sessions !== undefined) erased.attribution.sessions = a.sessions;
  }
  return erased;
}
