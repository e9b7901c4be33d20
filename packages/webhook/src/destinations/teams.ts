/**
 * Microsoft Teams: one Adaptive Card per lead through a Workflows webhook (the Workflows app's "Post to a
 * channel when a webhook request is received" template, a Power Automate flow with the "When a Teams
 * webhook request is received" trigger). The Office 365 connector webhooks (*.webhook.office.com) are
 * retired, so their URLs are refused with directions.
 *
 * Sources:
 * - learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using: Workflows
 *   take Adaptive Cards only; the template posts each `attachments[]` card of a
 *   `{ "type": "message", "attachments": [{ "contentType": "application/vnd.microsoft.card.adaptive",
 *   "content": <AdaptiveCard> }] }` body (the shape Apprise's `workflows` plugin and Microsoft's samples send).
 * - learn.microsoft.com/azure/connectors/connectors-native-reqres: a Request trigger without a Response
 *   action answers 202 Accepted as soon as the run starts. A 2xx therefore means "the flow run started";
 *   a failing "Post card" step shows only in the flow's run history.
 * - Trigger URLs: https://prod-NN.<region>.logic.azure.com/workflows/… (Logic Apps, older flows) and
 *   https://<env>.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/… (flows
 *   since 2025; Microsoft retired the logic.azure.com flow URLs on 2025-11-30, per its "Changes to HTTP or
 *   Teams Webhook trigger flows" notice quoted in swisscom/backman#102 and changedetection.io#3411). The
 *   `sig` query parameter is the credential, so the URL is a secret and never appears in a reason.
 * - Errors are Logic Apps' `{ "error": { "code", "message" } }`: 400 WorkflowTriggerIsNotEnabled (flow off
 *   or deleted), 400 TriggerInputSchemaMismatch, 401 DirectApiInvalidAuthorizationSignature, 404
 *   WorkflowNotFound. These codes come from public client code and issue threads, not from a Microsoft
 *   reference page.
 * - learn.microsoft.com/adaptive-cards/schema-explorer/text-run: TextRun text is never parsed as Markdown;
 *   msteams-docs cards-format.md: TextBlock and Fact title/value are (bold, italic, lists, links).
 * - Mentions (msteams-docs cards-format.md, "Mention support within Adaptive Cards" and "User mention in
 *   Incoming Webhook with Adaptive Cards"): `<at>Name</at>` in a TextBlock or Fact, plus
 *   `msteams: { entities: [{ type: "mention", text: "<at>Name</at>", mentioned: { id, name } }] }` in the
 *   card; webhooks take a UPN or an Entra object id as `id`. Only the owner's configured `teams` id is
 *   ever an entity; visitor text cannot add one, and its `<at>` never equals the entity's text (escaped in
 *   facts, broken by a word joiner in TextRuns).
 *
 * No idempotency: the trigger has no idempotency key, so a retry after a timeout can post a second card.
 * The 202 comes back before the card is posted, which keeps that window small.
 */
import type { Lead } from '@leadkit/core/lead';
import { z } from 'zod';
import { type Decided, FieldOverridesSchema } from '../fields.js';
import type { Owner } from '../store/types.js';
import { type DestinationDeps, destinationBase } from './base.js';
import { classify, excerpt, type HttpReply, runDelivery, send } from './http.js';
import { headline, inboxLink, leadSummary, truncate } from './summary.js';
import type { DeliveryContext, DeliveryResult, Destination } from './types.js';

const VENDOR = 'Microsoft Teams';

/** Host suffixes of Workflows (Power Automate) and Logic Apps trigger URLs. */
export const TEAMS_WORKFLOW_HOST_SUFFIXES = ['.logic.azure.com', '.powerplatform.com'] as const;

export const TeamsDestinationSchema = z.strictObject({
  type: z.literal('teams'),
  ...destinationBase,
  /** The Workflows trigger URL, `sig=` included (a secret: use { "env": "…" }). */
  url: z.url({
    protocol: /^https?$/,
    error: 'must be the Workflows webhook URL (https://….environment.api.powerplatform.com/powerautomate/…)',
  }),
  /** The Leadkit inbox, e.g. https://leads.example.com/inbox: adds an "Open in inbox" button. */
  inboxUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Extra facts: label → source (see fields.ts), e.g. { "Budget": "fields.budget" }. */
  fields: FieldOverridesSchema.optional(),
  /** Start of the card's heading (default "New lead"). */
  title: z.string().min(1).max(60).default('New lead'),
});
export type TeamsDestinationConfig = z.output<typeof TeamsDestinationSchema>;
export type TeamsDestinationInput = z.input<typeof TeamsDestinationSchema>;

/** Why `url` cannot be a Teams Workflows URL, or undefined (a Workflows host, or one in security.allowHosts). */
export function teamsUrlProblem(url: string, allowHosts: readonly string[]): string | undefined {
  const { hostname, protocol } = new URL(url);
  if (allowHosts.includes(hostname)) return undefined;
  if (hostname.endsWith('.webhook.office.com') || hostname === 'outlook.office.com') {
    return 'is an Office 365 connector webhook, which Microsoft retired; in Teams, open the channel’s Workflows, add "Post to a channel when a webhook request is received" and use the URL it gives';
  }
  if (protocol === 'https:' && TEAMS_WORKFLOW_HOST_SUFFIXES.some((suffix) => hostname.endsWith(suffix))) {
    return undefined;
  }
  return `must be a Workflows webhook URL on https://*${TEAMS_WORKFLOW_HOST_SUFFIXES.join(' or https://*')} (the "Post to a channel when a webhook request is received" workflow gives one); the lead goes there`;
}

/**
 * Adaptive Card Markdown escaped to plain text: backslashes before the characters that make emphasis,
 * code, links, autolinks and `<at>` mentions, and before a list marker at the start of a line, so
 * `[Your bank](https://evil)` shows as typed. Values are single lines (facts cannot hold line breaks).
 */
export function escapeCardMarkdown(value: string): string {
  return value
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\\`*_~[\]<>]/g, '\\$&')
    .replace(/^(\s*)([-+])(?=\s)/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s)/, '$1\\$2');
}

/** Teams caps a message near 28 KB; these keep a card well inside it. */
const MAX_FACT = 500;
const MAX_MESSAGE = 3000;

/**
 * A card element holding `text` as typed: TextRun is never parsed as Markdown, so it needs no escaping.
 * An `<at` or `</at` gets an invisible word joiner after its `<`, so typed text can never spell a mention
 * tag, whatever Teams does with tags in a TextRun.
 */
export const plainTextBlock = (text: string, style: Record<string, unknown> = {}) => ({
  type: 'RichTextBlock',
  inlines: [{ type: 'TextRun', text: text.replace(/<(?=\/?at)/gi, '<\u2060'), ...style }],
});

/** A card mention entity (the `msteams.entities` item that makes `<at>…</at>` notify a user). */
export interface TeamsMention {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

/**
 * The mention of the lead's owner, when the rep has a `teams` id (checked in config to be a UPN or a
 * GUID). The tag shows the rep's name without `<` or `>`, so it stays one tag.
 */
export function ownerMention(owner: Owner | undefined): TeamsMention | undefined {
  if (!owner?.teams) return undefined;
  return {
    type: 'mention',
    text: `<at>${owner.name.replace(/[<>]/g, '')}</at>`,
    mentioned: { id: owner.teams, name: owner.name },
  };
}

/** The Workflows request body for one lead: one Adaptive Card 1.4 attachment. */
export function teamsMessage(
  lead: Lead,
  config: Pick<TeamsDestinationConfig, 'title' | 'inboxUrl' | 'fields'>,
  decided: Decided = {},
) {
  const s = leadSummary(lead, config.fields, decided);
  const facts = s.rows.map(([label, value]) => ({
    title: escapeCardMarkdown(label),
    value: escapeCardMarkdown(truncate(value, MAX_FACT)),
  }));
  const mention = ownerMention(s.owner);
  if (s.owner) {
    facts.push({
      title: 'Owner',
      value: mention ? mention.text : escapeCardMarkdown(truncate(s.owner.name, MAX_FACT)),
    });
  }
  const body: Record<string, unknown>[] = [
    plainTextBlock(truncate(headline(config.title, s), 200), { size: 'Large', weight: 'Bolder' }),
    { type: 'FactSet', facts },
  ];
  if (s.message) {
    body.push(
      plainTextBlock('Message', { weight: 'Bolder' }),
      plainTextBlock(truncate(s.message, MAX_MESSAGE)),
    );
  }
  body.push(plainTextBlock(s.footer, { isSubtle: true, size: 'Small' }));
  const link = inboxLink(config.inboxUrl, lead.id);
  return adaptiveCardMessage(
    body,
    link ? [{ type: 'Action.OpenUrl', title: 'Open in inbox', url: link }] : [],
    mention ? [mention] : [],
  );
}

/** The Workflows request body for one Adaptive Card 1.4 (also the speed-to-lead alert's). */
export function adaptiveCardMessage(
  body: Record<string, unknown>[],
  actions: Record<string, unknown>[] = [],
  mentions: TeamsMention[] = [],
) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(actions.length ? { actions } : {}),
          ...(mentions.length ? { msteams: { entities: mentions } } : {}),
        },
      },
    ],
  };
}

const HINTS: Record<string, string> = {
  WorkflowTriggerIsNotEnabled:
    'The workflow is turned off or was deleted: turn it on in the Workflows app in Teams, or create it again and update `url`.',
  WorkflowNotFound: 'The workflow no longer exists: create it again in Teams and update `url`.',
  TriggerInputSchemaMismatch:
    'The workflow’s trigger has a request schema this card does not match: remove the schema or use the "Post to a channel when a webhook request is received" template.',
  DirectApiInvalidAuthorizationSignature:
    'The URL’s signature (sig=…) is not valid: copy the whole URL from the workflow’s trigger again.',
  DirectApiAuthorizationRequired:
    'The URL lost its signature (sig=…): copy the whole URL from the workflow’s trigger again.',
  MissingApiVersionParameter:
    'The URL lost its query string (api-version, sp, sv, sig): copy the whole URL from the workflow’s trigger again.',
};

const STATUS_HINTS: Record<number, string> = {
  401: 'The workflow refused the URL’s signature: copy the whole URL from the workflow’s trigger again.',
  403: 'The workflow refused the request: check who may trigger it ("Anyone") in the flow’s trigger settings.',
  404: 'No workflow answers at this URL: create it again in Teams and update `url`.',
};

/** Reads a Workflows answer; errors are Logic Apps' `{ "error": { "code", "message" } }`. */
export function teamsResult(reply: HttpReply, ctx: DeliveryContext): DeliveryResult {
  const error = (reply.json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const message = typeof error?.message === 'string' ? excerpt(error.message) : undefined;
  const detail = code ? `${code}${message ? ` (${message})` : ''}` : excerpt(reply.text);
  return classify(reply, ctx, VENDOR, {
    detail,
    hint: (code && HINTS[code]) ?? STATUS_HINTS[reply.status],
  });
}

/** A Teams destination from a validated config (see TeamsDestinationSchema). */
export function createTeams(input: TeamsDestinationInput, deps: DestinationDeps): Destination {
  const config = TeamsDestinationSchema.parse(input);
  const problem = teamsUrlProblem(config.url, deps.allowHosts);
  if (problem) throw new Error(`destination "${config.name}": url ${problem}`);
  return {
    name: config.name,
    type: 'teams',
    deliver: (lead, ctx) =>
      runDelivery(VENDOR, async (): Promise<DeliveryResult> => {
        const reply = await send(ctx, VENDOR, {
          method: 'POST',
          url: config.url,
          json: teamsMessage(lead, config, ctx),
        });
        return teamsResult(reply, ctx);
      }),
  };
}
