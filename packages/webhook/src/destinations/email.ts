/**
 * Email: one notification per lead over SMTP (any provider: SES, Postmark, SendGrid, Resend, Google
 * Workspace, a company relay), the way form backends such as Formspree forward submissions. Plain text and
 * HTML with every lead value escaped, Reply-To set to the lead, and a Message-ID that stays the same across
 * retries and replays, so a retried notification threads with (or is dropped as) the first one.
 *
 * The SMTP host goes through the same SSRF guard as HTTP destinations: it is resolved once, non-public
 * addresses are refused unless `security.allowHosts` lists the host, and the socket connects to the address
 * that was checked (TLS still verifies the certificate against the host name). nodemailer and the guard's
 * resolver are loaded on the first delivery, so the fetch handler on serverless runtimes never imports them.
 */
import type { Lead } from '@leadkit/core/lead';
import { z } from 'zod';
import type { Decided } from '../fields.js';
import { FieldOverridesSchema } from '../fields.js';
import { escapeHtml } from '../html.js';
import { findSsrfError, hostSet, isIpLiteral, normalizeHost } from '../ssrf-rules.js';
import { type DestinationDeps, destinationBase } from './base.js';
import { headline, inboxLink, type LeadSummary, leadSummary, rowsWithOwner, truncate } from './summary.js';
import type { DeliveryContext, DeliveryResult, Destination } from './types.js';

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

const SmtpSchema = z.strictObject({
  /** e.g. email-smtp.eu-west-1.amazonaws.com, smtp.postmarkapp.com, smtp.gmail.com. */
  host: z.union([
    z.ipv4(),
    z.ipv6(),
    z.string().regex(HOSTNAME, 'must be a host name such as smtp.example.com'),
  ]),
  /** 587 (submission with STARTTLS) unless said otherwise; 465 for implicit TLS. */
  port: z.number().int().min(1).max(65_535).optional(),
  /**
   * "starttls" (default): upgrade to TLS before anything else, refuse a server that cannot.
   * "tls": TLS from the first byte (port 465). "none": plain text, only for a host in
   * `security.allowHosts` (a local relay or a test catcher such as Mailpit on 127.0.0.1).
   */
  security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
  user: z.string().min(1).max(500).optional(),
  /** A secret: use { "env": "SMTP_PASSWORD" }. */
  password: z.string().min(1).max(500).optional(),
});

export const EmailDestinationSchema = z
  .strictObject({
    type: z.literal('email'),
    ...destinationBase,
    /** Who is notified: one address or up to 20. */
    to: z.union([z.email(), z.array(z.email()).min(1).max(20)]),
    /** The sender; your provider must allow it (a verified domain or address). */
    from: z.email(),
    /** Display name of the sender (default "Leadkit"). */
    fromName: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[^\r\n<>"]+$/, 'must be plain text without line breaks, <, > or "')
      .default('Leadkit'),
    /** Reply-To is the lead's own address when it has a valid one (default true): "Reply" reaches the lead. */
    replyToLead: z.boolean().default(true),
    smtp: SmtpSchema,
    /** Subject and heading start (default "New lead"): "New lead: Ada Lovelace (Acme) via Paid Search". */
    title: z.string().min(1).max(60).default('New lead'),
    /** The Leadkit inbox, e.g. https://leads.example.com/inbox: adds an "Open in inbox" link. */
    inboxUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Extra rows: label → source (see fields.ts), e.g. { "Budget": "fields.budget" }. */
    fields: FieldOverridesSchema.optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.smtp.user === undefined) !== (c.smtp.password === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['smtp', c.smtp.user === undefined ? 'user' : 'password'],
        message: 'give both smtp.user and smtp.password, or neither (a relay that needs no login)',
      });
    }
  });
export type EmailDestinationConfig = z.output<typeof EmailDestinationSchema>;
export type EmailDestinationInput = z.input<typeof EmailDestinationSchema>;

const EMAIL = z.email();
/** Header values must stay on one line whatever the visitor typed. */
const oneLine = (s: string) => s.replace(/[\r\n\t\u2028\u2029]+/g, ' ').trim();

/** The notification for one lead: subject, plain text and HTML (every value escaped). */
export function emailMessage(
  lead: Lead,
  config: Pick<EmailDestinationConfig, 'title' | 'inboxUrl' | 'fields'>,
  decided: Decided = {},
): { subject: string; text: string; html: string; summary: LeadSummary } {
  const s = leadSummary(lead, config.fields, decided);
  const rows = rowsWithOwner(s);
  const link = inboxLink(config.inboxUrl, lead.id);
  const subject = truncate(oneLine(headline(config.title, s)), 200);

  const text = [
    subject,
    '',
    ...rows.map(([label, value]) => `${label}: ${value}`),
    ...(s.message ? ['', 'Message:', s.message] : []),
    ...(link ? ['', `Open in inbox: ${link}`] : []),
    '',
    s.footer,
  ].join('\n');

  const cell = 'padding:4px 12px 4px 0;vertical-align:top;text-align:left';
  const html = [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2328;line-height:1.5">',
    `<h1 style="font-size:18px;margin:0 0 12px">${escapeHtml(subject)}</h1>`,
    '<table role="presentation" style="border-collapse:collapse">',
    ...rows.map(
      ([label, value]) =>
        `<tr><th scope="row" style="${cell}">${escapeHtml(label)}</th><td style="${cell}">${escapeHtml(value)}</td></tr>`,
    ),
    '</table>',
    s.message
      ? `<h2 style="font-size:15px;margin:16px 0 4px">Message</h2><p style="white-space:pre-wrap;margin:0">${escapeHtml(s.message)}</p>`
      : '',
    link ? `<p style="margin:16px 0 0"><a href="${escapeHtml(link)}">Open in inbox</a></p>` : '',
    `<p style="margin:16px 0 0;color:#57606a;font-size:13px">${escapeHtml(s.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html, summary: s };
}

/** SMTP errors as nodemailer reports them. */
interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

function failure(error: unknown, ctx: DeliveryContext, host: string): DeliveryResult {
  const blocked = findSsrfError(error);
  if (blocked) return { kind: 'fail', reason: `Email: ${blocked.message}` };
  if (ctx.signal.aborted) {
    return { kind: 'retry', reason: `Email: ${host} did not finish before the attempt timed out` };
  }
  const e = error as SmtpError;
  const said = oneLine(e.response ?? e.message ?? String(error)).slice(0, 300);
  const code = e.responseCode;
  if (e.code === 'ETLS' || e.command === 'STARTTLS') {
    return {
      kind: 'retry',
      status: code,
      reason: `Email: no TLS with ${host} (${said}); the server must offer STARTTLS, or set smtp.security`,
    };
  }
  // A refused login is permanent unless the server says it is temporary (454 and other 4xx).
  if (code === 535 || code === 534 || (e.code === 'EAUTH' && !(code !== undefined && code < 500))) {
    return {
      kind: 'fail',
      status: code,
      reason: `Email: ${host} refused the login (${said}); check smtp.user and smtp.password`,
    };
  }
  if (code !== undefined && code >= 500) {
    // 5xx replies are permanent by RFC 5321 (unknown recipient, sender not allowed, message refused).
    const hint = e.command === 'MAIL FROM' ? '; check that your provider allows the "from" address' : '';
    return { kind: 'fail', status: code, reason: `Email: ${host} refused the message (${said})${hint}` };
  }
  if (code !== undefined) return { kind: 'retry', status: code, reason: `Email: ${host} answered ${said}` };
  return { kind: 'retry', reason: `Email: could not reach ${host} (${e.code ? `${e.code}: ` : ''}${said})` };
}

/** One email to the destination's recipients (`to`, sender and SMTP server from its config). */
export interface OutgoingEmail {
  subject: string;
  text: string;
  html: string;
  replyTo?: string | undefined;
  /** The Message-ID is `<this@the from address's domain>`; keep it stable per lead so repeats thread. */
  messageIdLocalPart: string;
  leadId: string;
}

export type EmailSender = (email: OutgoingEmail, ctx: DeliveryContext) => Promise<DeliveryResult>;

/**
 * Sends through the config's SMTP server, once per call, and says what the answer means for the outbox.
 * Also used by the speed-to-lead alert when its destination is an email one.
 */
export function createEmailSender(config: EmailDestinationConfig, deps: DestinationDeps): EmailSender {
  const allowHosts = hostSet(deps.allowHosts);
  const host = normalizeHost(config.smtp.host);
  if (config.smtp.security === 'none' && !allowHosts.has(host)) {
    throw new Error(
      `destination "${config.name}": smtp.security "none" sends the login and every lead in plain text; ` +
        `it is allowed only for a host listed in security.allowHosts (a local relay), not ${config.smtp.host}`,
    );
  }
  /** The SSRF guard's lookup (Node only, like nodemailer: both load on the first delivery). */
  const resolve = async (name: string) => {
    const { createGuardedLookup } = await import('../ssrf.js');
    return new Promise<string>((done, refuse) =>
      createGuardedLookup(allowHosts)(name, {}, (err, address) =>
        err ? refuse(err) : done(address as string),
      ),
    );
  };
  const port = config.smtp.port ?? (config.smtp.security === 'tls' ? 465 : 587);
  const domain = config.from.slice(config.from.lastIndexOf('@') + 1);

  return async (email, ctx) => {
    try {
      // The address checked is the address used: no second lookup that DNS could answer differently.
      const address = await resolve(config.smtp.host);
      const { createTransport } = await import('nodemailer');
      const transport = createTransport({
        host: address,
        port,
        secure: config.smtp.security === 'tls',
        requireTLS: config.smtp.security === 'starttls',
        ignoreTLS: config.smtp.security === 'none',
        auth: config.smtp.user ? { user: config.smtp.user, pass: config.smtp.password } : undefined,
        // The certificate is checked against the name we were given, not the address we connect to.
        tls: { servername: isIpLiteral(host) ? undefined : config.smtp.host, minVersion: 'TLSv1.2' },
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 15_000,
      });
      try {
        const info = await transport.sendMail({
          from: { name: config.fromName, address: config.from },
          to: config.to,
          replyTo: email.replyTo,
          subject: email.subject,
          text: email.text,
          html: email.html,
          messageId: `<${email.messageIdLocalPart}@${domain}>`,
          headers: { 'X-Leadkit-Lead': email.leadId },
          signal: ctx.signal,
        });
        return { kind: 'ok', detail: oneLine(String(info.response ?? 'accepted')).slice(0, 200) };
      } finally {
        transport.close();
      }
    } catch (error) {
      return failure(error, ctx, config.smtp.host);
    }
  };
}

/** An email destination from a validated config (see EmailDestinationSchema). */
export function createEmail(input: EmailDestinationInput, deps: DestinationDeps): Destination {
  const config = EmailDestinationSchema.parse(input);
  const send = createEmailSender(config, deps);
  return {
    name: config.name,
    type: 'email',
    deliver(lead, ctx) {
      const message = emailMessage(lead, config, ctx);
      const address = message.summary.email;
      return send(
        {
          subject: message.subject,
          text: message.text,
          html: message.html,
          replyTo: config.replyToLead && address && EMAIL.safeParse(address).success ? address : undefined,
          // Stable across retries and replays: mail clients thread or drop the repeat.
          messageIdLocalPart: `${lead.id}.${config.name}`,
          leadId: lead.id,
        },
        ctx,
      );
    },
  };
}
