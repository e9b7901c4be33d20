import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';
import { createDestination } from '../src/destinations/index.js';
import { createGuardedFetch } from '../src/ssrf.js';
import { deliveryContext, type FakeVendor, sampleLead, startVendor } from './dest-helpers.js';

// One loopback server answering every vendor's success shape, so each configured destination delivers.
let vendor: FakeVendor;
beforeAll(async () => {
  vendor = await startVendor((req) => {
    if (req.path.startsWith('/submissions/')) return { status: 200, body: { inlineMessage: 'Thanks' } };
    if (req.path.startsWith('/services/data/'))
      return { status: 201, body: { id: '00Q000000000001AAA', success: true, errors: [], created: true } };
    if (req.path === '/v1/persons/search')
      return { status: 200, body: { success: true, data: { items: [] } } };
    if (req.path === '/v1/persons') return { status: 201, body: { success: true, data: { id: 1 } } };
    if (req.path === '/v1/leads')
      return { status: 201, body: { success: true, data: { id: 'adf21080-0e10-11eb-879b-05d71fb426ec' } } };
    if (req.path === '/v1/notes') return { status: 201, body: { success: true, data: { id: 2 } } };
    if (req.path.startsWith('/services/T')) return { status: 200, body: 'ok' };
    return { status: 404, body: 'no route' };
  });
});
afterAll(() => vendor.close());

const config = () => ({
  security: { allowHosts: ['127.0.0.1'] },
  destinations: [
    {
      type: 'hubspot',
      mode: 'form',
      name: 'hubspot-form',
      portalId: '2468013',
      formGuid: 'f6b1c2d3-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      baseUrl: vendor.origin,
    },
    {
      type: 'salesforce',
      mode: 'rest',
      name: 'salesforce',
      instanceUrl: vendor.origin,
      accessToken: { env: 'SF_TOKEN' },
      fields: { LeadSource: { value: 'Web' }, UTM_Term__c: null },
      retry: { delaysMs: [1000, 60_000] },
    },
    { type: 'pipedrive', name: 'pipedrive', apiToken: { env: 'PD_TOKEN' }, baseUrl: `${vendor.origin}/v1` },
    {
      type: 'slack',
      name: 'slack',
      webhookUrl: { env: 'SLACK_URL' },
      inboxUrl: 'https://leads.example.com/inbox',
    },
  ],
});

const env = () => ({
  SF_TOKEN: 'sf-token',
  PD_TOKEN: 'pd-token',
  SLACK_URL: `${vendor.origin}/services/T000/B000/XXXX`,
});

describe('destination registry', () => {
  it('parses all four CRM destinations from leadkit.config.json (env secrets resolved) and delivers through each', async () => {
    const parsed = parseConfig(config(), { env: env() });
    const ctx = deliveryContext({ fetch: createGuardedFetch({ allowHosts: parsed.security.allowHosts }) });
    const results: Record<string, unknown> = {};
    for (const destinationConfig of parsed.destinations) {
      const destination = createDestination(destinationConfig, { allowHosts: parsed.security.allowHosts });
      results[`${destination.type}/${destination.name}`] = (
        await destination.deliver(sampleLead(), ctx)
      ).kind;
    }
    expect(results).toEqual({
      'hubspot/hubspot-form': 'ok',
      'salesforce/salesforce': 'ok',
      'pipedrive/pipedrive': 'ok',
      'slack/slack': 'ok',
    });
    const sf = vendor.requests.find((r) => r.path.startsWith('/services/data/'))!;
    expect(sf.headers.authorization).toBe('Bearer sf-token');
    expect(sf.json).toMatchObject({ LeadSource: 'Web' });
    expect(sf.json).not.toHaveProperty('UTM_Term__c');
    expect(vendor.requests.find((r) => r.path === '/v1/leads')!.query.get('api_token')).toBe('pd-token');
  });

  it('reports every problem with its key path', () => {
    const bad = config();
    bad.destinations[0] = { ...bad.destinations[0], formGuid: 'not-a-guid' } as (typeof bad.destinations)[0];
    (bad.destinations[1] as Record<string, unknown>).fields = { LeadSource: 'utm_sorce' };
    (bad.destinations[2] as Record<string, unknown>).accessToken = 'also-oauth';
    let error: unknown;
    try {
      parseConfig(bad, { env: env() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const paths = (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
    expect(paths).toContain('destinations[0].formGuid: must be the form GUID');
    expect(
      paths.some((p) =>
        p.startsWith('destinations[1].fields.LeadSource: "utm_sorce" is not a canonical field name'),
      ),
    ).toBe(true);
    expect(paths).toContain(
      'destinations[2].apiToken: set exactly one of apiToken (personal API token) or accessToken (OAuth)',
    );
  });

  it('an unset env secret is named', () => {
    expect(() => parseConfig(config(), { env: { SF_TOKEN: 'x', PD_TOKEN: 'y' } })).toThrow(
      /SLACK_URL is not set/,
    );
  });
});
