import { describe, expect, it } from 'vitest';
import { createSlack, escapeMrkdwn, SlackDestinationSchema } from '../src/destinations/slack.js';
import {
  deliverOnce,
  deliverTimes,
  deliveryContext,
  outcomeOf,
  type RecordedRequest,
  sampleLead,
  useVendorDoubles,
  type VendorAnswer,
  type VendorScript,
} from './dest-helpers.js';

const HOOK_PATH = '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';

const startVendor = useVendorDoubles();

async function slack(answer: VendorScript) {
  const v = await startVendor(answer);
  return { v, webhookUrl: `${v.origin}${HOOK_PATH}` };
}

// Incoming webhooks answer plain text: "ok", or an error code with a status.
const ok: VendorAnswer = { status: 200, body: 'ok' };

type Block = {
  type: string;
  text?: { type: string; text: string };
  fields?: { text: string }[];
  elements?: { type: string; text?: unknown; url?: string }[];
};
const blocksOf = (req: RecordedRequest) => (req.json as { blocks: Block[] }).blocks;

describe('Slack', () => {
  it('posts one Block Kit message per lead to the webhook URL', async () => {
    const { v, webhookUrl } = await slack(() => ok);
    const dest = createSlack({
      type: 'slack',
      name: 'sales',
      webhookUrl,
      inboxUrl: 'https://leads.example.com/inbox',
    });
    expect(await deliverOnce(dest)).toEqual({ kind: 'ok', status: 200 });

    const req = v.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(HOOK_PATH);
    expect(req.headers['content-type']).toBe('application/json');
    const body = req.json as { text: string; blocks: Block[] };
    expect(body.text).toBe('New lead: Ada Lovelace (Analytical Engines Ltd) via Paid Search');
    const blocks = blocksOf(req);
    expect(blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'New lead: Ada Lovelace', emoji: false },
    });
    const fields = blocks[1]!.fields!.map((f) => f.text);
    expect(fields).toEqual([
      '*Name*\nAda Lovelace',
      '*Email*\nada@example.com',
      '*Company*\nAnalytical Engines Ltd',
      '*Phone*\n+44 20 7946 0000',
      '*Channel*\nPaid Search',
      '*Campaign*\nspring_launch',
      '*First touch*\nOrganic Search · google / organic',
      '*Last touch*\nPaid Search · google / cpc · spring_launch',
      '*Landing page*\nhttps://www.example.com/blog/engines',
      '*Form page*\nhttps://www.example.com/contact',
    ]);
    expect(blocks[2]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Message*\nWe would like a demo.' },
    });
    expect(blocks[3]!.type).toBe('context');
    expect(JSON.stringify(blocks[3])).toContain('Form contact-sales · lead lead_01J8Z3W6PQ4B7N2M5K8X');
    expect(blocks[4]).toEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open in inbox' },
          url: 'https://leads.example.com/inbox?lead=lead_01J8Z3W6PQ4B7N2M5K8X',
        },
      ],
    });
  });

  it('escapes &, < and > in every visitor value, so no ping or disguised link gets through', async () => {
    const { v, webhookUrl } = await slack(() => ok);
    const dest = createSlack({ type: 'slack', name: 'sales', webhookUrl });
    const lead = sampleLead({
      fields: {
        name: '<!channel> Mallory',
        email: 'm@evil.example',
        company: 'Tom & Jerry <https://evil.example|Your bank>',
        message: '<@U123> please <!here> & visit <https://evil.example>',
      },
    });
    await dest.deliver(lead, deliveryContext());
    const req = v.requests[0]!;
    // Everything Slack parses as mrkdwn: the notification text and every block but the plain_text header.
    const body = req.json as { text: string; blocks: Block[] };
    const text = JSON.stringify([body.text, body.blocks.slice(1)]);
    expect(text).not.toMatch(/<!channel>|<!here>|<@U123>|<https:\/\/evil/);
    expect(text).toContain('&lt;!channel&gt; Mallory');
    expect(text).toContain('Tom &amp; Jerry &lt;https://evil.example|Your bank&gt;');
    expect(text).toContain('&lt;@U123&gt; please &lt;!here&gt; &amp; visit &lt;https://evil.example&gt;');
    // The header is plain_text, which Slack never parses for mentions or links.
    expect(blocksOf(req)[0]!.text).toEqual({
      type: 'plain_text',
      text: 'New lead: <!channel> Mallory',
      emoji: false,
    });
  });

  it('adds configured rows, and keeps a lead without attribution readable', async () => {
    const { v, webhookUrl } = await slack(() => ok);
    const dest = createSlack({
      type: 'slack',
      name: 'sales',
      webhookUrl,
      title: 'Demo request',
      fields: { Budget: 'fields.budget', Source: { value: 'website' } },
    });
    await dest.deliver(
      sampleLead({ fields: { email: 'x@y.z', budget: '10k' }, attribution: undefined, page: undefined }),
      deliveryContext(),
    );
    const blocks = blocksOf(v.requests[0]!);
    expect(blocks[0]!.text!.text).toBe('Demo request: x@y.z');
    expect(blocks[1]!.fields!.map((f) => f.text)).toEqual([
      '*Email*\nx@y.z',
      '*Budget*\n10k',
      '*Source*\nwebsite',
    ]);
  });

  it.each([
    [400, 'invalid_payload', 'report this as a Leadkit bug'],
    [403, 'action_prohibited', 'A workspace admin restricted posting'],
    [404, 'channel_not_found', 'create a new incoming webhook'],
    [404, 'no_service', 'The webhook was removed'],
    [410, 'channel_is_archived', 'unarchive it'],
  ])('%i %s fails for good with what to do', async (status, code, hint) => {
    const { webhookUrl } = await slack(() => ({ status, body: code }));
    const result = await deliverOnce(createSlack({ type: 'slack', name: 's', webhookUrl }));
    expect(result).toMatchObject({ kind: 'fail', status });
    expect(result.kind === 'fail' && result.reason).toContain(`Slack answered ${status}: ${code}. `);
    expect(result.kind === 'fail' && result.reason).toContain(hint);
    // The webhook URL is the credential: it never appears in a reason.
    expect(JSON.stringify(result)).not.toContain('XXXXXXXX');
  });

  it('500 rollup_error and 429 (with Retry-After) are retried', async () => {
    const { webhookUrl } = await slack((_r, i) =>
      i === 0
        ? { status: 500, body: 'rollup_error' }
        : { status: 429, headers: { 'retry-after': '30' }, body: 'rate_limited' },
    );
    const dest = createSlack({ type: 'slack', name: 's', webhookUrl });
    expect((await deliverTimes(dest, 2)).map(outcomeOf)).toEqual([
      [500, undefined],
      [429, 30_000],
    ]);
  });
});

describe('Slack helpers and config', () => {
  it('escapeMrkdwn replaces exactly the three control characters', () => {
    expect(escapeMrkdwn('a & b < c > d *e* _f_')).toBe('a &amp; b &lt; c &gt; d *e* _f_');
  });

  it('needs a webhook URL', () => {
    const r = SlackDestinationSchema.safeParse({
      type: 'slack',
      name: 's',
      webhookUrl: 'hooks.slack.com/services/x',
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toContain('must be the incoming webhook URL');
  });
});
