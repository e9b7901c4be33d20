/**
 * Field mapping: how a lead becomes the flat string values a CRM takes.
 *
 * A field map is `{ crmField: source }`. A source is
 * - a canonical name (no dot): `email`, `first_name`, `utm_source`, `first_touch_channel`, ... (CANONICAL_FIELDS),
 * - a path into the lead: `fields.budget`, `attribution.firstTouch.source`, `attribution.lastTouch.clickIds.gclid`,
 *   `page.url`, `consent.text`, `context.locale` (`fields.` takes the rest verbatim, dots included),
 * - what the server decided: `qualification.score`, `qualification.grade`, `stage` (current lifecycle stage),
 *   `owner.name`, `owner.email`, `owner.id` (e.g. HubSpot `hubspot_owner_id`), `owner.slack`,
 * - a constant: `{ "value": "Website" }`,
 * - or a list of those: the first one that has a value wins (`["company", { "value": "[not provided]" }]`).
 * Config overrides merge over a destination's defaults; `null` removes a default.
 */
import type { Lead } from '@leadkit/core/lead';
import { z } from 'zod';
import type { Qualification, Stage } from './store/types.js';

type Touch = NonNullable<Lead['attribution']>['firstTouch'];

export type FieldSource = string | { value: string };
export type FieldSpec = FieldSource | readonly FieldSource[];
export type FieldMap = Readonly<Record<string, FieldSpec>>;
/** What config may say: a spec, or null to drop a default. */
export type FieldOverrides = Readonly<Record<string, FieldSpec | null>>;

// Form field names people use for the same thing, compared without case, `_`, `-` or spaces.
const ALIASES = {
  email: ['email', 'workemail', 'emailaddress', 'businessemail'],
  first_name: ['firstname', 'givenname', 'fname'],
  last_name: ['lastname', 'familyname', 'surname', 'lname'],
  full_name: ['name', 'fullname', 'yourname'],
  company: ['company', 'companyname', 'organization', 'organisation', 'org'],
  phone: ['phone', 'tel', 'telephone', 'phonenumber', 'mobile', 'mobilephone'],
  job_title: ['jobtitle', 'title', 'role', 'position'],
  website: ['website', 'companywebsite', 'websiteurl'],
  message: ['message', 'comments', 'comment', 'description', 'notes', 'enquiry', 'inquiry'],
} as const;

const TOUCH_PARTS = {
  channel: (t: Touch) => t.channel,
  source: (t: Touch) => t.source,
  medium: (t: Touch) => t.medium,
  campaign: (t: Touch) => t.campaign,
  term: (t: Touch) => t.term,
  content: (t: Touch) => t.content,
  landing_page: (t: Touch) => t.landingPage,
  referrer: (t: Touch) => t.referrer,
  at: (t: Touch) => t.timestamp,
} as const;

/** Every canonical name a map may use, with what it holds. */
export const CANONICAL_FIELDS = {
  email: 'email address (form field email, workEmail, ...)',
  first_name: 'first name; split from a single name field when there is none',
  last_name: 'last name; the whole name when it is one word',
  full_name: 'full name, or first + last',
  company: 'company / organisation',
  phone: 'phone number as typed',
  job_title: 'job title',
  website: 'website',
  message: 'free-text message',
  utm_source: 'source of the converting (last) touch, e.g. google',
  utm_medium: 'medium of the converting touch, e.g. cpc',
  utm_campaign: 'campaign of the converting touch',
  utm_term: 'term of the converting touch',
  utm_content: 'content of the converting touch',
  channel: 'GA4 channel of the converting touch, e.g. Paid Search',
  ...Object.fromEntries(
    Object.keys(TOUCH_PARTS).flatMap((part) => [
      [`first_touch_${part}`, `${part} of the first touch`],
      [`last_touch_${part}`, `${part} of the last non-direct touch`],
    ]),
  ),
  gclid: 'Google Ads click id (last touch, else first)',
  fbclid: 'Meta click id (last touch, else first)',
  msclkid: 'Microsoft Ads click id (last touch, else first)',
  click_ids: 'every click id, e.g. "gclid=abc; fbclid=xyz"',
  page_url: 'URL of the page the form was on',
  page_title: 'title of that page',
  page_referrer: 'referrer of that page',
  consent_granted: '"true" or "false"',
  consent_text: 'the consent wording the visitor agreed to',
  consent_at: 'when consent was given (ISO 8601)',
  lead_id: 'the lead id (idempotency key)',
  form_id: 'the form id',
  submitted_at: 'when the visitor submitted (ISO 8601, client clock)',
  received_at: 'when the server accepted the lead (ISO 8601, server clock)',
  visitor_id: 'anonymous visitor id',
  locale: 'browser locale',
  time_zone: 'browser time zone',
} as Readonly<Record<string, string>>;

/** What the server decided about the lead (the worker passes its delivery context). */
export interface Decided {
  qualification?: Qualification | null | undefined;
  stage?: Stage | undefined;
  /** When the server accepted the lead (the worker's delivery context has it). */
  receivedAt?: Date | undefined;
}

/** Sources from the qualification, with what they hold. */
export const DECIDED_SOURCES = {
  'qualification.score': 'the score from `scoring`',
  'qualification.grade': 'the grade from `scoring`',
  stage: 'the current lifecycle stage (lead, mql, sql, customer, disqualified, lost)',
  'owner.name': 'the assigned rep’s name',
  'owner.email': 'the assigned rep’s email',
  'owner.id': 'the assigned rep’s CRM id, e.g. a HubSpot owner id',
  'owner.slack': 'the assigned rep’s Slack member id',
} as Readonly<Record<string, string>>;

/** Path roots a map may read from (`meta` is left out: honeypot and captcha tokens are not CRM data). */
const LEAD_ROOTS = ['fields', 'attribution', 'page', 'consent', 'context'] as const;

function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const joined = value.map(String).join(';');
    return joined === '' ? undefined : joined;
  }
  if (typeof value === 'object') return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}

const squash = (name: string) => name.toLowerCase().replace(/[\s_-]/g, '');

function fieldByAlias(fields: Lead['fields'], aliases: readonly string[]): string | undefined {
  for (const alias of aliases) {
    for (const [key, value] of Object.entries(fields)) {
      if (squash(key) === alias) {
        const found = text(value);
        if (found !== undefined) return found;
      }
    }
  }
  return undefined;
}

function splitName(full: string): { first?: string; last: string } {
  const words = full.split(/\s+/);
  const last = words.pop()!;
  return words.length ? { first: words.join(' '), last } : { last };
}

/** The canonical flat view of a lead: only names with a value are present. */
export function canonicalFields(lead: Lead, decided: Decided = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, value: unknown) => {
    const t = text(value);
    if (t !== undefined) out[key] = t;
  };
  const q = decided.qualification;
  put('qualification.score', q?.score);
  put('qualification.grade', q?.grade);
  put('stage', decided.stage ?? q?.stage);
  put('owner.name', q?.owner?.name);
  put('owner.email', q?.owner?.email);
  put('owner.id', q?.owner?.id);
  put('owner.slack', q?.owner?.slack);
  for (const [key, aliases] of Object.entries(ALIASES)) put(key, fieldByAlias(lead.fields, aliases));
  if (out.full_name && !out.first_name && !out.last_name) {
    const split = splitName(out.full_name);
    put('first_name', split.first);
    put('last_name', split.last);
  }
  if (!out.full_name) put('full_name', [out.first_name, out.last_name].filter(Boolean).join(' '));

  const a = lead.attribution;
  if (a) {
    for (const [part, read] of Object.entries(TOUCH_PARTS)) {
      put(`first_touch_${part}`, read(a.firstTouch));
      put(`last_touch_${part}`, read(a.lastTouch));
    }
    for (const part of ['source', 'medium', 'campaign', 'term', 'content'] as const) {
      put(`utm_${part}`, a.lastTouch[part]);
    }
    put('channel', a.lastTouch.channel);
    const clicks = { ...a.firstTouch.clickIds, ...a.lastTouch.clickIds };
    for (const id of ['gclid', 'fbclid', 'msclkid']) put(id, clicks[id]);
    put(
      'click_ids',
      Object.entries(clicks)
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
    );
    put('visitor_id', a.visitorId);
  }
  put('page_url', lead.page?.url);
  put('page_title', lead.page?.title);
  put('page_referrer', lead.page?.referrer);
  if (lead.consent) {
    put('consent_granted', lead.consent.granted);
    put('consent_text', lead.consent.text);
    put('consent_at', lead.consent.at);
  }
  put('lead_id', lead.id);
  put('form_id', lead.formId);
  put('submitted_at', lead.submittedAt);
  put('received_at', decided.receivedAt?.toISOString());
  put('locale', lead.context?.locale);
  put('time_zone', lead.context?.timeZone);
  return out;
}

/** Why a source string is not usable, or undefined when it is. */
export function sourceProblem(source: string): string | undefined {
  if (source in DECIDED_SOURCES) return undefined;
  if (source.startsWith('qualification.') || source.startsWith('owner.')) {
    return `"${source}" is not known; use one of ${Object.keys(DECIDED_SOURCES).join(', ')}`;
  }
  if (!source.includes('.')) {
    return source in CANONICAL_FIELDS
      ? undefined
      : `"${source}" is not a canonical field name; use one of ${Object.keys(CANONICAL_FIELDS).join(', ')}, or a lead path such as fields.${source}`;
  }
  const root = source.slice(0, source.indexOf('.'));
  if (!(LEAD_ROOTS as readonly string[]).includes(root)) {
    return `"${source}" must start with ${LEAD_ROOTS.map((r) => `${r}.`).join(', ')} or be a canonical field name`;
  }
  if (source.endsWith('.')) return `"${source}" ends with a dot`;
  return undefined;
}

function readPath(lead: Lead, path: string): string | undefined {
  if (path.startsWith('fields.')) return text(lead.fields[path.slice('fields.'.length)]);
  let node: unknown = lead;
  for (const segment of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return text(node);
}

function resolveSource(lead: Lead, canonical: Record<string, string>, source: FieldSource) {
  if (typeof source !== 'string') return text(source.value);
  return source.includes('.') && !(source in DECIDED_SOURCES) ? readPath(lead, source) : canonical[source];
}

/** The value one spec gives for a lead (first source with a value), or undefined. */
export function resolveSpec(
  lead: Lead,
  spec: FieldSpec,
  canonical = canonicalFields(lead),
): string | undefined {
  const sources = Array.isArray(spec) ? spec : [spec as FieldSource];
  for (const source of sources) {
    const value = resolveSource(lead, canonical, source);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Applies a field map: `{ crmField: value }` for every field that has a value. */
export function mapFields(lead: Lead, map: FieldMap, decided: Decided = {}): Record<string, string> {
  const canonical = canonicalFields(lead, decided);
  const out: Record<string, string> = {};
  for (const [target, spec] of Object.entries(map)) {
    const value = resolveSpec(lead, spec, canonical);
    if (value !== undefined) out[target] = value;
  }
  return out;
}

/** A destination's defaults with the config's overrides on top (null removes a default). */
export function mergeFieldMaps(defaults: FieldMap, overrides: FieldOverrides | undefined): FieldMap {
  const merged: Record<string, FieldSpec> = { ...defaults };
  for (const [target, spec] of Object.entries(overrides ?? {})) {
    if (spec === null) delete merged[target];
    else merged[target] = spec;
  }
  return merged;
}

const SourceSchema = z.union([
  z.string().superRefine((s, ctx) => {
    const problem = sourceProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  z.strictObject({ value: z.string().max(10_000) }),
]);

/** One spec in config: a source, or a list of sources where the first with a value wins. */
export const FieldSpecSchema = z.union([SourceSchema, z.array(SourceSchema).min(1).max(10)]);

/** Config `fields`: `{ "crmField": source | [sources] | null }`. */
export const FieldOverridesSchema = z.record(
  z.string().min(1).max(255),
  z.union([FieldSpecSchema, z.null()]),
);

// ---- default maps per CRM (delivery research §3.7) ----

const UTM = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
const TOUCH_FIELDS = ['channel', 'source', 'medium', 'campaign'] as const;

/** HubSpot contact properties (Forms API field names are the same). Custom ones are created by the portal. */
export const HUBSPOT_DEFAULT_FIELDS: FieldMap = {
  email: 'email',
  firstname: 'first_name',
  lastname: 'last_name',
  company: 'company',
  phone: 'phone',
  jobtitle: 'job_title',
  website: 'website',
  message: 'message',
  ...Object.fromEntries(UTM.map((u) => [u, u])),
  ...Object.fromEntries(
    TOUCH_FIELDS.flatMap((p) => [
      [`leadkit_first_touch_${p}`, `first_touch_${p}`],
      [`leadkit_last_touch_${p}`, `last_touch_${p}`],
    ]),
  ),
};

const NOT_PROVIDED = { value: '[not provided]' };
const capitalise = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** Salesforce Lead API names. LastName and Company are required, so they fall back to a placeholder. */
export const SALESFORCE_DEFAULT_FIELDS: FieldMap = {
  FirstName: 'first_name',
  LastName: ['last_name', NOT_PROVIDED],
  Email: 'email',
  Company: ['company', NOT_PROVIDED],
  Phone: 'phone',
  Title: 'job_title',
  Website: 'website',
  Description: 'message',
  LeadSource: 'first_touch_channel',
  ...Object.fromEntries(UTM.map((u) => [`UTM_${capitalise(u.slice(4))}__c`, u])),
  ...Object.fromEntries(
    TOUCH_FIELDS.flatMap((p) => [
      [`Leadkit_First_Touch_${capitalise(p)}__c`, `first_touch_${p}`],
      [`Leadkit_Last_Touch_${capitalise(p)}__c`, `last_touch_${p}`],
    ]),
  ),
};

/**
 * Salesforce Web-to-Lead parameter names. Custom fields post under their 15-character id (00N...), which
 * differs per org, so UTMs and touches need a `fields` override; unknown names are ignored by Salesforce.
 */
export const WEB_TO_LEAD_DEFAULT_FIELDS: FieldMap = {
  first_name: 'first_name',
  last_name: ['last_name', NOT_PROVIDED],
  email: 'email',
  company: ['company', NOT_PROVIDED],
  phone: 'phone',
  title: 'job_title',
  URL: 'website',
  description: 'message',
  lead_source: 'first_touch_channel',
};

/**
 * Pipedrive lead custom fields are 40-character hash keys that differ per company, so nothing maps by
 * default: attribution goes into a note on the lead, and `fields` maps hash keys to sources.
 */
export const PIPEDRIVE_DEFAULT_FIELDS: FieldMap = {};

/** Extra rows in the Slack message (label → source); the built-in layout already shows the essentials. */
export const SLACK_DEFAULT_FIELDS: FieldMap = {};

/**
 * Zoho CRM Leads field API names. Last_Name is mandatory (the destination falls back to the email's local
 * part, then "Unknown"); Company is mandatory in many orgs, so it falls back to a placeholder. UTM and
 * touch fields are custom per org: map them in `fields` (e.g. `"UTM_Source": "utm_source"`).
 */
export const ZOHO_DEFAULT_FIELDS: FieldMap = {
  First_Name: 'first_name',
  Last_Name: 'last_name',
  Email: 'email',
  Company: ['company', NOT_PROVIDED],
  Phone: 'phone',
  Designation: 'job_title',
  Website: 'website',
  Description: 'message',
  Lead_Source: 'first_touch_channel',
};

/**
 * Close lead fields. Custom fields are `custom.cf_<id>` keys that differ per organisation, so UTMs and
 * touches need a `fields` entry (e.g. `"custom.cf_v6S0...": "utm_source"`); the person goes in as a contact.
 */
export const CLOSE_DEFAULT_FIELDS: FieldMap = {
  description: 'message',
  url: 'website',
};

/**
 * Attio person attribute slugs beyond the email, name and phone the destination always sends. Custom
 * attributes (e.g. `utm_source`) go in `fields`; ones the workspace lacks are dropped and reported.
 */
export const ATTIO_DEFAULT_FIELDS: FieldMap = {
  job_title: 'job_title',
};

/**
 * Airtable field names are what the table's columns are called, so the defaults are plain labels (the
 * same as the Google Sheets header). `Lead id` is what upserts merge on, so retries never add a record;
 * fields the table lacks are dropped and reported.
 */
export const AIRTABLE_DEFAULT_FIELDS: FieldMap = {
  Received: ['received_at', 'submitted_at'],
  Email: 'email',
  Name: 'full_name',
  Company: 'company',
  Phone: 'phone',
  Message: 'message',
  Channel: 'channel',
  'First source': 'first_touch_source',
  'First medium': 'first_touch_medium',
  'First campaign': 'first_touch_campaign',
  'Last source': 'last_touch_source',
  'Last medium': 'last_touch_medium',
  'Last campaign': 'last_touch_campaign',
  'Landing page': 'first_touch_landing_page',
  'Lead id': 'lead_id',
};
