/**
 * The speed-to-lead alert end to end: real HTTP intake, real SQLite outbox, a Slack-shaped receiver.
 * `afterMinutes` is fractional (0.05 = 3 s) so the test waits seconds, not minutes.
 */
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { type RunningServer, startServer } from '../src/node.js';
import { SPEED_TO_LEAD, speedToLeadMessage } from '../src/speed-to-lead.js';
import { fullLead, type Receiver, startReceiver, tempDir, until } from './helpers.js';
import { startCatcher } from './smtp-catcher.js';

const ADMIN = 'admin-token-0123456789abcdef';
const SLACK_PATH = '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';

let tmp: ReturnType<typeof tempDir>;
let slack: Receiver;
let server: RunningServer;

beforeAll(async () => {
  tmp = tempDir();
  slack = await startReceiver((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  server = await startServer({
    port: 0,
    dbPath: join(tmp.dir, 'leadkit.db'),
    log: silentLogger,
    handleSignals: false,
    config: {
      rateLimit: false,
      adminToken: ADMIN,
      security: { allowHosts: ['127.0.0.1'] },
      delivery: { pollMs: 20 },
      scoring: {
        mqlThreshold: 30,
        rules: [{ name: 'business email', when: { field: 'emailType', eq: 'business' }, points: 40 }],
      },
      owners: { reps: [{ name: 'Grace', slack: 'U0GRACE' }] },
      alerts: { speedToLead: { afterMinutes: 0.05, destination: 'sales-slack' } },
      destinations: [
        {
          type: 'slack',
          name: 'sales-slack',
          webhookUrl: `${slack.url}${SLACK_PATH}`,
          when: { field: 'stage', eq: 'mql' },
        },
      ],
    },
  });
});

afterAll(async () => {
  await server?.close();
  await slack?.close();
  tmp?.cleanup();
});

async function postLead(email: string, name: string) {
  const body = fullLead({ fields: { email, name } });
  const res = await fetch(`${server.url}/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return body.id;
}

const alertRow = async (leadId: string) =>
  (await server.store.listDeliveries({ leadId })).find((d) => d.destination === SPEED_TO_LEAD);
const alerts = () =>
  slack.requests
    .map((r) => (JSON.parse(r.body) as { text: string }).text)
    .filter((t) => t.includes('has waited'));

describe('speed-to-lead alert', () => {
  it('alerts once for a waiting MQL, not for a contacted one, and schedules nothing for a plain lead', async () => {
    const waiting = await postLead('ada@analytical.example', 'Ada Waiting');
    const contacted = await postLead('grace@navy.example', 'Grace Called');
    const plain = await postLead('someone@gmail.com', 'Free Mail');

    // Only MQLs get the alert row, due afterMinutes after intake.
    const row = await alertRow(waiting);
    const lead = await server.store.getLead(waiting);
    expect(row).toMatchObject({ status: 'pending', nextAt: lead!.receivedAt + 3000 });
    expect(await alertRow(plain)).toBeUndefined();

    const res = await fetch(`${server.url}/v1/leads/${contacted}/outcome`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ status: 'contacted' }),
    });
    expect(res.status).toBe(200);

    const posted = await until(async () => {
      const r = await alertRow(waiting);
      return r?.status === 'delivered' ? r : undefined;
    }, 'the alert for the waiting MQL');
    expect(posted.detail).toMatch(/^alert posted after \d/);
    const quiet = await until(async () => {
      const r = await alertRow(contacted);
      return r?.status === 'delivered' ? r : undefined;
    }, 'the contacted MQL’s alert row to complete');
    expect(quiet.detail).toMatch(/^contacted after [\d.]+ min, no alert$/);

    const texts = alerts();
    expect(texts).toHaveLength(1);
    const { grade } = lead!.qualification!;
    const channel = lead!.lead.attribution!.lastTouch.channel!;
    expect(texts[0]).toMatch(
      new RegExp(
        `^:hourglass: MQL Ada Waiting \\(score 40 \\(${grade}\\), ${channel}, <@U0GRACE>\\) has waited [\\d.]+ min without an outcome\\.$`,
      ),
    );
    expect(texts[0]).not.toContain('Grace Called');
  });

  it('escapes the visitor’s name so it cannot ping a channel or hide a link', () => {
    const lead = {
      v: 1 as const,
      id: 'lead_x_123',
      formId: 'f',
      fields: { name: '<!channel> <https://evil|x>' },
    };
    const { text } = speedToLeadMessage(lead, {}, 42 * 60_000);
    expect(text).toBe(
      ':hourglass: MQL &lt;!channel&gt; &lt;https://evil|x&gt; (no owner) has waited 42 min without an outcome.',
    );
  });

  it('refuses a config whose alert names no slack, teams, discord or email destination', () => {
    expect(() => parseConfig({ alerts: { speedToLead: { afterMinutes: 30, destination: 'nope' } } })).toThrow(
      /alerts\.speedToLead\.destination: names no slack, teams, discord or email destination/,
    );
  });
});

describe('speed-to-lead alert by email', () => {
  it('emails the destination’s recipients once for a waiting MQL, with Reply-To the lead', async () => {
    const smtp = await startCatcher();
    const dir = tempDir();
    const emailServer = await startServer({
      port: 0,
      dbPath: join(dir.dir, 'leadkit.db'),
      log: silentLogger,
      handleSignals: false,
      config: {
        rateLimit: false,
        security: { allowHosts: ['127.0.0.1'] },
        delivery: { pollMs: 20 },
        scoring: {
          mqlThreshold: 30,
          rules: [{ name: 'business email', when: { field: 'emailType', eq: 'business' }, points: 40 }],
        },
        owners: { reps: [{ name: 'Grace' }] },
        alerts: { speedToLead: { afterMinutes: 0.05, destination: 'sales-email' } },
        destinations: [
          {
            type: 'email',
            name: 'sales-email',
            to: 'sales@example.com',
            from: 'leads@example.com',
            smtp: { host: '127.0.0.1', port: smtp.port, security: 'none' },
            // Alerts only: no lead matches, so the alert is the only email.
            when: { field: 'stage', eq: 'customer' },
          },
        ],
      },
    });
    try {
      const body = fullLead({ fields: { email: 'ada@analytical.example', name: 'Ada Waiting' } });
      const res = await fetch(`${emailServer.url}/v1/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(202);
      const row = await until(async () => {
        const r = (await emailServer.store.listDeliveries({ leadId: body.id })).find(
          (d) => d.destination === SPEED_TO_LEAD,
        );
        return r?.status === 'delivered' ? r : undefined;
      }, 'the emailed alert');
      expect(row.detail).toMatch(/^alert posted after \d/);
      expect(smtp.received).toHaveLength(1);
      const mail = await simpleParser(smtp.received[0]!.raw);
      expect(mail.subject).toMatch(/^MQL Ada Waiting has waited [\d.]+ min without an outcome$/);
      expect(mail.text).toContain('owner Grace');
      expect(mail.replyTo?.value.map((v) => v.address)).toEqual(['ada@analytical.example']);
      expect(mail.messageId).toBe(`<${body.id}.speed-to-lead@example.com>`);
    } finally {
      await emailServer.close();
      await smtp.close();
      dir.cleanup();
    }
  });
});
