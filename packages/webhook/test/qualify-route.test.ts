/**
 * Qualify and route end to end: real HTTP into the server, real SQLite, real deliveries to local
 * receivers. MQLs go to a "sales" webhook and a Slack-shaped receiver; every lead goes to "newsletter".
 */
import { join } from 'node:path';
import type { LeadInput } from '@leadkit/core/lead';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadCreatedEvent } from '../src/destinations/webhook.js';
import { silentLogger } from '../src/log.js';
import { type RunningServer, startServer } from '../src/node.js';
import { generateSecret } from '../src/signing.js';
import { fullLead, type Receiver, startReceiver, tempDir, until } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
let sales: Receiver;
let slack: Receiver;
let newsletter: Receiver;
let server: RunningServer;

const SLACK_PATH = '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';

beforeAll(async () => {
  tmp = tempDir();
  sales = await startReceiver();
  newsletter = await startReceiver();
  slack = await startReceiver((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  const isMql = { field: 'stage', eq: 'mql' };
  server = await startServer({
    port: 0,
    dbPath: join(tmp.dir, 'leadkit.db'),
    log: silentLogger,
    handleSignals: false,
    config: {
      rateLimit: false,
      security: { allowHosts: ['127.0.0.1'] },
      delivery: { pollMs: 20 },
      scoring: {
        mqlThreshold: 50,
        rules: [
          { name: 'business email', when: { field: 'emailType', eq: 'business' }, points: 30 },
          { name: 'free mail', when: { field: 'emailType', eq: 'free' }, points: -20 },
          { name: 'mid-size', when: { field: 'fields.companySize', in: ['51-200', '201-1000'] }, points: 20 },
          { name: 'saw pricing', when: { field: 'journey.pages', contains: '/pricing' }, points: 30 },
        ],
      },
      owners: {
        reps: [
          { name: 'Ada', email: 'ada@sales.example', slack: 'U01ADA' },
          { name: 'Bob', email: 'bob@sales.example', id: '7391' },
          { name: 'Cy' },
        ],
        rules: [{ when: { field: 'fields.region', eq: 'EMEA' }, assign: ['Ada', 'Bob'] }],
      },
      destinations: [
        { type: 'webhook', name: 'sales', url: `${sales.url}/leads`, secret: generateSecret(), when: isMql },
        { type: 'slack', name: 'sales-slack', webhookUrl: `${slack.url}${SLACK_PATH}`, when: isMql },
        { type: 'webhook', name: 'newsletter', url: `${newsletter.url}/subscribe`, secret: generateSecret() },
      ],
    },
  });
});

afterAll(async () => {
  await server?.close();
  await Promise.all([sales?.close(), slack?.close(), newsletter?.close()]);
  tmp?.cleanup();
});

function lead(fields: Record<string, string>, pages: string[] = []): LeadInput {
  const base = fullLead({ fields: { name: 'Ada Lovelace', ...fields } });
  return { ...base, attribution: { ...base.attribution!, pages } };
}

async function post(body: LeadInput): Promise<string> {
  const res = await fetch(`${server.url}/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

const events = (r: Receiver) => r.requests.map((q) => JSON.parse(q.body) as LeadCreatedEvent);
const byId = (r: Receiver) => new Map(events(r).map((e) => [e.data.id, e]));

describe('qualify and route', () => {
  it('scores at intake, sends MQLs to sales and Slack and every lead to the newsletter, with score, grade, fired rules and owner', async () => {
    const hot = await post(
      lead({ email: 'grace@engines.example', companySize: '51-200' }, ['/pricing', '/']),
    );
    const freePricing = await post(lead({ email: 'grace@gmail.com', companySize: '51-200' }, ['/pricing']));
    const cold = await post(lead({ email: 'grace@engines.example' }, ['/blog/pricing-tips']));
    const warm = await post(lead({ email: 'grace@corp.example' }, ['/docs', '/pricing']));
    // A repeat of the first lead (a client retry) changes nothing and takes no turn from the next lead.
    const repeat = fullLead({ fields: { email: 'grace@engines.example' } });
    await post({ ...repeat, id: hot });
    const emea1 = await post(lead({ email: 'li@gmail.com', region: 'emea' }));
    const emea2 = await post(lead({ email: 'li@gmail.com', region: 'EMEA' }));
    const emea3 = await post(lead({ email: 'li@gmail.com', region: 'Emea' }));
    const spam = await post({
      ...lead({ email: 'bot@engines.example' }, ['/pricing']),
      meta: { honeypot: 'x' },
    });
    const all = [hot, freePricing, cold, warm, emea1, emea2, emea3];

    await until(
      () =>
        newsletter.requests.length >= all.length && sales.requests.length >= 2 && slack.requests.length >= 2,
      'deliveries',
    );
    // Nothing else is on its way: every outbox row is delivered.
    await until(
      async () => (await server.store.listDeliveries({ status: 'pending' })).length === 0,
      'empty outbox',
    );

    const news = byId(newsletter);
    expect([...news.keys()].sort()).toEqual([...all].sort());
    expect(news.has(spam)).toBe(false);
    expect([...byId(sales).keys()].sort()).toEqual([hot, warm].sort());

    expect(news.get(hot)).toMatchObject({
      type: 'lead.created',
      stage: 'mql',
      qualification: {
        score: 80,
        grade: 'A',
        stage: 'mql',
        fired: [
          { rule: 'business email', points: 30 },
          { rule: 'mid-size', points: 20 },
          { rule: 'saw pricing', points: 30 },
        ],
        owner: { name: 'Ada', email: 'ada@sales.example', slack: 'U01ADA' },
      },
    });
    expect(byId(sales).get(hot)!.qualification).toEqual(news.get(hot)!.qualification);
    // Free mail costs points even with a big company and the pricing page; a substring of a page is no visit.
    expect(news.get(freePricing)!.qualification).toMatchObject({
      score: 30,
      grade: 'C',
      stage: 'lead',
      fired: [{ rule: 'free mail' }, { rule: 'mid-size' }, { rule: 'saw pricing' }],
      owner: { name: 'Bob', id: '7391' },
    });
    expect(news.get(cold)).toMatchObject({
      stage: 'lead',
      qualification: { score: 30, fired: [{ rule: 'business email' }], owner: { name: 'Cy' } },
    });
    expect(news.get(warm)).toMatchObject({
      stage: 'mql',
      qualification: { score: 60, grade: 'B', owner: { name: 'Ada' } },
    });
    // The EMEA rule rotates within its own list, on its own counter.
    expect([emea1, emea2, emea3].map((id) => news.get(id)!.qualification!.owner!.name)).toEqual([
      'Ada',
      'Bob',
      'Ada',
    ]);

    // Spam is kept, scored, and has no owner (it took no turn: cold went to Cy after freePricing's Bob).
    const stored = await server.store.getLead(spam);
    expect(stored!.spamReason).not.toBeNull();
    expect(stored!.qualification).toMatchObject({ score: 60, stage: 'mql' });
    expect(stored!.qualification!.owner).toBeUndefined();

    // Slack: one message per MQL, with score, grade, stage and the owner mentioned.
    expect(slack.requests.every((r) => r.url === SLACK_PATH)).toBe(true);
    const messages = slack.requests.map(
      (r) => JSON.parse(r.body) as { blocks: { fields?: { text: string }[] }[] },
    );
    const texts = messages.map((m) => m.blocks.flatMap((b) => b.fields ?? []).map((f) => f.text));
    const hotMessage = texts.find((t) => t.includes('*Score*\n80 (A)'))!;
    expect(hotMessage).toEqual(expect.arrayContaining(['*Stage*\nMQL', '*Owner*\n<@U01ADA>']));
    const warmMessage = texts.find((t) => t.includes('*Score*\n60 (B)'))!;
    expect(warmMessage).toContain('*Owner*\n<@U01ADA>');
    expect(texts).toHaveLength(2);
  });

  it('rotates owners fairly over concurrent leads (one counter in the store)', async () => {
    const before = new Map<string, number>();
    const count = async () => {
      const tally = new Map<string, number>();
      for (const l of await server.store.listLeads({ limit: 1000 })) {
        const name = l.qualification?.owner?.name;
        if (name && !l.lead.fields.region) tally.set(name, (tally.get(name) ?? 0) + 1);
      }
      return tally;
    };
    for (const [k, v] of await count()) before.set(k, v);
    await Promise.all(Array.from({ length: 30 }, (_, i) => post(lead({ email: `p${i}@gmail.com` }))));
    const after = await count();
    const added = ['Ada', 'Bob', 'Cy'].map((n) => (after.get(n) ?? 0) - (before.get(n) ?? 0));
    expect(added).toEqual([10, 10, 10]);
  });
});
