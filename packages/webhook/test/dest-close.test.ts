import { describe, expect, it } from 'vitest';
import { CloseDestinationSchema, closeLookupQuery, createClose } from '../src/destinations/close.js';
import {
  byRoute,
  deliverOnce,
  deliverTimes,
  deliveryContext,
  outcomeOf,
  type Route,
  sampleLead,
  useVendorDoubles,
  type VendorAnswer,
} from './dest-helpers.js';

const API_KEY = 'api_6kR3fG1XwYbZ8sQ2pL0nTm';
const BASIC = `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`;
const LEAD_ID_FIELD = 'cf_v6S011I6MqcbVvB2FA5Nk8dr5MkL8sWuCiG8cUleO9c';
const STATUS = 'stat_1ZdiZqcSIkoGVnNOyxiEY58eTGQmFNG3LPlEVQ4V7Nk';

const startVendor = useVendorDoubles();

// Close's answers: the created lead object (developer.close.com/api/resources/leads/create), the Advanced
// Filtering result `{ data: [...], cursor }`, and its error bodies.
const created: VendorAnswer = {
  status: 200,
  body: {
    id: 'lead_IIDHIStmFcFQZZP0BRe99V1MCoXWz2PGCm6EDmR9v2O',
    display_name: 'Analytical Engines Ltd',
    name: 'Analytical Engines Ltd',
    status_id: STATUS,
    status_label: 'Potential',
    contacts: [{ id: 'cont_qpjDKxbN3WWsuhaJjg2Qr9pkqHqe1yviZ5BS0dEyz05', name: 'Ada Lovelace' }],
  },
};
const searchResult = (ids: string[]): VendorAnswer => ({
  status: 200,
  body: {
    data: ids.map((id) => ({ __object_type: 'lead', id, display_name: 'Analytical Engines Ltd' })),
    cursor: null,
  },
});

const close = (routes: Record<string, Route>) =>
  startVendor(
    byRoute(routes, (req) => ({ status: 404, body: { error: `no route ${req.method} ${req.path}` } })),
  );

const config = (origin: string, over: Record<string, unknown> = {}) => ({
  type: 'close' as const,
  name: 'close',
  apiKey: API_KEY,
  baseUrl: `${origin}/api/v1`,
  ...over,
});

describe('Close', () => {
  it('creates a lead named after the company, the person as a nested contact, Basic auth with the key', async () => {
    const v = await close({ 'POST /api/v1/lead/': created });
    const dest = createClose(
      config(v.origin, {
        statusId: STATUS,
        fields: { 'custom.cf_8wtBWsdRU2Fur7GDnEeXQ7ra2Vu7R4hG1SNYdiEhh0F': 'utm_campaign' },
      }),
    );
    const result = await deliverOnce(dest);
    expect(result).toEqual({
      kind: 'ok',
      status: 200,
      detail: 'lead lead_IIDHIStmFcFQZZP0BRe99V1MCoXWz2PGCm6EDmR9v2O created',
    });
    expect(v.requests).toHaveLength(1);
    const [req] = v.requests;
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe('/api/v1/lead/');
    expect(req!.headers.authorization).toBe(BASIC);
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.json).toEqual({
      name: 'Analytical Engines Ltd',
      description: 'We would like a demo.',
      status_id: STATUS,
      'custom.cf_8wtBWsdRU2Fur7GDnEeXQ7ra2Vu7R4hG1SNYdiEhh0F': 'spring_launch',
      contacts: [
        {
          name: 'Ada Lovelace',
          emails: [{ email: 'ada@example.com', type: 'office' }],
          phones: [{ phone: '+44 20 7946 0000', type: 'office' }],
        },
      ],
    });
  });

  it('without a company the lead is named after the person', async () => {
    const v = await close({ 'POST /api/v1/lead/': created });
    await createClose(config(v.origin)).deliver(
      sampleLead({ fields: { name: 'Grace Hopper', email: 'grace@example.com' } }),
      deliveryContext(),
    );
    expect((v.requests[0]!.json as { name: string }).name).toBe('Grace Hopper');
  });

  it('dedupe by lead id: the first attempt writes it; a retry finds the lead and creates nothing', async () => {
    const v = await close({
      'POST /api/v1/lead/': created,
      'POST /api/v1/data/search/': searchResult(['lead_IIDHIStmFcFQZZP0BRe99V1MCoXWz2PGCm6EDmR9v2O']),
    });
    const dest = createClose(config(v.origin, { leadIdField: LEAD_ID_FIELD }));
    await deliverOnce(dest);
    expect(v.requests.map((r) => r.path)).toEqual(['/api/v1/lead/']);
    expect((v.requests[0]!.json as Record<string, unknown>)[`custom.${LEAD_ID_FIELD}`]).toBe(
      'lead_01J8Z3W6PQ4B7N2M5K8X',
    );

    const retry = await dest.deliver(sampleLead(), deliveryContext({ attempt: 2 }));
    expect(retry).toEqual({
      kind: 'ok',
      detail: 'lead lead_IIDHIStmFcFQZZP0BRe99V1MCoXWz2PGCm6EDmR9v2O already existed (found by lead id)',
    });
    expect(v.requests.map((r) => r.path)).toEqual(['/api/v1/lead/', '/api/v1/data/search/']);
    expect(v.requests[1]!.headers.authorization).toBe(BASIC);
    expect(v.requests[1]!.json).toEqual({
      query: {
        type: 'and',
        queries: [
          { type: 'object_type', object_type: 'lead' },
          {
            type: 'field_condition',
            field: { type: 'custom_field', custom_field_id: LEAD_ID_FIELD },
            condition: { type: 'text', mode: 'exact_value', value: 'lead_01J8Z3W6PQ4B7N2M5K8X' },
          },
        ],
      },
      _fields: { lead: ['id', 'display_name'] },
      _limit: 1,
    });
  });

  it('dedupe by email: a retry searches the contact emails, and creates the lead when none is found', async () => {
    const v = await close({ 'POST /api/v1/lead/': created, 'POST /api/v1/data/search/': searchResult([]) });
    const result = await createClose(config(v.origin)).deliver(
      sampleLead({ fields: { name: 'Ada Lovelace', email: 'Ada@Example.com' } }),
      deliveryContext({ attempt: 3 }),
    );
    expect(result.kind).toBe('ok');
    expect(v.requests.map((r) => r.path)).toEqual(['/api/v1/data/search/', '/api/v1/lead/']);
    expect(v.requests[0]!.json).toEqual(closeLookupQuery({ email: 'ada@example.com' }));
    expect(JSON.stringify(v.requests[0]!.json)).toContain(
      '"related_query":{"type":"field_condition","field":{"type":"regular_field","object_type":"contact_email","field_name":"email"},"condition":{"type":"text","mode":"exact_value","value":"ada@example.com"}}',
    );
  });

  it('400 with field-errors fails for good naming the field', async () => {
    const v = await close({
      'POST /api/v1/lead/': {
        status: 400,
        body: { errors: [], 'field-errors': { status_id: 'Lead status does not exist.' } },
      },
    });
    const result = await deliverOnce(createClose(config(v.origin, { statusId: STATUS })));
    expect(result).toEqual({
      kind: 'fail',
      status: 400,
      reason:
        'Close (lead create) answered 400: status_id: Lead status does not exist. Fix the named field (a mapping in "fields", statusId or leadIdField), then replay.',
    });
  });

  it('401 fails with a hint to check the API key', async () => {
    const v = await close({
      'POST /api/v1/lead/': { status: 401, body: { error: 'The API key is invalid.' } },
    });
    const result = await deliverOnce(createClose(config(v.origin)));
    expect(result).toEqual({
      kind: 'fail',
      status: 401,
      reason:
        'Close (lead create) answered 401: The API key is invalid. Check apiKey (Close → Settings → Developer → API Keys), then replay.',
    });
  });

  // Forms from Close's "Rate Limits" page and the official client's tests (closeio/closeio-api tests/test_api.py).
  it('429 waits rate_reset (body, else RateLimit or RateLimit-Reset header; Retry-After wins); 5xx retries', async () => {
    const answers: VendorAnswer[] = [
      {
        status: 429,
        body: { error: { rate_reset: 1.5, message: 'API call count exceeded for this 15 second window' } },
      },
      {
        status: 429,
        headers: { ratelimit: 'limit=100, remaining=0, reset=4' },
        body: { error: 'Too many requests' },
      },
      {
        status: 429,
        headers: { 'retry-after': '9', ratelimit: 'limit=100, remaining=0, reset=4' },
        body: {},
      },
      { status: 429, headers: { 'ratelimit-reset': '2' }, body: {} },
      { status: 503, body: 'Service Unavailable' },
    ];
    const v = await close({ 'POST /api/v1/lead/': (_req, i) => answers[i]! });
    const dest = createClose(config(v.origin));
    const results = await deliverTimes(dest, answers.length);
    expect(results.map(outcomeOf)).toEqual([
      [429, 1500],
      [429, 4000],
      [429, 9000],
      [429, 2000],
      [503, undefined],
    ]);
    expect(results[0]!.kind === 'retry' && results[0]!.reason).toBe(
      'Close (lead create) answered 429: API call count exceeded for this 15 second window',
    );
  });

  it('a failing search on a retry ends the attempt (retried) without creating a lead', async () => {
    const v = await close({
      'POST /api/v1/lead/': created,
      'POST /api/v1/data/search/': { status: 502, body: 'Bad Gateway' },
    });
    const result = await createClose(config(v.origin)).deliver(sampleLead(), deliveryContext({ attempt: 2 }));
    expect(result).toMatchObject({ kind: 'retry', status: 502 });
    expect(v.requests.map((r) => r.path)).toEqual(['/api/v1/data/search/']);
  });

  it('config errors name the key', () => {
    const bad = CloseDestinationSchema.safeParse({
      type: 'close',
      name: 'c',
      apiKey: '',
      statusId: 'Potential',
      leadIdField: 'Lead id',
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['apiKey', 'statusId', 'leadIdField']);
  });
});
