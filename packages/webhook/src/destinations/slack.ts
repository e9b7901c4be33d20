/**
 * Slack: one Block Kit message per lead through an incoming webhook. The webhook URL is the credential
 * (keep it in env). Every lead value is escaped for mrkdwn (`&`, `<`, `>`): the visitor controls them,
 * and unescaped `<!channel>` or `<https://evil|Click>` would become a ping or a disguised link.
 */
import type { Lead } from '@leadkit/core/lead';
import { z } from 'zod';
import { type Decided, FieldOverridesSchema } from '../fields.js';
import { destinationBase } from './base.js';
import { classify, excerpt, runDelivery, send } from './http.js';
import { headline, inboxLink, leadSummary, truncate } from './summary.js';
import type { DeliveryResult, Destination } from './types.js';

const VENDOR = 'Slack';

export const SlackDestinationSchema = z.strictObject({
  type: z.literal('slack'),
  ...destinationBase,
  /** https://hooks.slack.com/services/T…/B…/… (a secret: use { "env": "…" }). */
  webhookUrl: z.url({
    protocol: /^https?$/,
    error: 'must be the incoming webhook URL (https://hooks.slack.com/services/...)',
  }),
  /** The Leadkit inbox, e.g. https://leads.example.com/inbox: adds an "Open in inbox" button. */
  inboxUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Extra rows: label → source (see fields.ts), e.g. { "Budget": "fields.budget" }. */
  fields: FieldOverridesSchema.optional(),
  /** Heading of each message (default "New lead"). */
  title: z.string().min(1).max(60).default('New lead'),
});
export type SlackDestinationConfig = z.output<typeof SlackDestinationSchema>;
export type SlackDestinationInput = z.input<typeof SlackDestinationSchema>;

/** Slack's three control characters, as its docs ask. */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A `*Label*\nvalue` field (Slack allows 2000 characters; we keep rows short). */
const field = (label: string, value: string) => ({
  type: 'mrkdwn',
  text: `*${escapeMrkdwn(label)}*\n${escapeMrkdwn(truncate(value, 500))}`,
});

type Block = Record<string, unknown>;

/** The Block Kit message for one lead. */
export function slackMessage(
  lead: Lead,
  config: Pick<SlackDestinationConfig, 'title' | 'inboxUrl' | 'fields'>,
  decided: Decided = {},
) {
  const s = leadSummary(lead, config.fields, decided);
  const fieldBlocks = s.rows.map(([l, v]) => field(l, v));
  // The member id is checked against /^[UW][A-Z0-9]+$/ in config, so the mention cannot carry markup.
  if (s.owner)
    fieldBlocks.push({
      type: 'mrkdwn',
      text: `*Owner*\n${s.owner.slack ? `<@${s.owner.slack}>` : escapeMrkdwn(s.owner.name)}`,
    });

  const blocks: Block[] = [
    // plain_text renders literally: no mentions or links can hide in it.
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(`${config.title}: ${s.who}`, 150), emoji: false },
    },
  ];
  // A section holds at most 10 fields.
  for (let i = 0; i < fieldBlocks.length; i += 10) {
    blocks.push({ type: 'section', fields: fieldBlocks.slice(i, i + 10) });
  }
  if (s.message) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*Message*\n${escapeMrkdwn(truncate(s.message, 2900))}` },
    });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(s.footer) }] });
  const link = inboxLink(config.inboxUrl, lead.id);
  if (link) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in inbox' }, url: link }],
    });
  }
  return { text: truncate(escapeMrkdwn(headline(config.title, s)), 3000), blocks };
}

// Slack answers these with a plain-text reason; none of them gets better by retrying.
const HINTS: Record<string, string> = {
  invalid_payload: 'Slack could not read the message; report this as a Leadkit bug.',
  invalid_token: 'The webhook URL is no longer valid: create a new incoming webhook and update the config.',
  no_service: 'The webhook was removed: create a new incoming webhook and update the config.',
  no_team: 'The workspace behind the webhook is gone: create a new incoming webhook.',
  team_disabled: 'The workspace behind the webhook is disabled.',
  channel_not_found: 'The webhook\u2019s channel no longer exists: create a new incoming webhook.',
  channel_is_archived: 'The webhook\u2019s channel was archived: unarchive it or create a new webhook.',
  action_prohibited: 'A workspace admin restricted posting to this channel.',
  user_not_found: 'The webhook\u2019s user no longer exists: create a new incoming webhook.',
};

/** A Slack destination from a validated config (see SlackDestinationSchema). */
export function createSlack(input: SlackDestinationInput): Destination {
  const config = SlackDestinationSchema.parse(input);
  return {
    name: config.name,
    type: 'slack',
    deliver: (lead, ctx) =>
      runDelivery(VENDOR, async (): Promise<DeliveryResult> => {
        const reply = await send(ctx, VENDOR, {
          method: 'POST',
          url: config.webhookUrl,
          json: slackMessage(lead, config, ctx),
        });
        const said = excerpt(reply.text);
        return classify(reply, ctx, VENDOR, { detail: said, hint: HINTS[said] });
      }),
  };
}
