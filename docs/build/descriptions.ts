/**
 * What each config key means, by its path in the schema. Types, requirement, defaults and limits come
 * from the zod schemas themselves; the build fails if a key here is missing from a schema or a schema
 * key is missing here.
 */

export const FORM: Record<string, string> = {
  id: 'Names the form; sent as `lead.formId`. Letters, digits, `_` and `-`.',
  endpoint:
    'Where leads are POSTed (the adapter’s `/v1/leads`). The element’s `endpoint` attribute and the script’s `data-endpoint` also set it.',
  title: 'Heading of the form; also names the popup dialog.',
  intro: 'A paragraph under the title.',
  fields: 'The questions, in order.',
  'fields[].name': 'Key of the answer in `lead.fields`.',
  'fields[].type':
    'Control: `text`, `email`, `tel`, `url`, `number`, `textarea`, `select`, `radio`, `checkbox`, `consent` or `hidden`.',
  'fields[].label':
    'Visible label; required except for `hidden`. For `consent` it is the statement stored with the lead.',
  'fields[].placeholder': 'Example text inside the control (never a label).',
  'fields[].help': 'A hint under the label: one short sentence, no links.',
  'fields[].required': 'The visitor must answer it.',
  'fields[].pattern': 'A regular expression the whole answer must match.',
  'fields[].min': '`number`: the smallest value; text: the fewest characters.',
  'fields[].max': '`number`: the largest value; text: the most characters.',
  'fields[].options':
    'Choices of `select`, `radio` and grouped `checkbox`: `"Sales"` or `{ "value": "sales", "label": "Sales" }`.',
  'fields[].default': 'Starting value. Consent boxes always start unticked.',
  'fields[].showIf': 'Show the field only while another field holds a value.',
  'fields[].showIf.field': 'The `name` of the other field.',
  'fields[].showIf.equals': 'The value, or list of values, that shows this field.',
  'fields[].param': 'Prefill from this URL query parameter.',
  'fields[].cookie': 'Prefill from this cookie (after `param`).',
  'fields[].autocomplete': 'Overrides the autocomplete token chosen from the type and name.',
  'fields[].link': '`consent` only: a privacy-policy link next to (never inside) the label.',
  'fields[].link.href': 'The link’s address: an http(s) URL or a path.',
  'fields[].link.text': 'The link’s text.',
  steps: 'A multi-step form; every visible field belongs to exactly one step.',
  'steps[].title': 'The step’s heading.',
  'steps[].fields': 'Names of the fields on this step, in order.',
  submitLabel: 'Text of the final button.',
  success: 'What the visitor sees after sending, or where they go.',
  'success.title': 'Heading of the thank-you message.',
  'success.message': 'Text of the thank-you message.',
  'success.redirect': 'Go to this address instead of showing a message.',
  locale:
    'Language of the built-in strings (`en`, `de`, `fr`, `es`); by default the closest `lang` on the page.',
  dir: 'Text direction, `ltr` or `rtl`; by default from the language.',
  messages: 'Replace any built-in string by its key, e.g. `{ "submit": "Send request" }`.',
  requiredStyle: '`optional` marks optional fields “(optional)”; `asterisk` marks required ones with *.',
  display: 'How the form appears; inline by default.',
  'display.mode': '`inline` in place, `popup` as a modal dialog, `slide-in` as a panel in a corner.',
  'display.trigger': 'What opens a popup or slide-in: `click` (default), `delay`, `scroll` or `exit` intent.',
  'display.opener': 'CSS selector of page elements that open the form; otherwise a launcher button is shown.',
  'display.launcher': 'Text of the launcher button.',
  'display.delay': 'Seconds before a `delay` trigger opens the form (default 5).',
  'display.scroll': 'Percent of the page scrolled before a `scroll` trigger opens the form (default 50).',
  'display.frequencyDays':
    'Automatic triggers open at most once per visitor per this many days (default 30).',
  turnstile: 'Render a Cloudflare Turnstile check (the page loads Turnstile’s script).',
  'turnstile.siteKey': 'Your Turnstile site key.',
};

export const WEBHOOK: Record<string, string> = {
  allowedOrigins: 'Browser origins that may post leads, e.g. `"https://www.example.com"`; `"*"` allows any.',
  security: 'The SSRF guard for destination URLs.',
  'security.allowHosts':
    'Hosts exempt from the guard (exact names), e.g. `"127.0.0.1"` for a local receiver. Others must be public https URLs.',
  destinations: 'Where leads go; see the destination tables below.',
  rateLimit: 'Submissions per client IP and per form; `false` turns both off.',
  'rateLimit.perIp': 'The per-IP window.',
  'rateLimit.perIp.points': 'Submissions allowed per window.',
  'rateLimit.perIp.durationSeconds': 'Length of the window.',
  'rateLimit.perForm': 'The per-`formId` window.',
  'rateLimit.perForm.points': 'Submissions allowed per window.',
  'rateLimit.perForm.durationSeconds': 'Length of the window.',
  spam: 'How spam is flagged (flagged leads are kept, never delivered until released).',
  'spam.honeypotField': 'A hidden field people never fill; a value in it (or in `meta.honeypot`) flags spam.',
  'spam.minFillMs': 'Forms sent faster than this (the client’s `meta.fillMs`) are flagged; `0` turns it off.',
  'spam.turnstile': 'Verify Cloudflare Turnstile tokens on the server.',
  'spam.turnstile.secret': 'Your Turnstile secret key.',
  'spam.turnstile.verifyUrl': 'Turnstile’s siteverify address.',
  retentionDays: 'Days to keep leads and their delivery history; older ones are purged.',
  adminToken: 'Bearer token for the admin API and the inbox; without it those routes answer 403.',
  channelRules: 'Custom channel rules, tried before GA4’s (see Attribution rules).',
  'channelRules[].channel': 'The channel name a matching touch gets.',
  'channelRules[].source': 'Matcher for the source: a string, a list, `{ "contains" }` or `{ "regex" }`.',
  'channelRules[].medium': 'Matcher for the medium.',
  'channelRules[].campaign': 'Matcher for the campaign.',
  'channelRules[].sourceCategory':
    'Google’s category of the source: `search`, `social`, `video`, `shopping`.',
  scoring:
    'Score each lead at intake: points from rules, a grade, and `mql` once the score reaches the threshold (see Qualify and route).',
  'scoring.rules': 'Scoring rules, in order; every rule whose condition holds adds its points.',
  'scoring.rules[].name': 'Shown in the payload’s fired list; defaults to the condition written out.',
  'scoring.rules[].when':
    'A condition: `{ "field": "emailType", "eq": "business" }`, `{ "all": [...] }`, `{ "any": [...] }`, `{ "not": ... }`.',
  'scoring.rules[].points': 'Points added when the condition holds; negative to subtract.',
  'scoring.mqlThreshold': 'A score at or above this makes the lead an MQL (stage `mql`).',
  'scoring.grades': 'Grade → lowest score for it; a score below all of them is grade D.',
  owners: 'Sales reps and how leads are assigned to them; the owner travels in payloads and Slack.',
  'owners.reps': 'The reps, each assignable by name.',
  'owners.reps[].name': 'Unique name; rules assign by it.',
  'owners.reps[].email': 'The rep’s email, for field maps (`owner.email`).',
  'owners.reps[].slack': 'Slack member id (`U…`): the Slack message mentions the rep.',
  'owners.reps[].teams':
    'Teams sign-in name (UPN) or Entra object id: Teams cards and alerts mention the rep.',
  'owners.reps[].discord': 'Discord user id (17–20 digits): Discord messages and alerts ping the rep.',
  'owners.reps[].id': 'The rep’s id in the CRM (e.g. a HubSpot owner id), for field maps (`owner.id`).',
  'owners.rules': 'Assignment rules; the first whose condition holds wins.',
  'owners.rules[].when': 'A condition, e.g. on `fields.country`, `fields.companySize` or `grade`.',
  'owners.rules[].assign': 'A rep’s name, or a list of names to rotate through.',
  'owners.fallback': 'When no rule matches: `round-robin` over every rep, fair across processes.',
  outcomes:
    'Outcomes from the CRM (`POST /v1/leads/{id}/outcome`, `POST /v1/outcomes`); the admin token works without this.',
  'outcomes.token':
    'A token that may send outcomes and nothing else (Bearer, or the Basic auth password): give it to CRM workflows instead of the admin token.',
  'outcomes.secret':
    'Standard Webhooks `whsec_` secret (or several while rotating) that signs outcome requests; use `{ "env": "…" }`.',
  alerts: 'Alerts about leads that wait.',
  'alerts.speedToLead':
    'Alerts Slack, Teams, Discord or email once when an MQL has no outcome (not even `contacted`) after a while.',
  'alerts.speedToLead.afterMinutes':
    'Minutes an MQL may wait for its first outcome; fractions allowed (0.5 = 30 s).',
  'alerts.speedToLead.destination':
    'The name of a `slack`, `teams` or `discord` destination (its webhook gets the alert) or an `email` one (its recipients do).',
  reporting: 'How the funnel report in the inbox counts money and days.',
  'reporting.currency':
    'Revenue headline currency (ISO 4217); amounts sent without a currency count in it, others are shown apart.',
  'reporting.timeZone': 'IANA time zone (e.g. `Europe/Berlin`) where report months and days begin.',
  store: 'Where leads are kept: a SQLite file, or PostgreSQL shared by many adapters.',
  'store.type': '`sqlite` (one process, one file) or `postgres` (any number of adapters and workers).',
  'store.path': 'SQLite: the database file, relative to the config file.',
  'store.url':
    'PostgreSQL: the connection URL, usually `{ "env": "DATABASE_URL" }`; serverless intake uses the pooler’s URL.',
  'store.max': 'PostgreSQL: connections per process.',
  'store.schema': 'PostgreSQL: the schema holding Leadkit’s tables, created on start.',
  'store.prepare':
    'PostgreSQL: named prepared statements; `false` behind a transaction-mode pooler that does not keep them.',
  port: 'Where `serve` listens.',
  host: 'The address `serve` listens on; `0.0.0.0` accepts other machines.',
  trustProxy: '`true` or the number of proxies in front that append `X-Forwarded-For`.',
  storeIp: 'Store the client IP with each lead (personal data: off by default).',
  maxBodyBytes: 'Largest accepted request body.',
  delivery: 'The delivery worker.',
  'delivery.timeoutMs': 'Per-attempt timeout; success is a 2xx within it.',
  'delivery.concurrency': 'Deliveries in flight at once.',
  'delivery.leaseMs': 'How long a claimed row stays claimed; must exceed every timeout.',
  'delivery.pollMs': 'How often the worker looks for due rows (new leads wake it at once).',
  'delivery.jitter': 'Retry delays vary by up to ± this fraction.',
};

/** Destination keys: `<type>.<key>` first, then `*.<key>` for keys every destination shares. */
export const DESTINATIONS: Record<string, string> = {
  '*.type': 'Which destination this is.',
  '*.mode': 'Which API of the vendor to use.',
  '*.name': 'Unique name; it names the outbox rows, so keep it when you edit the rest.',
  '*.retry': 'Replace the retry schedule.',
  '*.retry.delaysMs': 'Waits before each retry (the first attempt is immediate); attempts = 1 + its length.',
  '*.timeoutMs': 'Per-attempt timeout for this destination.',
  '*.when':
    'Only leads this condition holds for go here, e.g. `{ "field": "stage", "eq": "mql" }`; without it, every lead.',
  '*.fields':
    'Field map merged over the defaults: CRM field → canonical name, lead path, `{ "value" }` or a list; `null` removes.',
  '*.baseUrl': 'The vendor API’s base address (for tests and proxies).',
  'webhook.url': 'The receiver: https, or http for hosts in `security.allowHosts`.',
  'webhook.secret': 'A `whsec_` signing secret, or a list while you rotate secrets.',
  'webhook.headers':
    'Extra request headers, e.g. the receiver’s API key. `webhook-*` and `content-type` are reserved.',
  'hubspot.portalId': 'Your HubSpot account (portal) id.',
  'hubspot.formGuid': 'The HubSpot form’s GUID.',
  'hubspot.accessToken':
    'Private app token: with `forms` scope the form mode uses the authenticated endpoint; the contact mode needs `crm.objects.contacts.write`.',
  'hubspot.legalConsent':
    'GDPR consent options: `{ "type": "consent", "subscriptionTypeId" }` or `{ "type": "legitimateInterest", ... }`.',
  'salesforce.instanceUrl': 'Your org’s address, e.g. `https://acme.my.salesforce.com`.',
  'salesforce.accessToken': 'An OAuth access token (refreshing it is yours; in code it may be a function).',
  'salesforce.apiVersion': 'REST API version.',
  'salesforce.externalIdField':
    'A unique External ID text field on Lead; the lead id goes there so retries update.',
  'salesforce.autoAssign': '`Sforce-Auto-Assign`: `true`, `false` or an assignment rule id.',
  'salesforce.oid': 'Your org id for Web-to-Lead.',
  'pipedrive.apiToken': 'API token, sent as the `api_token` query parameter.',
  'pipedrive.accessToken': 'An OAuth token (sent as Bearer); set `baseUrl` to your company domain with it.',
  'pipedrive.ownerId': 'User id that owns created leads.',
  'pipedrive.labelIds': 'Label UUIDs put on created leads.',
  'pipedrive.leadIdField': 'Key of a text custom field that stores the lead id, so retries never duplicate.',
  'pipedrive.note': 'Add an HTML note with the attribution to each lead.',
  'zoho.apiDomain':
    'Your data centre’s API domain, the `api_domain` Zoho returned with the token, e.g. `https://www.zohoapis.eu`.',
  'zoho.accessToken': 'A Zoho OAuth access token (refreshing it is yours; in code it may be a function).',
  'zoho.module': 'Module API name the lead is upserted into.',
  'zoho.trigger':
    'Automations Zoho runs on the record (`workflow`, `approval`, `blueprint`, ...); `[]` runs none.',
  'zoho.duplicateCheckFields':
    'Unique fields Zoho matches an existing record on, in order, so retries update.',
  'close.apiKey': 'Close API key, sent as the Basic auth username (keep it in env).',
  'close.statusId': 'Lead status id (`stat_...`) for new leads; the organisation’s first status otherwise.',
  'close.leadIdField':
    'Id (`cf_...`) of a text custom field on leads that stores the lead id, so retries find the lead exactly.',
  'attio.accessToken':
    'Attio access token with `record_permission:read-write`, `object_configuration:read` and `note:read-write`.',
  'attio.note': 'Attach the message and its attribution as a note on the person.',
  'google-sheets.spreadsheetId':
    'The spreadsheet id, from its URL: `docs.google.com/spreadsheets/d/<id>/edit`.',
  'google-sheets.sheet': 'The tab rows are appended to; it must exist.',
  'google-sheets.credentials':
    'The service account’s JSON key (object or its text), e.g. `{ "env": "GOOGLE_SERVICE_ACCOUNT_KEY" }`; share the sheet with its `client_email`.',
  'google-sheets.columns':
    'One source per column, left to right (canonical name, lead path, `{ "value" }` or a list); keep `lead_id` so retries never add a second row.',
  'google-sheets.credentials.client_email':
    'The service account’s email; share the spreadsheet with it as an Editor.',
  'google-sheets.credentials.private_key':
    'The PEM private key (`-----BEGIN PRIVATE KEY-----`); escaped `\\n` newlines are accepted.',
  'google-sheets.credentials.private_key_id': 'The key’s id, sent as the JWT `kid`.',
  'google-sheets.credentials.token_uri': 'Where the signed JWT is exchanged for an access token.',
  'airtable.baseId': 'The base id (`app...`) from the table’s URL.',
  'airtable.table': 'The table id (`tbl...`, survives renames) or name.',
  'airtable.accessToken':
    'Personal access token with the `data.records:write` scope and the base in its access list (keep it in env).',
  'airtable.mergeOn':
    'Fields (1-3) that find the record to update, default `["Lead id"]`; `null` creates a record every time.',
  'airtable.typecast':
    'Let Airtable convert the text values to each column’s type (dates, numbers, select options).',
  'slack.webhookUrl': 'The incoming-webhook URL (it is the credential: keep it in env).',
  'slack.inboxUrl': 'Your inbox address, for the message’s “Open in inbox” button.',
  'slack.fields': 'Extra rows in the message, as label → source.',
  'slack.title': 'Start of the message header, e.g. “Demo request”.',
  'teams.url':
    'The Workflows webhook URL from “Post to a channel when a webhook request is received” (its `sig` is the credential: keep it in env).',
  'teams.inboxUrl': 'Your inbox address, for the card’s “Open in inbox” button.',
  'teams.fields': 'Extra facts on the card, as label → source.',
  'teams.title': 'Start of the card heading, e.g. “Demo request”.',
  'discord.webhookUrl':
    'The channel webhook URL, `https://discord.com/api/webhooks/<id>/<token>` (the token is the credential: keep it in env).',
  'discord.username': 'Sender name shown instead of the webhook’s own (1-80 characters).',
  'discord.inboxUrl': 'Your inbox address: the embed title links to the lead there.',
  'discord.fields': 'Extra embed fields, as label → source.',
  'discord.title': 'Start of the message text, e.g. “Demo request”.',
  'email.to': 'Who is notified: one address or a list of up to 20.',
  'email.from': 'The sender address; your provider must allow it (a verified address or domain).',
  'email.fromName': 'The sender’s display name.',
  'email.replyToLead': 'Reply-To is the lead’s own address (when valid), so “Reply” reaches the lead.',
  'email.smtp': 'The SMTP server: any provider’s SMTP endpoint, or your company relay.',
  'email.smtp.host': 'e.g. `smtp.postmarkapp.com`, `email-smtp.eu-west-1.amazonaws.com`, `smtp.gmail.com`.',
  'email.smtp.port': '587 by default (465 with `"security": "tls"`).',
  'email.smtp.security':
    '`starttls` (upgrade before anything is sent, refuse a server that cannot), `tls` (port 465), or `none` (only for hosts in `security.allowHosts`).',
  'email.smtp.user': 'SMTP login, often an API key’s name; give it with `password` or not at all.',
  'email.smtp.password': 'SMTP password or API key: keep it in env, `{ "env": "SMTP_PASSWORD" }`.',
  'email.title': 'Start of the subject and heading, e.g. “Demo request”.',
  'email.inboxUrl': 'Your inbox address, for the email’s “Open in inbox” link.',
  'email.fields': 'Extra rows in the email, as label → source.',
};

export const LEAD: Record<string, string> = {
  v: 'Contract version.',
  id: 'Idempotency key made by the browser; stable across retries, the `webhook-id` of every delivery. No dots.',
  formId: 'The form’s `id`.',
  submittedAt: 'When the visitor sent it (browser clock, ISO 8601).',
  fields: 'The answers by field name: text, numbers, booleans, lists of text, or null.',
  consent: 'The consent box, when the form has one.',
  'consent.granted': 'Whether it was ticked.',
  'consent.text': 'The statement the visitor agreed to, as shown.',
  'consent.at': 'When it was given.',
  attribution: 'Where the visitor came from, as the server re-derived it from the raw touches.',
  'attribution.firstTouch': 'The first campaign arrival within the attribution window.',
  'attribution.lastTouch': 'The last non-direct arrival (GA4’s last non-direct click).',
  'attribution.sessionEntry': 'The arrival that started the current session.',
  'attribution.touches': 'Campaign arrivals in the window, oldest first.',
  'attribution.visitorId': 'A random first-party visitor id.',
  'attribution.sessionId': 'The session’s id.',
  'attribution.firstSeen': 'When the visitor was first seen.',
  'attribution.pageviews': 'Page views before the lead.',
  'attribution.sessions': 'Sessions before the lead.',
  'attribution.pages':
    'Distinct paths the visitor viewed (no query), most recent first, at most 20: scoring can look for key pages such as `/pricing`.',
  'attribution.vitals': 'Web Vitals of the landing page (`LCP`, `INP`, `CLS`), with `@leadkit/core/vitals`.',
  page: 'The page the form was on.',
  'page.url': 'Its address.',
  'page.title': 'Its title.',
  'page.referrer': 'Its referrer.',
  context: 'The browser’s settings.',
  'context.locale': 'Language, e.g. `en-GB`.',
  'context.timeZone': 'IANA time zone, e.g. `Europe/Berlin`.',
  meta: 'Spam signals; never delivered to destinations.',
  'meta.honeypot': 'What a bot typed into the hidden honeypot field.',
  'meta.fillMs': 'Milliseconds from the form’s start to sending.',
  'meta.turnstileToken': 'The Cloudflare Turnstile token, checked on the server.',
};

export const TOUCH: Record<string, string> = {
  channel: 'GA4 default channel group (or a custom rule’s channel), e.g. `Paid Search`.',
  source: 'Lower-cased source, e.g. `google`.',
  medium: 'Lower-cased medium, e.g. `cpc`.',
  campaign: '`utm_campaign`.',
  term: '`utm_term`.',
  content: '`utm_content`.',
  id: '`utm_id`.',
  sourcePlatform: '`utm_source_platform`.',
  creativeFormat: '`utm_creative_format`.',
  marketingTactic: '`utm_marketing_tactic`.',
  clickIds: 'Ad click ids by parameter (`gclid`, `fbclid`, `msclkid`, ...): personal data.',
  raw: 'Source and medium as they arrived, before lower-casing.',
  'raw.source': 'The source as it arrived.',
  'raw.medium': 'The medium as it arrived.',
  referrer: 'The referrer URL of the landing.',
  referringDomain: 'The referrer’s host without `www.`.',
  landingPage: 'The landing URL without its fragment.',
  timestamp: 'When the visitor landed (ISO 8601).',
};

/** Looks up a destination key for a destination `type`. */
export function describeDestination(type: string, path: string): string | undefined {
  return DESTINATIONS[`${type}.${path}`] ?? DESTINATIONS[`*.${path}`];
}
