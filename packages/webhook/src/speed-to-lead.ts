/**
 * The speed-to-lead alert rides the outbox: at intake an MQL gets one extra row for `SPEED_TO_LEAD`, due
 * `afterMinutes` later. When the worker claims it, the lead either has an outcome (sales reached it: the
 * row completes without posting) or the alert goes to the configured Slack webhook, once, with the
 * outbox's retries and dead letter. The row name cannot clash with a destination (`:` is not allowed there).
 */
import type { Lead } from '@leadkit/core/lead';
import type { LeadkitConfig } from './config.js';
import { classify, excerpt, runDelivery, send } from './destinations/http.js';
import { escapeMrkdwn } from './destinations/slack.js';
import type { DeliveryContext, DeliveryResult, Destination } from './destinations/types.js';
import { canonicalFields } from './fields.js';
import type { Qualification } from './store/types.js';

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

/** The alert as a worker destination; undefined when `alerts.speedToLead` is off. */
export function createSpeedToLeadAlert(config: LeadkitConfig): Destination | undefined {
  const alert = config.alerts.speedToLead;
  if (!alert) return undefined;
  const slack = config.destinations.find((d) => d.name === alert.destination);
  // The config schema guarantees a slack destination of that name.
  if (slack?.type !== 'slack') return undefined;
  return {
    name: SPEED_TO_LEAD,
    type: 'alert',
    deliver: (lead, ctx) =>
      runDelivery('Slack', async (): Promise<DeliveryResult> => {
        const receivedAt = (ctx.receivedAt ?? ctx.now).getTime();
        if (ctx.contactedAt) {
          return {
            kind: 'ok',
            detail: `contacted after ${minutes(ctx.contactedAt.getTime() - receivedAt)}, no alert`,
          };
        }
        const waited = ctx.now.getTime() - receivedAt;
        const reply = await send(ctx, 'Slack', {
          method: 'POST',
          url: slack.webhookUrl,
          json: speedToLeadMessage(lead, ctx, waited),
        });
        const result = classify(reply, ctx, 'Slack', { detail: excerpt(reply.text) });
        return result.kind === 'ok' ? { ...result, detail: `alert posted after ${minutes(waited)}` } : result;
      }),
  };
}
