/**
 * What conditions look at: one flat view of a lead and what the server decided about it, built in one
 * place so scoring, owner rules and destination filters see the same values.
 */
import type { Lead } from '@leadkit/core/lead';
import { emailDomain, leadEmail } from './email.js';
import { emailType } from './free-mail.js';
import type { Owner, Stage } from './store/types.js';

export type SubjectValue = string | number | boolean | readonly string[] | undefined;

/** Every path a condition may name besides `fields.<name>`, with what it holds (for errors and docs). */
export const SUBJECT_PATHS = {
  email: 'the address, lower case',
  emailDomain: 'the part after @',
  emailType: '"business", "free" (a free-mail provider) or "none" (no address)',
  channel: 'channel of the last touch, e.g. "Paid Search"',
  source: 'source of the last touch',
  medium: 'medium of the last touch',
  campaign: 'campaign of the last touch',
  'firstTouch.channel': 'channel of the first touch',
  'firstTouch.source': 'source of the first touch',
  'firstTouch.medium': 'medium of the first touch',
  'firstTouch.campaign': 'campaign of the first touch',
  score: 'the score (after scoring)',
  grade: 'the grade (after scoring)',
  stage: 'lifecycle stage: lead, mql, sql, customer, disqualified, lost',
  owner: 'name of the assigned rep (after owner assignment)',
  formId: 'the form id',
  'journey.pageviews': 'pages the visitor viewed before submitting',
  'journey.sessions': 'visits the visitor made',
  'journey.daysSinceFirstTouch': 'whole days from the first touch to the submission',
  'journey.pages': 'paths the visitor viewed, most recent first (up to 20)',
} as const;

export type SubjectPath = keyof typeof SUBJECT_PATHS;
export type Subject = Readonly<Record<string, SubjectValue>>;

/** What is known about a lead at the point a condition is evaluated. */
export interface SubjectInput {
  lead: Lead;
  receivedAt: number;
  score?: number | undefined;
  grade?: string | undefined;
  stage?: Stage | undefined;
  owner?: Owner | undefined;
}

const DAY_MS = 86_400_000;

function daysSince(from: string | undefined, to: number): number | undefined {
  const at = from === undefined ? Number.NaN : Date.parse(from);
  return Number.isFinite(at) ? Math.max(0, Math.floor((to - at) / DAY_MS)) : undefined;
}

export function buildSubject(input: SubjectInput): Subject {
  const { lead } = input;
  const a = lead.attribution;
  const email = leadEmail(lead);
  const domain = emailDomain(email);
  const subject: Record<string, SubjectValue> = {
    email,
    emailDomain: domain,
    emailType: emailType(domain),
    channel: a?.lastTouch.channel,
    source: a?.lastTouch.source,
    medium: a?.lastTouch.medium,
    campaign: a?.lastTouch.campaign,
    'firstTouch.channel': a?.firstTouch.channel,
    'firstTouch.source': a?.firstTouch.source,
    'firstTouch.medium': a?.firstTouch.medium,
    'firstTouch.campaign': a?.firstTouch.campaign,
    score: input.score,
    grade: input.grade,
    stage: input.stage ?? 'lead',
    owner: input.owner?.name,
    formId: lead.formId,
    'journey.pageviews': a?.pageviews,
    'journey.sessions': a?.sessions,
    'journey.daysSinceFirstTouch': daysSince(a?.firstSeen ?? a?.firstTouch.timestamp, input.receivedAt),
    'journey.pages': a?.pages,
  };
  for (const [name, value] of Object.entries(lead.fields)) {
    subject[`fields.${name}`] = value === null ? undefined : value;
  }
  return subject;
}

/** A value from the subject; `fields.<name>` falls back to a case-insensitive match of the name. */
export function readSubject(subject: Subject, path: string): SubjectValue {
  if (path in subject || !path.startsWith('fields.')) return subject[path];
  const wanted = path.toLowerCase();
  for (const key of Object.keys(subject)) if (key.toLowerCase() === wanted) return subject[key];
  return undefined;
}
