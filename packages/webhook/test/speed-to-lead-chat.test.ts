/**
 * The speed-to-lead alert posted to a Teams or Discord destination: the alert destination built from a
 * parsed config, delivering over real HTTP to a vendor double that checks the documented request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { createSpeedToLeadAlert } from '../src/speed-to-lead.js';
import type { Qualification } from '../src/store/types.js';
import { deliveryContext, type FakeVendor, sampleLead, startVendor } from './dest-helpers.js';

const TEAMS_PATH = '/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke';
const DISCORD_PATH = '/api/webhooks/1234567890/SECRETtoken';

let vendor: FakeVendor | undefined;
afterEach(async () => {
  await vendor?.close();
  vendor = undefined;
});

const qualification: Qualification = {
  score: 65,
  grade: 'B',
  fired: [],
  stage: 'mql',
  owner: { name: 'Grace', slack: 'U0GRACE' },
};
// Received 31 minutes before this attempt, no outcome yet.
const waiting = deliveryContext({
  qualification,
  now: new Date('2026-09-01T10:30:58Z'),
  receivedAt: new Date('2026-09-01T09:59:58Z'),
});

function alertFor(destination: Record<string, unknown>) {
  const config = parseConfig({
    security: { allowHosts: ['127.0.0.1'] },
    alerts: { speedToLead: { afterMinutes: 30, destination: destination.name } },
    destinations: [destination],
  });
  const alert = createSpeedToLeadAlert(config);
  if (!alert) throw new Error('no alert destination');
  return alert;
}

describe('speed-to-lead alert to chat destinations', () => {
  it('posts the alert to Teams as one Adaptive Card with the sentence as plain text', async () => {
    vendor = await startVendor(() => ({ status: 202 }));
    const alert = alertFor({
      type: 'teams',
      name: 'sales-teams',
      url: `${vendor.origin}${TEAMS_PATH}?sig=s`,
    });
    const lead = sampleLead({ fields: { name: '[Ada](https://evil.example)', email: 'ada@example.com' } });

    expect(await alert.deliver(lead, waiting)).toEqual({
      kind: 'ok',
      status: 202,
      detail: 'alert posted after 31 min',
    });
    const req = vendor.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(TEAMS_PATH);
    const body = req.json as {
      type: string;
      attachments: { contentType: string; content: { body: unknown[] } }[];
    };
    expect(body.type).toBe('message');
    expect(body.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    // A TextRun: Teams shows it as typed, so the name is not a link.
    expect(body.attachments[0]!.content.body).toEqual([
      {
        type: 'RichTextBlock',
        inlines: [
          {
            type: 'TextRun',
            text: 'MQL [Ada](https://evil.example) (score 65 (B), Paid Search, owner Grace) has waited 31 min without an outcome.',
          },
        ],
      },
    ]);
  });

  it('posts the alert to Discord with wait=true, Markdown escaped and mentions off', async () => {
    vendor = await startVendor((req) => ({ status: 200, body: { id: '99', ...(req.json as object) } }));
    const alert = alertFor({
      type: 'discord',
      name: 'sales-discord',
      webhookUrl: `${vendor.origin}${DISCORD_PATH}`,
      username: 'Leadkit',
    });
    const lead = sampleLead({ fields: { name: '@everyone **Ada**', email: 'ada@example.com' } });

    expect(await alert.deliver(lead, waiting)).toMatchObject({ kind: 'ok', status: 200 });
    const req = vendor.requests[0]!;
    expect(req.path).toBe(DISCORD_PATH);
    expect(req.query.get('wait')).toBe('true');
    expect(req.json).toEqual({
      content:
        ':hourglass: MQL \\@everyone \\*\\*Ada\\*\\* (score 65 (B), Paid Search, owner Grace) has waited 31 min without an outcome.',
      username: 'Leadkit',
      allowed_mentions: { parse: [] },
    });
  });

  it('Teams: an owner with a teams id is mentioned on an Owner line; a typed <at> tag stays broken', async () => {
    vendor = await startVendor(() => ({ status: 202 }));
    const alert = alertFor({ type: 'teams', name: 't', url: `${vendor.origin}${TEAMS_PATH}?sig=s` });
    const owner = { name: 'Grace', teams: 'grace@contoso.com' };
    const lead = sampleLead({ fields: { name: '<at>Grace</at>', email: 'ada@example.com' } });
    await alert.deliver(lead, { ...waiting, qualification: { ...qualification, owner } });

    const card = (
      vendor.requests[0]!.json as { attachments: { content: { body: unknown[]; msteams?: unknown } }[] }
    ).attachments[0]!.content;
    expect(card.body).toEqual([
      {
        type: 'RichTextBlock',
        inlines: [
          {
            type: 'TextRun',
            text: 'MQL <\u2060at>Grace<\u2060/at> (score 65 (B), Paid Search, owner Grace) has waited 31 min without an outcome.',
          },
        ],
      },
      { type: 'TextBlock', text: 'Owner: <at>Grace</at>', wrap: true },
    ]);
    expect(card.msteams).toEqual({
      entities: [
        { type: 'mention', text: '<at>Grace</at>', mentioned: { id: 'grace@contoso.com', name: 'Grace' } },
      ],
    });
  });

  it('Teams: an owner without a teams id is named only, with no mention entity', async () => {
    vendor = await startVendor(() => ({ status: 202 }));
    const alert = alertFor({ type: 'teams', name: 't', url: `${vendor.origin}${TEAMS_PATH}?sig=s` });
    await alert.deliver(sampleLead(), waiting);
    const card = (vendor.requests[0]!.json as { attachments: { content: Record<string, unknown> }[] })
      .attachments[0]!.content;
    expect(card).not.toHaveProperty('msteams');
    expect(card.body).toHaveLength(1);
  });

  it('Discord: an owner with a discord id is pinged, and only that id; a typed <@id> stays escaped', async () => {
    vendor = await startVendor((req) => ({ status: 200, body: { id: '99', ...(req.json as object) } }));
    const alert = alertFor({ type: 'discord', name: 'd', webhookUrl: `${vendor.origin}${DISCORD_PATH}` });
    const owner = { name: 'Grace', discord: '80351110224678912' };
    const lead = sampleLead({ fields: { name: '<@123456789012345678> *Ada*', email: 'ada@example.com' } });
    expect(
      await alert.deliver(lead, { ...waiting, qualification: { ...qualification, owner } }),
    ).toMatchObject({ kind: 'ok', status: 200 });
    expect(vendor.requests[0]!.json).toEqual({
      content:
        ':hourglass: MQL \\<@123456789012345678> \\*Ada\\* (score 65 (B), Paid Search, owner <@80351110224678912>) has waited 31 min without an outcome.',
      allowed_mentions: { parse: [], users: ['80351110224678912'] },
    });
  });

  it('a refused alert keeps the destination’s reading of the answer (Discord 404 Unknown Webhook stops)', async () => {
    vendor = await startVendor(() => ({ status: 404, body: { message: 'Unknown Webhook', code: 10015 } }));
    const alert = alertFor({ type: 'discord', name: 'd', webhookUrl: `${vendor.origin}${DISCORD_PATH}` });
    const result = await alert.deliver(sampleLead(), waiting);
    expect(result).toMatchObject({ kind: 'fail', status: 404 });
    expect(result.kind === 'fail' && result.reason).toContain('The webhook was deleted');
  });
});
