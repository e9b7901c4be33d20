/**
 * What a person reads about a new lead, before any formatting: the rows that Slack messages and
 * notification emails show (name, contact, channel, both touches, score, stage, the config's extra rows),
 * the owner, the message, and a footer. Each destination escapes these values for its own format.
 */
import type { Lead } from '@leadkit/core/lead';
import {
  canonicalFields,
  type Decided,
  type FieldOverrides,
  mergeFieldMaps,
  resolveSpec,
  SLACK_DEFAULT_FIELDS,
} from '../fields.js';
import type { Owner } from '../store/types.js';

export interface LeadSummary {
  /** The person: full name, else email, else "someone". */
  who: string;
  company: string | undefined;
  channel: string | undefined;
  /** The lead's email address as given (not validated here). */
  email: string | undefined;
  /** Label and value of every row that has a value, in reading order. */
  rows: [label: string, value: string][];
  owner: Owner | undefined;
  message: string | undefined;
  /** "Form <id> · lead <id> · <submitted at>". */
  footer: string;
}

const STAGE_LABELS: Record<string, string> = {
  lead: 'Lead',
  mql: 'MQL',
  sql: 'SQL',
  customer: 'Customer',
  disqualified: 'Disqualified',
  lost: 'Lost',
};

function touchLine(c: Record<string, string>, which: 'first' | 'last'): string | undefined {
  const channel = c[`${which}_touch_channel`];
  if (!channel) return undefined;
  const source = c[`${which}_touch_source`];
  const medium = c[`${which}_touch_medium`];
  const campaign = c[`${which}_touch_campaign`];
  return [channel, source && medium ? `${source} / ${medium}` : source, campaign].filter(Boolean).join(' · ');
}

/** The summary of one lead; `fields` adds rows (label → source, see fields.ts) or removes them (null). */
export function leadSummary(
  lead: Lead,
  fields: FieldOverrides | undefined,
  decided: Decided = {},
): LeadSummary {
  const c = canonicalFields(lead, decided);
  const q = decided.qualification;
  const rows: [string, string | undefined][] = [
    ['Name', c.full_name],
    ['Email', c.email],
    ['Company', c.company],
    ['Phone', c.phone],
    ['Channel', c.channel],
    ['Campaign', c.utm_campaign],
    ['First touch', touchLine(c, 'first')],
    ['Last touch', touchLine(c, 'last')],
    ['Landing page', c.first_touch_landing_page],
    ['Form page', c.page_url],
    ['Score', q ? `${q.score} (${q.grade})` : undefined],
    ['Stage', c.stage === undefined ? undefined : (STAGE_LABELS[c.stage] ?? c.stage)],
  ];
  const extra = Object.entries(mergeFieldMaps(SLACK_DEFAULT_FIELDS, fields)).map(
    ([label, spec]): [string, string | undefined] => [label, resolveSpec(lead, spec, c)],
  );
  return {
    who: c.full_name ?? c.email ?? 'someone',
    company: c.company,
    channel: c.channel,
    email: c.email,
    rows: [...rows, ...extra].filter((r): r is [string, string] => r[1] !== undefined),
    owner: q?.owner ?? undefined,
    message: c.message,
    footer: `Form ${lead.formId} · lead ${lead.id}${c.submitted_at ? ` · ${c.submitted_at}` : ''}`,
  };
}

/**
 * The rows with the owner as a last plain "Owner" row, for formats that cannot mention a person
 * (email); Slack, Teams and Discord mention the owner instead when the rep has an id for them.
 */
export function rowsWithOwner(s: LeadSummary): [label: string, value: string][] {
  return s.owner ? [...s.rows, ['Owner', s.owner.name]] : s.rows;
}

/** `value` cut to at most `max` characters, ending in "…" when it was cut (vendors cap field lengths). */
export function truncate(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** The inbox page of one lead, when the destination knows where the inbox is. */
export function inboxLink(inboxUrl: string | undefined, leadId: string): string | undefined {
  if (!inboxUrl) return undefined;
  const url = new URL(inboxUrl);
  url.searchParams.set('lead', leadId);
  return url.toString();
}

/** One line for subjects and notification texts: "New lead: Ada Lovelace (Acme) via Paid Search". */
export function headline(title: string, s: LeadSummary): string {
  return `${title}: ${s.who}${s.company ? ` (${s.company})` : ''}${s.channel ? ` via ${s.channel}` : ''}`;
}
