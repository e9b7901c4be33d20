/**
 * @leadkit/webhook: receive leads, store them durably, deliver them with signed, retried webhooks.
 * This entry needs only fetch and node:crypto (Node, Bun, Deno, Workers with nodejs_compat); the Node
 * server, the SQLite store and the DNS-checking SSRF guard are in `./node`.
 */

export { type Condition, ConditionSchema, describeCondition, evaluate } from './conditions.js';
export {
  ChannelRuleSchema,
  ConfigError,
  ConfigSchema,
  type LeadkitConfig,
  type LeadkitConfigInput,
  parseConfig,
} from './config.js';
export { AirtableDestinationSchema, createAirtable } from './destinations/airtable.js';
export { AttioDestinationSchema, createAttio } from './destinations/attio.js';
export { CloseDestinationSchema, createClose } from './destinations/close.js';
export {
  createDiscord,
  DISCORD_LIMITS,
  type DiscordDestinationConfig,
  DiscordDestinationSchema,
  discordMessage,
  escapeDiscordMarkdown,
} from './destinations/discord.js';
export {
  createGoogleSheets,
  GOOGLE_SHEETS_DEFAULT_COLUMNS,
  GoogleSheetsDestinationSchema,
} from './destinations/google-sheets.js';
export {
  createHubSpot,
  type HubSpotDestinationConfig,
  HubSpotDestinationSchema,
} from './destinations/hubspot.js';
export {
  createDestination,
  type DeliveryContext,
  type DeliveryResult,
  type Destination,
  type DestinationConfig,
  DestinationConfigSchema,
  type DestinationDeps,
} from './destinations/index.js';
export {
  createPipedrive,
  type PipedriveDestinationConfig,
  PipedriveDestinationSchema,
} from './destinations/pipedrive.js';
export {
  type AccessTokenSource,
  createSalesforce,
  type SalesforceDestinationConfig,
  SalesforceDestinationSchema,
} from './destinations/salesforce.js';
export {
  createSlack,
  escapeMrkdwn,
  type SlackDestinationConfig,
  SlackDestinationSchema,
  slackMessage,
} from './destinations/slack.js';
export {
  createTeams,
  escapeCardMarkdown,
  TEAMS_WORKFLOW_HOST_SUFFIXES,
  type TeamsDestinationConfig,
  TeamsDestinationSchema,
} from './destinations/teams.js';
export type { LeadCreatedEvent, WebhookDestinationConfig } from './destinations/webhook.js';
export { createZoho, ZOHO_API_DOMAINS, ZohoDestinationSchema } from './destinations/zoho.js';
export {
  CANONICAL_FIELDS,
  canonicalFields,
  type FieldMap,
  type FieldOverrides,
  FieldOverridesSchema,
  type FieldSpec,
  mapFields,
  mergeFieldMaps,
} from './fields.js';
export { type EmailType, emailType, isFreeMailDomain } from './free-mail.js';
export { createHandler, type HandlerDeps, type LeadkitHandler, type RequestInfo } from './handler.js';
export { jsonLogger, type LogEntry, type Logger, silentLogger } from './log.js';
export { type OwnersConfig, OwnersSchema } from './owners.js';
export { qualifyLead } from './qualify.js';
export { routeAfterStageChange, selectDestinations } from './routing.js';
export { DEFAULT_RETRY_DELAYS_MS } from './schedule.js';
export { gradeOf, type ScoringConfig, ScoringSchema, scoreLead } from './scoring.js';
export {
  decodeSecret,
  generateSecret,
  type HeaderSource,
  signWebhook,
  type VerifiedWebhook,
  type VerifyOptions,
  verifyWebhook,
  WebhookVerificationError,
} from './signing.js';
export { blockedAddressReason, createUrlGuardedFetch, SsrfBlockedError } from './ssrf-rules.js';
export type * from './store/types.js';
export { buildSubject, SUBJECT_PATHS, type Subject } from './subject.js';
export { createWorker, type DeliveryWorker, type WorkerDestination, type WorkerOptions } from './worker.js';
