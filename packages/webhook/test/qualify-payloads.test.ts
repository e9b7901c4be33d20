/** What destinations make of the qualification: field maps into a CRM, and the Slack message. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { createHubSpot } from '../src/destinations/hubspot.js';
import { slackMessage } from '../src/destinations/slack.js';
import { mapFields, sourceProblem } from '../src/fields.js';
import type { Qualification } from '../src/store/types.js';
import { deliveryContext, type FakeVendor, sampleLead, startVendor } from './dest-helpers.js';

const qualification: Qualification = {
  score: 72,
  grade: 'B',
  fired: [{ rule: 'business email', points: 72 }],
  stage: 'mql',
  owner: { name: 'Ada <b>&', email: 'ada@sales.example', id: '7391' },
};

let vendor: FakeVendor | undefined;
afterEach(async () => {
  await vendor?.close();
  vendor = undefined;
});

describe('field maps read the qualification', () => {
  it('maps score, grade, current stage and owner into CRM fields, and nothing without a qualification', () => {
    const map = {
      hubspot_owner_id: 'owner.id',
      owner_email: 'owner.email',
      score: 'qualification.score',
      grade: 'qualification.grade',
      lifecycle: 'stage',
    };
    expect(mapFields(sampleLead(), map, { qualification, stage: 'sql' })).toEqual({
      hubspot_owner_id: '7391',
      owner_email: 'ada@sales.example',
      score: '72',
      grade: 'B',
      lifecycle: 'sql',
    });
    expect(mapFields(sampleLead(), map)).toEqual({});
    expect(sourceProblem('owner.phone')).toContain('"owner.phone" is not known');
    expect(() =>
      parseConfig(
        {
          destinations: [
            {
              type: 'slack',
              name: 's',
              webhookUrl: 'https://hooks.slack.com/x',
              fields: { Rep: 'owner.nmae' },
            },
          ],
        },
        { env: {} },
      ),
    ).toThrow(/destinations\[0\]\.fields\.Rep: "owner.nmae" is not known/);
  });

  it('sends the owner id and score to HubSpot through the real contact upsert', async () => {
    vendor = await startVendor(() => ({ status: 200, body: { results: [{ id: '51234', new: true }] } }));
    const dest = createHubSpot({
      type: 'hubspot',
      mode: 'contact',
      name: 'crm',
      accessToken: 'pat-na1-11111111-2222-3333-4444-555555555555',
      baseUrl: vendor.origin,
      fields: { hubspot_owner_id: 'owner.id', leadkit_score: 'qualification.score', leadkit_stage: 'stage' },
    });
    expect((await dest.deliver(sampleLead(), deliveryContext({ qualification, stage: 'mql' }))).kind).toBe(
      'ok',
    );
    const { inputs } = vendor.requests[0]!.json as { inputs: { properties: Record<string, string> }[] };
    expect(inputs[0]!.properties).toMatchObject({
      hubspot_owner_id: '7391',
      leadkit_score: '72',
      leadkit_stage: 'mql',
    });
  });
});

describe('Slack message', () => {
  type Message = { blocks: { fields?: { text: string }[] }[] };
  const rows = (m: Message) => m.blocks.flatMap((b) => b.fields ?? []).map((f) => f.text);
  const config = { title: 'New lead' };

  it('shows score with grade and stage, and names an owner without a Slack id, escaped', () => {
    const texts = rows(slackMessage(sampleLead(), config, { qualification, stage: 'mql' }) as Message);
    expect(texts).toEqual(
      expect.arrayContaining(['*Score*\n72 (B)', '*Stage*\nMQL', '*Owner*\nAda &lt;b&gt;&amp;']),
    );
  });

  it('mentions an owner with a Slack member id, and shows none of it without a qualification', () => {
    const withSlack = { ...qualification, owner: { name: 'Ada', slack: 'U024BE7LH' } };
    expect(
      rows(slackMessage(sampleLead(), config, { qualification: withSlack, stage: 'customer' }) as Message),
    ).toEqual(expect.arrayContaining(['*Owner*\n<@U024BE7LH>', '*Stage*\nCustomer']));
    const plain = rows(slackMessage(sampleLead(), config) as Message).join('\n');
    expect(plain).not.toMatch(/Score|Stage|Owner/);
  });
});
