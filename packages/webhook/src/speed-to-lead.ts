/**
 * The speed-to-lead alert rides the outbox: at intake an MQL gets one extra row for `SPEED_TO_LEAD`, due
 * `afterMinutes` later. When the worker claims it, the lead either has an outcome (sales reached it: the
 * row completes without posting) or the alert goes to the configured Slack, Teams or Discord webhook or
 * email recipients, once, with the outbox's retries and dead letter. The row name cannot clash with a destination (`:` is not allowed there).
 */
import type { Lead } from '@leadkit/core/lead';
import type { LeadkitConfig } from './config.js';
import {
  allowedMentions,
  discordExecuteUrl,
  discordResult,
  escapeDiscordMarkdown,
} from './destinations/discord.js';
import { createEmailSender } from './destinations/email.js';
import { classify, excerpt, type HttpReply, runDelivery, send } from './destinations/http.js';
import { escapeMrkdwn } from './destinations/slack.js';
import { truncate } from './destinations/summary.js';
import { adaptiveCardMessage, ownerMention, plainTextBlock, teamsResult } from './destinations/teams.js';
import type { DeliveryContext, DeliveryResult, Destination } from './destinations/types.js';
import { canonicalFields } from './fields.js';
import { escapeHtml } from './html.js';
import type { Owner, Qualification } from './store/types.js';

export const SPEED_TO_LEAD = 'alert:speed-to-lead';

/** Outbox rows to schedule at intake for this lead (none unless the alert is on and the lead is an MQL). */
export function scheduledAlerts(
  config: Pick<LeadkitConfig, 'alerts'>,
  qualification: Qualification | undefined,
  receivedAt: number,
): { destination: string; at: number }[] {
  const alert = config.alerts.speedToLead;
  if (!alert || qualification?.stage !== 'mql') return [];
  return [{ destination: SPEED_TO_LEAD, at: receivedAt + Math.round(alert.afterMinutes * 60_000) }];
}

function minutes(ms: number): string {
  const m = ms / 60_000;
  return m < 10 ? `${Math.round(m * 10) / 10} min` : `${Math.round(m)} min`;
}

/** The Slack message: who, score, channel, owner (mentioned), and how long they have waited. */
export function speedToLeadMessage(
  lead: Lead,
  ctx: Pick<DeliveryContext, 'qualification' | 'stage'>,
  waitedMs: number,
) {
  const c = canonicalFields(lead, { qualification: ctx.qualification, stage: ctx.stage });
  const q = ctx.qualification;
  const who = escapeMrkdwn(c.full_name ?? c.email ?? `lead ${lead.id}`);
  const facts = [
    q ? `score ${q.score}${q.grade ? ` (${escapeMrkdwn(q.grade)})` : ''}` : undefined,
    c.channel ? escapeMrkdwn(c.channel) : undefined,
    // Member ids are checked against /^[UW][A-Z0-9]+$/ in config, so the mention carries no markup.
    q?.owner ? (q.owner.slack ? `<@${q.owner.slack}>` : escapeMrkdwn(q.owner.name)) : 'no owner',
  ].filter(Boolean);
  const text = `:hourglass: MQL ${who} (${facts.join(', ')}) has waited ${minutes(waitedMs)} without an outcome.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** How a format writes the sentence's values: escaped for its markup, the owner perhaps mentioned. */
export interface SentenceStyle {
  escape(text: string): string;
  owner(owner: Owner): string;
}

const PLAIN: SentenceStyle = { escape: (text) => text, owner: (owner) => `owner ${owner.name}` };

/** Discord Markdown: values escaped (and cut, so a long name cannot push the ping past 2000 characters). */
const DISCORD: SentenceStyle = {
  escape: (text) => escapeDiscordMarkdown(truncate(text, 500)),
  // The id is checked in config to be digits only.
  owner: (owner) => `owner ${owner.discord ? `<@${owner.discord}>` : escapeDiscordMarkdown(owner.name)}`,
};

/** Who waits and the facts (score, channel, owner), written in `style`. */
function plainFacts(
  lead: Lead,
  ctx: Pick<DeliveryContext, 'qualification' | 'stage'>,
  style: SentenceStyle = PLAIN,
) {
  const c = canonicalFields(lead, { qualification: ctx.qualification, stage: ctx.stage });
  const q = ctx.qualification;
  const who = style.escape((c.full_name ?? c.email ?? `lead ${lead.id}`).replace(/[\r\n]+/g, ' '));
  const facts = [
    q ? `score ${q.score}${q.grade ? ` (${style.escape(q.grade)})` : ''}` : undefined,
    c.channel === undefined ? undefined : style.escape(c.channel),
    q?.owner ? style.owner(q.owner) : 'no owner',
  ].filter((f): f is string => Boolean(f));
  return { c, who, facts };
}

/** The alert as one plain sentence (Teams and Discord), e.g. "MQL Ada (score 40 (A), owner Grace) has waited 31 min…". */
export function speedToLeadText(
  lead: Lead,
  ctx: Pick<DeliveryContext, 'qualification' | 'stage'>,
  waitedMs: number,
  style: SentenceStyle = PLAIN,
): string {
  const { who, facts } = plainFacts(lead, ctx, style);
  return `MQL ${who} (${facts.join(', ')}) has waited ${minutes(waitedMs)} without an outcome.`;
}

/** The Teams alert: the sentence as typed, then an "Owner" line mentioning the rep when they have a `teams` id. */
export function speedToLeadCard(
  lead: Lead,
  ctx: Pick<DeliveryContext, 'qualification' | 'stage'>,
  waitedMs: number,
) {
  const mention = ownerMention(ctx.qualification?.owner);
  const body: Record<string, unknown>[] = [plainTextBlock(speedToLeadText(lead, ctx, waitedMs))];
  // Microsoft documents mentions in TextBlock and Fact (not TextRun); this text is config's, not the visitor's.
  if (mention) body.push({ type: 'TextBlock', text: `Owner: ${mention.text}`, wrap: true });
  return adaptiveCardMessage(body, [], mention ? [mention] : []);
}

/** The Discord alert: Markdown escaped, the owner pinged when they have a `discord` id, nobody else. */
export function speedToLeadDiscord(
  lead: Lead,
  ctx: Pick<DeliveryContext, 'qualification' | 'stage'>,
  waitedMs: number,
  username?: string,
) {
  return {
    content: truncate(`:hourglass: ${speedToLeadText(lead, ctx, waitedMs, DISCORD)}`, 2000),
    ...(username ? { username } : {}),
    allowed_mentions: allowedMentions(ctx.qualification?.owner),
  };
}

/** The alert by email: a subject that says it all, the same facts in the body, Reply-To the lead. */
export function speedToLeadEmail(
  lead: Lead,
  ctx: Pick<DeliveryContext, 'qualification' | 'stage'>,
  waitedMs: number,
) {
  const { c, who, facts } = plainFacts(lead, ctx);
  const subject = `MQL ${who} has waited ${minutes(waitedMs)} without an outcome`;
  const lines = [`${subject}.`, '', ...facts.map(String), ...(c.email ? [`Email: ${c.email}`] : [])];
  const text = [...lines, '', `Lead ${lead.id}`].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif">${lines
    .filter(Boolean)
    .map((l) => `<p style="margin:0 0 6px">${escapeHtml(l)}</p>`)
    .join('')}<p style="color:#57606a;font-size:13px">Lead ${escapeHtml(lead.id)}</p></body></html>`;
  return { subject, text, html, replyTo: c.email };
}

/** What the alert says once it is due: nothing when the lead was contacted in time, else its message. */
type Post = (lead: Lead, ctx: DeliveryContext, waitedMs: number) => Promise<DeliveryResult>;

function alertDestination(post: Post): Destination {
  return {
    name: SPEED_TO_LEAD,
    type: 'alert',
    async deliver(lead, ctx) {
      const receivedAt = (ctx.receivedAt ?? ctx.now).getTime();
      if (ctx.contactedAt) {
        return {
          kind: 'ok',
          detail: `contacted after ${minutes(ctx.contactedAt.getTime() - receivedAt)}, no alert`,
        };
      }
      const waited = ctx.now.getTime() - receivedAt;
      const result = await post(lead, ctx, waited);
      return result.kind === 'ok' ? { ...result, detail: `alert posted after ${minutes(waited)}` } : result;
    },
  };
}

/** The alert posted as JSON to a chat webhook, its answer read as that chat's destination reads it. */
function chatAlert(
  vendor: string,
  url: string,
  body: (lead: Lead, ctx: DeliveryContext, waitedMs: number) => unknown,
  read: (reply: HttpReply, ctx: DeliveryContext) => DeliveryResult,
): Destination {
  return alertDestination((lead, ctx, waited) =>
    runDelivery(vendor, async () =>
      read(await send(ctx, vendor, { method: 'POST', url, json: body(lead, ctx, waited) }), ctx),
    ),
  );
}

/** The alert as a worker destination, to a Slack, Teams, Discord or email destination; undefined when it is off. */
export function createSpeedToLeadAlert(config: LeadkitConfig): Destination | undefined {
  const alert = config.alerts.speedToLead;
  if (!alert) return undefined;
  // The config schema guarantees a slack, teams, discord or email destination of that name.
  const target = config.destinations.find((d) => d.name === alert.destination);
  if (target?.type === 'slack')
    return chatAlert('Slack', target.webhookUrl, speedToLeadMessage, (reply, ctx) =>
      classify(reply, ctx, 'Slack', { detail: excerpt(reply.text) }),
    );
  if (target?.type === 'teams') return chatAlert('Microsoft Teams', target.url, speedToLeadCard, teamsResult);
  if (target?.type === 'discord')
    return chatAlert(
      'Discord',
      discordExecuteUrl(target.webhookUrl),
      (lead, ctx, waited) => speedToLeadDiscord(lead, ctx, waited, target.username),
      discordResult,
    );
  if (target?.type === 'email') {
    const sendEmail = createEmailSender(target, { allowHosts: config.security.allowHosts });
    return alertDestination((lead, ctx, waited) => {
      const message = speedToLeadEmail(lead, ctx, waited);
      return sendEmail({ ...message, messageIdLocalPart: `${lead.id}.speed-to-lead`, leadId: lead.id }, ctx);
    });
  }
  return undefined;
}
