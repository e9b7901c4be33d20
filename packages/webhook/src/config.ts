/**
 * `leadkit.config.json`: the zod schema, `{ "env": "NAME" }` secret references, and errors that name the key.
 */
import type { ChannelRule } from '@leadkit/core';
import { z } from 'zod';
import { discordUrlProblem } from './destinations/discord.js';
import { DestinationConfigSchema } from './destinations/index.js';
import { teamsUrlProblem } from './destinations/teams.js';
import { WhsecSecret } from './destinations/webhook.js';
import { zohoApiDomainProblem } from './destinations/zoho.js';
import { OwnersSchema } from './owners.js';
import { ReportingSchema } from './reporting.js';
import { ScoringSchema } from './scoring.js';

/** A config that failed validation; `issues` name each key path and what is wrong. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly issues: { path: string; message: string }[],
    source = 'config',
  ) {
    super(`Invalid ${source}:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`);
  }
}

const Origin = z.string().transform((value, ctx) => {
  if (value === '*') return value;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {}
  if (!url || !/^https?:$/.test(url.protocol) || url.origin !== value.replace(/\/$/, '').toLowerCase()) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not an origin; write scheme://host[:port] without a path, e.g. "https://example.com" (or "*" for any)`,
    });
    return z.NEVER;
  }
  return url.origin;
});

const Limit = z.strictObject({
  points: z.number().int().min(1, 'must be at least 1 request'),
  durationSeconds: z.number().int().min(1, 'must be at least 1 second'),
});

const Matcher = z.union([
  z.string(),
  z.array(z.string()),
  z.strictObject({
    regex: z.string().refine(
      (r) => {
        try {
          new RegExp(r, 'i');
          return true;
        } catch {
          return false;
        }
      },
      { message: 'is not a valid regular expression' },
    ),
  }),
  z.strictObject({ contains: z.string() }),
]);

const SourceCategory = z.enum(['search', 'social', 'video', 'shopping']);

/** Custom channel rules, tried before GA4's; all given conditions must hold. Passed to core's parseTouch. */
export const ChannelRuleSchema = z.strictObject({
  channel: z.string().min(1).max(64),
  source: Matcher.optional(),
  medium: Matcher.optional(),
  campaign: Matcher.optional(),
  sourceCategory: z.union([SourceCategory, z.array(SourceCategory)]).optional(),
}) satisfies z.ZodType<ChannelRule>;

/**
 * Where leads live: one SQLite file (default; `{ "path" }` alone still means SQLite) or a PostgreSQL
 * database shared by many adapters. One object rather than a union, so every key has one meaning.
 */
export const StoreConfigSchema = z
  .strictObject({
    type: z.enum(['sqlite', 'postgres']).default('sqlite'),
    path: z.string().min(1).default('./leadkit.db'),
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
      .optional(),
    /** Pool size per process. */
    max: z.number().int().min(1).max(100).default(10),
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be lower-case letters, digits and _')
      .default('leadkit'),
    /** Off behind a transaction-mode pooler that does not keep prepared statements. */
    prepare: z.boolean().default(true),
  })
  .superRefine((s, ctx) => {
    if (s.type === 'postgres' && s.url === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'is required for a postgres store, e.g. { "env": "DATABASE_URL" }',
      });
    }
    if (s.type === 'sqlite' && s.url !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: 'must be "postgres" when store.url is set (SQLite uses store.path)',
      });
    }
  });

/** Destination types the speed-to-lead alert can post to. */
const ALERT_TYPES: readonly string[] = ['slack', 'teams', 'discord', 'email'];

export const ConfigSchema = z
  .strictObject({
    /** For editors: a link to the JSON Schema. Ignored. */
    $schema: z.string().optional(),
    /** Browser origins allowed to post leads (CORS). Requests without an Origin header (servers) are allowed. */
    allowedOrigins: z.array(Origin).default([]),
    security: z
      .strictObject({
        /** Hosts exempt from the SSRF guard, e.g. ["127.0.0.1"] for a local receiver. */
        allowHosts: z.array(z.string().min(1)).default([]),
      })
      .prefault({}),
    destinations: z.array(DestinationConfigSchema).default([]),
    /** Per client IP and per form; `false` turns both off (e.g. behind a gateway that limits already). */
    rateLimit: z
      .union([
        z.literal(false),
        z.strictObject({
          perIp: Limit.default({ points: 20, durationSeconds: 60 }),
          perForm: Limit.default({ points: 600, durationSeconds: 60 }),
        }),
      ])
      .prefault({}),
    spam: z
      .strictObject({
        /** A form field that people never fill (hidden); a value in it, or in `meta.honeypot`, flags spam. */
        honeypotField: z.string().min(1).default('_gotcha'),
        /** Submissions faster than this (client-reported `meta.fillMs`) are flagged; 0 turns it off. */
        minFillMs: z.number().int().min(0).max(60_000).default(2000),
        turnstile: z
          .strictObject({
            secret: z.string().min(1),
            verifyUrl: z.url().default('https://challenges.cloudflare.com/turnstile/v0/siteverify'),
          })
          .optional(),
      })
      .prefault({}),
    /** Leads and their delivery history are deleted this many days after arrival. */
    retentionDays: z.number().int().min(1).max(3650).default(90),
    /** Bearer token for the admin API and the inbox; without it they are disabled. */
    adminToken: z
      .string()
      .min(16, 'must be at least 16 characters; generate one with `openssl rand -hex 24`')
      .optional(),
    channelRules: z.array(ChannelRuleSchema).default([]),
    /** Points, grade and MQL threshold computed at intake; see scoring.ts. */
    scoring: ScoringSchema.optional(),
    /** Sales reps and the rules that assign them; see owners.ts. */
    owners: OwnersSchema.optional(),
    /** Outcomes from the CRM (POST /v1/outcomes): who may send them besides the admin token. */
    outcomes: z
      .strictObject({
        /** Standard Webhooks secret(s) that sign outcome requests; several while rotating. */
        secret: z
          .union([WhsecSecret, z.array(WhsecSecret).min(1, 'needs at least one secret').max(10)])
          .optional(),
        /** A Bearer (or Basic password) token that may send outcomes and nothing else: for CRM workflows. */
        token: z
          .string()
          .min(16, 'must be at least 16 characters; generate one with `openssl rand -hex 24`')
          .optional(),
      })
      .refine((o) => o.secret !== undefined || o.token !== undefined, {
        message: 'give "secret" (signed requests) or "token" (CRM workflows), or drop "outcomes"',
      })
      .optional(),
    alerts: z
      .strictObject({
        /** Alerts a Slack, Teams, Discord or email destination once when an MQL has no outcome after `afterMinutes`. */
        speedToLead: z
          .strictObject({
            afterMinutes: z
              .number()
              .positive('must be more than 0 minutes')
              .max(43_200, 'at most 30 days (43200 minutes)'),
            /** The name of a `slack`, `teams`, `discord` or `email` destination to alert. */
            destination: z.string().min(1),
          })
          .optional(),
      })
      .prefault({}),
    /** The funnel report's currency and time zone; see reporting.ts. */
    reporting: ReportingSchema.prefault({}),
    store: StoreConfigSchema.prefault({}),
    port: z.number().int().min(0).max(65_535).default(8787),
    host: z.string().min(1).default('127.0.0.1'),
    /** Number of proxies in front that append X-Forwarded-For (true = 1); false uses the socket address. */
    trustProxy: z.union([z.boolean(), z.number().int().min(0).max(10)]).default(false),
    /** Store the client IP with each lead (off by default: it is personal data). */
    storeIp: z.boolean().default(false),
    maxBodyBytes: z.number().int().min(1024).max(1_048_576).default(65_536),
    delivery: z
      .strictObject({
        /** Per-attempt timeout; success is a 2xx within it. */
        timeoutMs: z.number().int().min(100).max(60_000).default(15_000),
        /** Deliveries in flight at once. */
        concurrency: z.number().int().min(1).max(256).default(16),
        /** How long a claimed row stays ours; a crashed worker's rows are re-claimed after it. */
        leaseMs: z.number().int().min(500).max(3_600_000).default(60_000),
        /** How often the worker looks for due rows when nothing wakes it. */
        pollMs: z.number().int().min(10).max(60_000).default(1000),
        /** Retry delays spread by up to ± this fraction. */
        jitter: z.number().min(0).max(1).default(0.1),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    const alert = c.alerts.speedToLead;
    if (alert && !c.destinations.some((d) => d.name === alert.destination && ALERT_TYPES.includes(d.type))) {
      ctx.addIssue({
        code: 'custom',
        path: ['alerts', 'speedToLead', 'destination'],
        message: `names no slack, teams, discord or email destination; add { "type": "slack", "name": "${alert.destination}", ... } or a teams, discord or email one to destinations (a "when" that matches no lead keeps it for alerts only)`,
      });
    }
    c.destinations.forEach((d, i) => {
      if (seen.has(d.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['destinations', i, 'name'],
          message: `"${d.name}" is used twice`,
        });
      }
      seen.add(d.name);
      const timeout = d.timeoutMs ?? c.delivery.timeoutMs;
      if (c.delivery.leaseMs <= timeout) {
        ctx.addIssue({
          code: 'custom',
          path: ['delivery', 'leaseMs'],
          message: `must be longer than the delivery timeout (${timeout} ms of "${d.name}") or rows would be claimed twice`,
        });
      }
      if ('url' in d && typeof d.url === 'string') {
        const url = new URL(d.url);
        if (url.protocol !== 'https:' && !c.security.allowHosts.includes(url.hostname)) {
          ctx.addIssue({
            code: 'custom',
            path: ['destinations', i, 'url'],
            message: `must be https; plain http is only allowed for hosts in security.allowHosts (add "${url.hostname}" for a local receiver)`,
          });
        }
      }
      if (d.type === 'discord') {
        const problem = discordUrlProblem(d.webhookUrl, c.security.allowHosts);
        if (problem)
          ctx.addIssue({ code: 'custom', path: ['destinations', i, 'webhookUrl'], message: problem });
      }
      if (d.type === 'teams') {
        const problem = teamsUrlProblem(d.url, c.security.allowHosts);
        if (problem) ctx.addIssue({ code: 'custom', path: ['destinations', i, 'url'], message: problem });
      }
      if (d.type === 'zoho') {
        const problem = zohoApiDomainProblem(d.apiDomain, c.security.allowHosts);
        if (problem)
          ctx.addIssue({ code: 'custom', path: ['destinations', i, 'apiDomain'], message: problem });
      }
      if (d.type === 'email' && d.smtp.security === 'none' && !c.security.allowHosts.includes(d.smtp.host)) {
        ctx.addIssue({
          code: 'custom',
          path: ['destinations', i, 'smtp', 'security'],
          message: `"none" sends the login and every lead in plain text; it is only allowed for hosts in security.allowHosts (add "${d.smtp.host}" for a local relay), otherwise use "starttls" or "tls"`,
        });
      }
    });
  });

/** A validated config with defaults applied. */
export type LeadkitConfig = z.output<typeof ConfigSchema>;
/** A config as written in `leadkit.config.json`. */
export type LeadkitConfigInput = z.input<typeof ConfigSchema>;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}

/** Replaces every `{ "env": "NAME" }` value with that environment variable; unset names are issues. */
function resolveEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  path: PropertyKey[],
  issues: { path: string; message: string }[],
): unknown {
  if (Array.isArray(value)) return value.map((v, i) => resolveEnv(v, env, [...path, i], issues));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const ref = (value as { env?: unknown }).env;
  if (keys.length === 1 && keys[0] === 'env' && typeof ref === 'string') {
    const resolved = env[ref];
    if (resolved === undefined || resolved === '') {
      issues.push({
        path: formatPath(path),
        message: `environment variable ${ref} is not set; export it or put the value in the config`,
      });
    }
    return resolved;
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = resolveEnv((value as Record<string, unknown>)[k], env, [...path, k], issues);
  return out;
}

/**
 * Validates a parsed `leadkit.config.json`, resolving `{ "env": "NAME" }` references from `env`.
 * Throws `ConfigError` listing every problem with its key path.
 */
export function parseConfig(
  input: unknown,
  options: { env?: Record<string, string | undefined>; source?: string } = {},
): LeadkitConfig {
  const envIssues: { path: string; message: string }[] = [];
  const resolved = resolveEnv(input ?? {}, options.env ?? globalThis.process?.env ?? {}, [], envIssues);
  if (envIssues.length) throw new ConfigError(envIssues, options.source);
  const r = ConfigSchema.safeParse(resolved);
  if (!r.success) {
    throw new ConfigError(
      r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
      options.source,
    );
  }
  return r.data;
}
