/**
 * Discord: one embed per lead through a channel webhook, `POST /api/webhooks/{id}/{token}?wait=true`.
 * The URL holds the webhook token, so it is a secret and never appears in a reason.
 *
 * Sources (discord.com/developers/docs/resources/webhook#execute-webhook, .../resources/message#embed-object
 * "Embed Limits", .../topics/rate-limits, .../topics/opcodes-and-status-codes#json, and the discord-api-types
 * package that mirrors them):
 * - body `{ content, username, embeds: [{ title, url, description, fields: [{ name, value, inline }], footer,
 *   timestamp }], allowed_mentions }`; `wait=true` makes Discord answer 200 with the created message
 *   (without it, 204 and errors after queueing are lost);
 * - `allowed_mentions: { parse: [] }` turns every mention in the message into plain text: a lead's
 *   "@everyone" pings nobody. `users: [id]` beside an empty `parse` lets exactly that user be pinged, and
 *   only by a `<@id>` in `content` (channel#allowed-mentions-object "Allowed Mentions Reference"; an id
 *   absent from the content is ignored, and mentions in embeds render but never notify). The owner's
 *   configured `discord` id is the only one ever listed, and visitor text has its `<` escaped;
 * - limits: content 2000, embed title 256, description 4096, 25 fields, field name 256, value 1024, footer
 *   2048, and 6000 characters over all embed text. Values are cut to fit, never refused;
 * - errors are `{ "code", "message" }`: 404 10015 Unknown Webhook, 401 50027 Invalid Webhook Token, and 400
 *   50035 Invalid Form Body with `errors` nested by field path down to `_errors: [{ code, message }]`;
 * - 429 carries `retry_after` (seconds, a float) in the body, and Retry-After / X-RateLimit-Reset-After.
 *
 * No idempotency: Execute Webhook takes no nonce (Create Message's `enforce_nonce` is for bots), and a
 * webhook cannot list its messages, so a retry after a timeout can post a second message.
 */
import type { Lead } from '@leadkit/core/lead';
import { z } from 'zod';
import { type Decided, FieldOverridesSchema } from '../fields.js';
import type { Owner } from '../store/types.js';
import { type DestinationDeps, destinationBase } from './base.js';
import { classify, excerpt, type HttpReply, runDelivery, send } from './http.js';
import { headline, inboxLink, leadSummary, truncate } from './summary.js';
import type { DeliveryContext, DeliveryResult, Destination } from './types.js';

const VENDOR = 'Discord';

/** Discord's API hosts (stable, the public test build and canary, and the legacy domain). */
export const DISCORD_HOSTS = [
  'discord.com',
  'ptb.discord.com',
  'canary.discord.com',
  'discordapp.com',
] as const;
const WEBHOOK_PATH = /^\/api(?:\/v\d+)?\/webhooks\/\d{1,25}\/[A-Za-z0-9_-]{1,200}\/?$/;

export const DiscordDestinationSchema = z.strictObject({
  type: z.literal('discord'),
  ...destinationBase,
  /** https://discord.com/api/webhooks/{id}/{token} (a secret: use { "env": "…" }). */
  webhookUrl: z.url({
    protocol: /^https?$/,
    error: 'must be the channel webhook URL (https://discord.com/api/webhooks/<id>/<token>)',
  }),
  /** Shown as the sender instead of the webhook's own name. */
  username: z.string().trim().min(1).max(80).optional(),
  /** The Leadkit inbox, e.g. https://leads.example.com/inbox: the embed title links to the lead there. */
  inboxUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Extra fields: label → source (see fields.ts), e.g. { "Budget": "fields.budget" }. */
  fields: FieldOverridesSchema.optional(),
  /** Start of the message (default "New lead"). */
  title: z.string().min(1).max(60).default('New lead'),
});
export type DiscordDestinationConfig = z.output<typeof DiscordDestinationSchema>;
export type DiscordDestinationInput = z.input<typeof DiscordDestinationSchema>;

/** Why `webhookUrl` is not a Discord webhook URL, or undefined (security.allowHosts exempts the host). */
export function discordUrlProblem(webhookUrl: string, allowHosts: readonly string[]): string | undefined {
  const url = new URL(webhookUrl);
  const hostOk =
    allowHosts.includes(url.hostname) ||
    (url.protocol === 'https:' && (DISCORD_HOSTS as readonly string[]).includes(url.hostname));
  if (hostOk && WEBHOOK_PATH.test(url.pathname)) return undefined;
  return 'must be a Discord channel webhook URL, https://discord.com/api/webhooks/<id>/<token> (channel settings → Integrations → Webhooks → Copy Webhook URL)';
}

/**
 * Discord Markdown escaped to plain text: a backslash before the characters of emphasis, underline,
 * strike-through, spoilers, code, masked links and `<@id>` mentions, before `@everyone` and `@here`, and
 * before a heading, quote or list marker at the start of a line, so `[Your bank](https://evil)` or
 * `||secret||` shows as typed. An address such as ada@example.com stays as it is.
 */
export function escapeDiscordMarkdown(value: string): string {
  return value
    .replace(/[\\*_~`|[\]<]/g, '\\$&')
    .replace(/@(everyone|here)/g, '\\@$1')
    .replace(/^([ \t]*)(#{1,3}|>{1,3}|-#|[-+])(?=[ \t])/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)([.)])(?=[ \t])/gm, '$1\\$2');
}

/** Discord's documented limits (message#embed-object-embed-limits, execute-webhook `content`). */
export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
} as const;

/**
 * The `allowed_mentions` of a message: nothing parsed from the text, and the owner's configured Discord
 * id, when there is one, as the only user who may be pinged.
 */
export function allowedMentions(owner: Owner | undefined): { parse: string[]; users?: string[] } {
  return owner?.discord ? { parse: [], users: [owner.discord] } : { parse: [] };
}

/** Values up to this long sit side by side (inline); longer ones get a full row. */
const INLINE_MAX = 60;

interface EmbedField {
  name: string;
  value: string;
  inline: boolean;
}

/** A row to show: `markup` values (the owner's `<@id>`) are sent as they are, the rest escaped. */
interface Row {
  label: string;
  value: string;
  markup?: boolean;
}

/** The Execute Webhook body for one lead, cut to Discord's limits. */
export function discordMessage(
  lead: Lead,
  config: Pick<DiscordDestinationConfig, 'title' | 'inboxUrl' | 'fields' | 'username'>,
  decided: Decided & { receivedAt?: Date | undefined } = {},
) {
  const s = leadSummary(lead, config.fields, decided);
  const L = DISCORD_LIMITS;
  const title = truncate(escapeDiscordMarkdown(s.who), L.title);
  // The id is checked in config to be digits only, so `<@id>` carries no other markup.
  const ping = s.owner?.discord ? `<@${s.owner.discord}>` : undefined;
  const rows: Row[] = s.rows.map(([label, value]) => ({ label, value }));
  if (s.owner)
    rows.push(ping ? { label: 'Owner', value: ping, markup: true } : { label: 'Owner', value: s.owner.name });
  const footerBase = s.footer;
  const hidden = Math.max(0, rows.length - L.fields);
  const footer = truncate(
    hidden ? `${footerBase} · ${hidden} more row${hidden === 1 ? '' : 's'} not shown` : footerBase,
    L.footer,
  );
  // The 6000-character budget covers title, description, field names and values, and the footer.
  let budget = L.total - title.length - footer.length;
  const fields: EmbedField[] = [];
  for (const row of rows.slice(0, L.fields)) {
    const name = truncate(escapeDiscordMarkdown(row.label), L.fieldName);
    const room = Math.min(L.fieldValue, budget - name.length);
    if (room < 2 || (row.markup && row.value.length > room)) break;
    const value = row.markup ? row.value : truncate(escapeDiscordMarkdown(row.value), room);
    fields.push({ name, value, inline: value.length <= INLINE_MAX });
    budget -= name.length + value.length;
  }
  const description =
    s.message && budget >= 2
      ? truncate(escapeDiscordMarkdown(s.message), Math.min(L.description, budget))
      : undefined;
  const link = inboxLink(config.inboxUrl, lead.id);
  const timestamp = decided.receivedAt?.toISOString() ?? lead.submittedAt;
  // Only a mention in `content` notifies, so the owner is pinged there as well as shown in the embed.
  const suffix = ping ? ` · owner ${ping}` : '';
  return {
    content: `${truncate(escapeDiscordMarkdown(headline(config.title, s)), L.content - suffix.length)}${suffix}`,
    ...(config.username ? { username: config.username } : {}),
    embeds: [
      {
        title,
        ...(link ? { url: link } : {}),
        ...(description ? { description } : {}),
        fields,
        footer: { text: footer },
        ...(timestamp ? { timestamp } : {}),
      },
    ],
    // Mentions render as text and notify nobody but the owner, whatever the lead typed.
    allowed_mentions: allowedMentions(s.owner),
  };
}

/** The characters Discord counts against its 6000 limit. */
export function embedLength(embed: {
  title?: string;
  description?: string;
  fields?: { name: string; value: string }[];
  footer?: { text: string };
}): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** The first `_errors` entry of a 50035 answer, as "embeds.0.fields.3.value: message (CODE)". */
export function firstFormError(errors: unknown, path: string[] = []): string | undefined {
  if (!errors || typeof errors !== 'object') return undefined;
  const list = (errors as { _errors?: unknown })._errors;
  if (Array.isArray(list) && list.length) {
    const e = list[0] as { code?: unknown; message?: unknown };
    const where = path.length ? `${path.join('.')}: ` : '';
    return `${where}${String(e.message ?? 'invalid')}${typeof e.code === 'string' ? ` (${e.code})` : ''}`;
  }
  for (const [key, inner] of Object.entries(errors)) {
    if (key === '_errors') continue;
    const found = firstFormError(inner, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

const HINTS: Record<number, string> = {
  10015:
    'The webhook was deleted: create a new one (channel settings → Integrations → Webhooks) and update `webhookUrl`.',
  50027:
    'The token in `webhookUrl` is wrong: copy the webhook URL again from channel settings → Integrations → Webhooks.',
  50035:
    'Discord refused a value; if it is `username`, pick another name, otherwise report this as a Leadkit bug.',
};

interface DiscordAnswer {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  retry_after?: unknown;
  id?: unknown;
}

/** Reads an Execute Webhook answer (see the error shapes above). */
export function discordResult(reply: HttpReply, ctx: DeliveryContext): DeliveryResult {
  const body = (reply.json ?? {}) as DiscordAnswer;
  if (reply.status >= 200 && reply.status < 300) {
    return typeof body.id === 'string'
      ? { kind: 'ok', status: reply.status, detail: `message ${body.id}` }
      : { kind: 'ok', status: reply.status };
  }
  const code = typeof body.code === 'number' ? body.code : undefined;
  const message = typeof body.message === 'string' ? body.message : undefined;
  const formError = code === 50035 ? firstFormError(body.errors) : undefined;
  const detail =
    message === undefined
      ? excerpt(reply.text)
      : `${message}${code ? ` (${code})` : ''}${formError ? `: ${formError}` : ''}`;
  if (reply.status === 429) {
    // The body's float is more precise than Retry-After's whole seconds.
    const seconds =
      typeof body.retry_after === 'number'
        ? body.retry_after
        : Number.parseFloat(reply.headers.get('x-ratelimit-reset-after') ?? '');
    if (Number.isFinite(seconds) && seconds >= 0) {
      return {
        kind: 'retry',
        status: 429,
        reason: `${VENDOR} answered 429: ${excerpt(detail)}`,
        afterMs: Math.ceil(seconds * 1000),
      };
    }
  }
  return classify(reply, ctx, VENDOR, { detail: excerpt(detail), hint: code ? HINTS[code] : undefined });
}

/** The URL to post to: a thread_id the URL carries is kept, and wait=true reports failures after queueing. */
export function discordExecuteUrl(webhookUrl: string): string {
  const target = new URL(webhookUrl);
  target.searchParams.set('wait', 'true');
  return target.toString();
}

/** A Discord destination from a validated config (see DiscordDestinationSchema). */
export function createDiscord(input: DiscordDestinationInput, deps: DestinationDeps): Destination {
  const config = DiscordDestinationSchema.parse(input);
  const problem = discordUrlProblem(config.webhookUrl, deps.allowHosts);
  if (problem) throw new Error(`destination "${config.name}": webhookUrl ${problem}`);
  const url = discordExecuteUrl(config.webhookUrl);
  return {
    name: config.name,
    type: 'discord',
    deliver: (lead, ctx) =>
      runDelivery(VENDOR, async (): Promise<DeliveryResult> => {
        const reply = await send(ctx, VENDOR, {
          method: 'POST',
          url,
          json: discordMessage(lead, config, ctx),
        });
        return discordResult(reply, ctx);
      }),
  };
}
