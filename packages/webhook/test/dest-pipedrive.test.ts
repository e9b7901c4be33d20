import { describe, expect, it } from 'vitest';
import { createPipedrive, PipedriveDestinationSchema } from '../src/destinations/pipedrive.js';
import {
  byRoute,
  deliverOnce,
  deliverTimes,
  deliveryContext,
  type FakeVendor,
  outcomeOf,
  type Route,
  sampleLead,
  useVendorDoubles,
  type VendorAnswer,
} from './dest-helpers.js';

const TOKEN = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';
const LEAD_UUID = 'adf21080-0e10-11eb-879b-05d71fb426ec';
const LEAD_ID_FIELD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

const startVendor = useVendorDoubles();

// Pipedrive v1's documented envelopes: { success, data, additional_data } and { success: false, error, error_info }.
const found = (id: number): VendorAnswer => ({
  status: 200,
  body: {
    success: true,
    data: {
      items: [
        {
          result_score: 1.0,
          item: { id, type: 'person', name: 'Ada Lovelace', emails: ['ada@example.com'] },
        },
      ],
    },
    additional_data: { pagination: { start: 0, limit: 1, more_items_in_collection: false } },
  },
});
const none: VendorAnswer = {
  status: 200,
  body: {
    success: true,
    data: { items: [] },
    additional_data: { pagination: { start: 0, limit: 1, more_items_in_collection: false } },
  },
};
const personCreated: VendorAnswer = {
  status: 201,
  body: { success: true, data: { id: 77, name: 'Ada Lovelace' } },
};
const leadCreated: VendorAnswer = {
  status: 201,
  body: {
    success: true,
    data: {
      id: LEAD_UUID,
      title: 'Ada Lovelace (Analytical Engines Ltd)',
      person_id: 42,
      source_name: 'API',
    },
  },
};
const noteCreated: VendorAnswer = {
  status: 201,
  body: { success: true, data: { id: 9001, lead_id: LEAD_UUID } },
};
const failure = (status: number, error: string, extra: Record<string, unknown> = {}): VendorAnswer => ({
  status,
  body: {
    success: false,
    error,
    error_info: 'Please check developers.pipedrive.com for more information about Pipedrive API.',
    data: null,
    ...extra,
  },
});

/** A Pipedrive double routed by method and path; `over` replaces an answer. */
function pipedrive(over: Record<string, Route> = {}) {
  const routes = {
    'GET /v1/persons/search': found(42),
    'POST /v1/persons': personCreated,
    'GET /v1/leads/search': none,
    'POST /v1/leads': leadCreated,
    'POST /v1/notes': noteCreated,
    ...over,
  };
  return startVendor(byRoute(routes, (req) => failure(404, `no route ${req.method} ${req.path}`)));
}

/** A token-authenticated destination on the double's /v1; `over` adds or replaces config keys. */
const config = (v: FakeVendor, over: Record<string, unknown> = {}) => ({
  type: 'pipedrive' as const,
  name: 'pd',
  apiToken: TOKEN,
  baseUrl: `${v.origin}/v1`,
  ...over,
});

const steps = (v: FakeVendor) => v.requests.map((r) => `${r.method} ${r.path}`);

describe('Pipedrive', () => {
  it('finds the person by email, creates a lead linked to them, and notes the attribution', async () => {
    const v = await pipedrive();
    const dest = createPipedrive(config(v, { ownerId: 5 }));
    const result = await deliverOnce(dest);
    expect(result).toEqual({
      kind: 'ok',
      detail: `person 42 found; lead ${LEAD_UUID} created with attribution note`,
    });
    expect(steps(v)).toEqual(['GET /v1/persons/search', 'POST /v1/leads', 'POST /v1/notes']);

    const [search, lead, note] = v.requests;
    expect(Object.fromEntries(search!.query)).toEqual({
      term: 'ada@example.com',
      fields: 'email',
      exact_match: 'true',
      limit: '1',
      api_token: TOKEN,
    });
    expect(lead!.query.get('api_token')).toBe(TOKEN);
    expect(lead!.headers['content-type']).toBe('application/json');
    expect(lead!.json).toEqual({
      title: 'Ada Lovelace (Analytical Engines Ltd)',
      person_id: 42,
      owner_id: 5,
    });
    const noteBody = note!.json as { content: string; lead_id: string };
    expect(noteBody.lead_id).toBe(LEAD_UUID);
    expect(noteBody.content).toContain('<b>Channel (last touch):</b> Paid Search');
    expect(noteBody.content).toContain('<b>Source / medium:</b> google / cpc');
    expect(noteBody.content).toContain('<b>First touch:</b> Organic Search');
    expect(noteBody.content).toContain('<b>Click ids:</b> gclid=Cj0KCQjw');
    expect(noteBody.content).toContain('<b>Leadkit lead:</b> lead_01J8Z3W6PQ4B7N2M5K8X');
  });

  it('creates the person when the search finds none, with email and phone as Pipedrive arrays', async () => {
    const v = await pipedrive({ 'GET /v1/persons/search': none });
    const dest = createPipedrive(config(v));
    const result = await deliverOnce(dest);
    expect(result.kind === 'ok' && result.detail).toMatch(/^person 77 created; lead /);
    expect(steps(v)).toEqual([
      'GET /v1/persons/search',
      'POST /v1/persons',
      'POST /v1/leads',
      'POST /v1/notes',
    ]);
    expect(v.requests[1]!.json).toEqual({
      name: 'Ada Lovelace',
      email: [{ value: 'ada@example.com', primary: true, label: 'work' }],
      phone: [{ value: '+44 20 7946 0000', primary: true, label: 'work' }],
    });
    expect((v.requests[2]!.json as { person_id: number }).person_id).toBe(77);
  });

  it('OAuth: a Bearer header and no api_token in the URL; custom fields and labels from config', async () => {
    const v = await pipedrive();
    const dest = createPipedrive({
      type: 'pipedrive',
      name: 'pd',
      accessToken: 'oauth-access-token',
      baseUrl: `${v.origin}/v1`,
      labelIds: ['f08b42a0-4e75-11ea-9643-03698ef1cfd6'],
      fields: { '5f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a': 'utm_campaign' },
      note: false,
    });
    expect((await deliverOnce(dest)).kind).toBe('ok');
    expect(steps(v)).toEqual(['GET /v1/persons/search', 'POST /v1/leads']);
    for (const r of v.requests) {
      expect(r.headers.authorization).toBe('Bearer oauth-access-token');
      expect(r.query.has('api_token')).toBe(false);
    }
    expect(v.requests[1]!.json).toMatchObject({
      '5f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a': 'spring_launch',
      label_ids: ['f08b42a0-4e75-11ea-9643-03698ef1cfd6'],
    });
  });

  it('escapes visitor-controlled values in the note HTML', async () => {
    const v = await pipedrive();
    const dest = createPipedrive(config(v));
    await dest.deliver(
      sampleLead({ fields: { email: 'a@b.co', message: '<img src=x onerror=alert(1)> & "hi"' } }),
      deliveryContext(),
    );
    const content = (v.requests.at(-1)!.json as { content: string }).content;
    expect(content).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;hi&quot;');
    expect(content).not.toContain('<img');
  });

  it('401 fails, says to check the token, and never shows it', async () => {
    const v = await pipedrive({
      'GET /v1/persons/search': failure(401, 'unauthorized access', { errorCode: 401 }),
    });
    const dest = createPipedrive(config(v));
    const result = await deliverOnce(dest);
    expect(result).toMatchObject({ kind: 'fail', status: 401 });
    expect(result.kind === 'fail' && result.reason).toBe(
      'Pipedrive (person search) answered 401: unauthorized access: Please check developers.pipedrive.com for more information about Pipedrive API. Check the API token (or OAuth token) in the destination config, then replay.',
    );
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(steps(v)).toEqual(['GET /v1/persons/search']);
  });

  it('404 (wrong base URL) and 422/400 validation errors fail; nothing after them is sent', async () => {
    const v = await pipedrive({
      'POST /v1/leads': failure(400, 'Validation failed: person_id: Person not found'),
    });
    const wrongBase = createPipedrive(config(v, { baseUrl: `${v.origin}/api/v9` }));
    const notFound = await deliverOnce(wrongBase);
    expect(notFound).toMatchObject({ kind: 'fail', status: 404 });
    expect(notFound.kind === 'fail' && notFound.reason).toContain('Check baseUrl');

    const dest = createPipedrive(config(v));
    const invalid = await deliverOnce(dest);
    expect(invalid).toMatchObject({ kind: 'fail', status: 400 });
    expect(invalid.kind === 'fail' && invalid.reason).toContain(
      '(lead create) answered 400: Validation failed: person_id: Person not found',
    );
    expect(steps(v).at(-1)).toBe('POST /v1/leads');

    await v.close();
    const v2 = await pipedrive({
      'POST /v1/persons': failure(422, 'Unprocessable entity'),
      'GET /v1/persons/search': none,
    });
    const unprocessable = await deliverOnce(createPipedrive(config(v2)));
    expect(unprocessable).toMatchObject({ kind: 'fail', status: 422 });
  });

  it('429 retries after Retry-After, or after x-ratelimit-reset; 5xx retries', async () => {
    let calls = 0;
    const v = await pipedrive({
      'GET /v1/persons/search': () => {
        calls++;
        if (calls === 1) return { ...failure(429, 'Rate limit exceeded'), headers: { 'retry-after': '3' } };
        if (calls === 2)
          return { ...failure(429, 'Rate limit exceeded'), headers: { 'x-ratelimit-reset': '2' } };
        return failure(503, 'Service unavailable');
      },
    });
    const dest = createPipedrive(config(v));
    expect((await deliverTimes(dest, 3)).map(outcomeOf)).toEqual([
      [429, 3000],
      [429, 2000],
      [503, undefined],
    ]);
  });

  it('a note that fails after the lead exists still counts as delivered (a retry would duplicate the lead)', async () => {
    const v = await pipedrive({ 'POST /v1/notes': failure(500, 'Internal server error') });
    const dest = createPipedrive(config(v));
    const result = await deliverOnce(dest);
    expect(result.kind).toBe('ok');
    expect(result.kind === 'ok' && result.detail).toContain(
      `lead ${LEAD_UUID} created; attribution note not added: Pipedrive (note create) answered 500`,
    );
  });

  it('with leadIdField, a retry finds the lead it already created instead of making a second', async () => {
    const v = await pipedrive({
      'GET /v1/leads/search': (req) =>
        req.query.get('term') === 'lead_01J8Z3W6PQ4B7N2M5K8X' && req.query.get('person_id') === '42'
          ? {
              status: 200,
              body: {
                success: true,
                data: { items: [{ result_score: 1, item: { id: LEAD_UUID, title: 'Ada' } }] },
              },
            }
          : none,
    });
    const dest = createPipedrive(config(v, { leadIdField: LEAD_ID_FIELD }));

    await dest.deliver(sampleLead(), deliveryContext({ attempt: 1 }));
    expect(steps(v)).toEqual(['GET /v1/persons/search', 'POST /v1/leads', 'POST /v1/notes']);
    expect((v.requests[1]!.json as Record<string, unknown>)[LEAD_ID_FIELD]).toBe('lead_01J8Z3W6PQ4B7N2M5K8X');

    v.requests.length = 0;
    const retry = await dest.deliver(sampleLead(), deliveryContext({ attempt: 2 }));
    expect(retry).toEqual({ kind: 'ok', detail: `person 42 found; lead ${LEAD_UUID} already existed` });
    expect(steps(v)).toEqual(['GET /v1/persons/search', 'GET /v1/leads/search']);
    expect(Object.fromEntries(v.requests[1]!.query)).toMatchObject({
      fields: 'custom_fields',
      exact_match: 'true',
    });
  });

  it('a lead without email skips the search and still gets a person', async () => {
    const v = await pipedrive();
    const dest = createPipedrive(config(v));
    await dest.deliver(sampleLead({ fields: { name: 'Grace Hopper', phone: '555' } }), deliveryContext());
    expect(steps(v)).toEqual(['POST /v1/persons', 'POST /v1/leads', 'POST /v1/notes']);
    expect(v.requests[0]!.json).toEqual({
      name: 'Grace Hopper',
      phone: [{ value: '555', primary: true, label: 'work' }],
    });
  });
});

describe('Pipedrive config', () => {
  it('needs exactly one credential and checks key shapes', () => {
    const both = PipedriveDestinationSchema.safeParse({
      type: 'pipedrive',
      name: 'p',
      apiToken: 'a',
      accessToken: 'b',
    });
    expect(both.success).toBe(false);
    expect(both.error!.issues[0]!.message).toBe(
      'set exactly one of apiToken (personal API token) or accessToken (OAuth)',
    );
    const neither = PipedriveDestinationSchema.safeParse({ type: 'pipedrive', name: 'p' });
    expect(neither.success).toBe(false);
    const badKey = PipedriveDestinationSchema.safeParse({
      type: 'pipedrive',
      name: 'p',
      apiToken: 'a',
      leadIdField: 'Lead id',
    });
    expect(badKey.error!.issues[0]).toMatchObject({
      path: ['leadIdField'],
      message: 'must be a 40-character custom field key',
    });
  });
});
