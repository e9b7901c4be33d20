import { describe, expect, it } from 'vitest';
import { AttioDestinationSchema, createAttio } from '../src/destinations/attio.js';
import {
  byRoute,
  deliverOnce,
  deliveryContext,
  type Route,
  sampleLead,
  useVendorDoubles,
  type VendorAnswer,
} from './dest-helpers.js';

const TOKEN = '0b1f4c2e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c';
const RECORD_ID = 'bf071e1f-6035-429d-b874-d83ea64ea13b';

const startVendor = useVendorDoubles();

// Attio's documented answers (docs.attio.com: assert a person record, update a person record, create a
// note, the phone-number attribute type, rate limiting) and error shape.
const PERSON_PATH = `/v2/objects/people/records/${RECORD_ID}`;
const personRecord = (values: Record<string, unknown>): VendorAnswer => ({
  status: 200,
  body: {
    data: {
      id: {
        workspace_id: '14beef7a-99f7-4534-a87e-70b564330a4c',
        object_id: '97052eb9-e65e-443f-a297-f2d9a4a7f795',
        record_id: RECORD_ID,
      },
      created_at: '2026-09-01T10:00:01.061281000Z',
      web_url: `https://app.attio.com/acme/person/${RECORD_ID}`,
      values,
    },
  },
});
const phoneValue = (phone: string) => ({
  active_from: '2026-08-01T09:00:00.000000000Z',
  active_until: null,
  created_by_actor: { type: 'workspace-member', id: '175bec0c-f06a-4c45-9962-7a7a6be28b8a' },
  attribute_type: 'phone-number',
  original_phone_number: phone,
  normalized_phone_number: phone.replace(/ /g, ''),
  country_code: 'GB',
});
/** A person without the lead's phone number (a new person, or one known by another number). */
const asserted = personRecord({ phone_numbers: [phoneValue('+44 7700 900123')] });
/** A person who already has the lead's phone number. */
const assertedWithPhone = personRecord({ phone_numbers: [phoneValue('+442079460000')] });
const noteCreated: VendorAnswer = {
  status: 200,
  body: {
    data: {
      id: {
        workspace_id: '14beef7a-99f7-4534-a87e-70b564330a4c',
        note_id: 'ff3f3bd4-40f4-4f80-8187-cd02385af424',
      },
      parent_object: 'people',
      parent_record_id: RECORD_ID,
      title: 'Website enquiry (contact-sales)',
    },
  },
};
const attioError = (status: number, type: string, code: string, message: string): VendorAnswer => ({
  status,
  body: { status_code: status, type, code, message },
});

const attio = (routes: Record<string, Route>) =>
  startVendor(
    byRoute(routes, (req) =>
      attioError(404, 'invalid_request_error', 'not_found', `no route ${req.method} ${req.path}`),
    ),
  );

const config = (origin: string, over: Record<string, unknown> = {}) => ({
  type: 'attio' as const,
  name: 'attio',
  accessToken: TOKEN,
  baseUrl: origin,
  ...over,
});

describe('Attio', () => {
  it('asserts the person by email, adds the phone number, then notes the enquiry and attribution', async () => {
    const v = await attio({
      'PUT /v2/objects/people/records': asserted,
      [`PATCH ${PERSON_PATH}`]: assertedWithPhone,
      'POST /v2/notes': noteCreated,
    });
    const result = await deliverOnce(createAttio(config(v.origin)));
    expect(result).toEqual({
      kind: 'ok',
      detail: `person ${RECORD_ID} asserted; with phone number; with attribution note`,
    });
    expect(v.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /v2/objects/people/records',
      `PATCH ${PERSON_PATH}`,
      'POST /v2/notes',
    ]);
    const [person, phone, note] = v.requests;
    expect(Object.fromEntries(person!.query)).toEqual({ matching_attribute: 'email_addresses' });
    expect(person!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(person!.headers['content-type']).toBe('application/json');
    // No phone_numbers in the assert: it would replace the person's other numbers (multiselect).
    expect(person!.json).toEqual({
      data: {
        values: {
          email_addresses: ['ada@example.com'],
          name: [{ first_name: 'Ada', last_name: 'Lovelace', full_name: 'Ada Lovelace' }],
        },
      },
    });
    // PATCH prepends to a multiselect attribute, so the other numbers stay.
    expect(phone!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(phone!.json).toEqual({
      data: { values: { phone_numbers: [{ original_phone_number: '+44 20 7946 0000' }] } },
    });
    expect(note!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const body = (note!.json as { data: Record<string, string> }).data;
    expect({ ...body, content: undefined }).toEqual({
      parent_object: 'people',
      parent_record_id: RECORD_ID,
      title: 'Website enquiry (contact-sales)',
      format: 'plaintext',
      content: undefined,
    });
    expect(body.content!.split('\n')).toEqual([
      'Message: We would like a demo.',
      'Company: Analytical Engines Ltd',
      'Phone: +44 20 7946 0000',
      'Channel (last touch): Paid Search',
      'Source / medium: google / cpc',
      'Campaign: spring_launch',
      'First touch: Organic Search',
      'First source / medium: google / organic',
      'Landing page: https://www.example.com/blog/engines',
      'Referrer: https://www.google.com/',
      'Form page: https://www.example.com/contact',
      'Click ids: gclid=Cj0KCQjw',
      'Consent: granted: I agree to be contacted about my request.',
      'Leadkit lead: lead_01J8Z3W6PQ4B7N2M5K8X (form contact-sales)',
    ]);
  });

  it('dedupe: a retry asserts the same person again (the upsert matches on email); a number the person has is not added again; note off', async () => {
    const v = await attio({ 'PUT /v2/objects/people/records': assertedWithPhone });
    const dest = createAttio(config(v.origin, { note: false }));
    await deliverOnce(dest);
    const retry = await dest.deliver(sampleLead(), deliveryContext({ attempt: 2 }));
    expect(retry).toEqual({ kind: 'ok', detail: `person ${RECORD_ID} asserted` });
    expect(v.requests.map((r) => r.method)).toEqual(['PUT', 'PUT']);
    expect(v.requests[1]!.body).toBe(v.requests[0]!.body);
  });

  it('drops a mapped attribute the workspace lacks, resends, and skips it for later leads', async () => {
    const v = await attio({
      'PUT /v2/objects/people/records': (req) =>
        'utm_source' in (req.json as { data: { values: Record<string, unknown> } }).data.values
          ? attioError(
              400,
              'invalid_request_error',
              'value_not_found',
              'Cannot find attribute with slug/ID "utm_source".',
            )
          : assertedWithPhone,
      'POST /v2/notes': noteCreated,
    });
    const dest = createAttio(
      config(v.origin, { fields: { utm_source: 'utm_source', utm_campaign: 'utm_campaign' } }),
    );
    const first = await deliverOnce(dest);
    expect(first.kind === 'ok' && first.detail).toBe(
      `person ${RECORD_ID} asserted; with attribution note; skipped fields Attio does not have: utm_source (create them in Attio, or set them to null in "fields")`,
    );
    expect((v.requests[1]!.json as { data: { values: Record<string, unknown> } }).data.values).toMatchObject({
      utm_campaign: 'spring_launch',
    });
    await deliverOnce(dest);
    // Second lead: no failed round.
    expect(v.requests.map((r) => r.method)).toEqual(['PUT', 'PUT', 'POST', 'PUT', 'POST']);
  });

  it('a validation error fails for good, naming the attribute', async () => {
    const v = await attio({
      'PUT /v2/objects/people/records': {
        status: 400,
        body: {
          status_code: 400,
          type: 'invalid_request_error',
          code: 'validation_type',
          message: 'Body payload validation error.',
          path: ['data', 'values', 'email_addresses'],
        },
      },
    });
    const result = await deliverOnce(createAttio(config(v.origin)));
    expect(result).toEqual({
      kind: 'fail',
      status: 400,
      reason:
        'Attio (person) answered 400: validation_type: Body payload validation error. (at data.values.email_addresses). Fix the named attribute’s mapping in "fields" (or set it to null), then replay.',
    });
  });

  it('401 fails with a hint to check the token', async () => {
    const v = await attio({
      'PUT /v2/objects/people/records': attioError(
        401,
        'auth_error',
        'unauthorized',
        'Invalid access token.',
      ),
    });
    const result = await deliverOnce(createAttio(config(v.origin)));
    expect(result).toMatchObject({ kind: 'fail', status: 401 });
    expect(result.kind === 'fail' && result.reason).toBe(
      'Attio (person) answered 401: unauthorized: Invalid access token. Check accessToken (Attio → Workspace settings → Developers), then replay.',
    );
  });

  it('409 (concurrent write) retries; 429 retries at the Retry-After date; 5xx retries; a failing phone or note keeps the delivery done', async () => {
    const answers: VendorAnswer[] = [
      attioError(
        409,
        'invalid_request_error',
        'concurrent_write_conflict',
        'The record was modified by another request while this write was being validated. Please try again.',
      ),
      {
        status: 429,
        // An HTTP date, usually the next second (deliveryContext's clock is 2026-09-01T10:00:00Z).
        headers: { 'retry-after': 'Tue, 01 Sep 2026 10:00:03 GMT' },
        body: {
          status_code: 429,
          type: 'rate_limit_error',
          code: 'rate_limit_exceeded',
          message: 'Rate limit exceeded, please try again later',
        },
      },
      attioError(503, 'api_error', 'service_unavailable', 'Service unavailable'),
      asserted,
    ];
    const v = await attio({
      'PUT /v2/objects/people/records': (_req, i) => answers[i]!,
      [`PATCH ${PERSON_PATH}`]: attioError(
        400,
        'invalid_request_error',
        'validation_type',
        'Invalid phone number.',
      ),
      'POST /v2/notes': attioError(500, 'api_error', 'internal_error', 'Internal server error'),
    });
    const dest = createAttio(config(v.origin));
    expect(await deliverOnce(dest)).toEqual({
      kind: 'retry',
      status: 409,
      reason:
        'Attio (person) answered 409: concurrent_write_conflict: The record was modified by another request while this write was being validated. Please try again.',
    });
    expect(await deliverOnce(dest)).toEqual({
      kind: 'retry',
      status: 429,
      afterMs: 3000,
      reason: 'Attio (person) answered 429: rate_limit_exceeded: Rate limit exceeded, please try again later',
    });
    expect(await deliverOnce(dest)).toMatchObject({ kind: 'retry', status: 503 });
    expect(await deliverOnce(dest)).toEqual({
      kind: 'ok',
      detail: `person ${RECORD_ID} asserted; phone number not added: Attio (phone) answered 400: validation_type: Invalid phone number.; attribution note not added: Attio (note) answered 500: internal_error: Internal server error`,
    });
  });

  it('a lead without an email fails with what to do, and sends nothing', async () => {
    const v = await attio({});
    const result = await createAttio(config(v.origin)).deliver(
      sampleLead({ fields: { name: 'Ada', phone: '+44 20 7946 0000' } }),
      deliveryContext(),
    );
    expect(result.kind).toBe('fail');
    expect(result.kind === 'fail' && result.reason).toMatch(
      /matches people on their email and this lead has none/,
    );
    expect(v.requests).toHaveLength(0);
  });

  it('config errors name the key', () => {
    const bad = AttioDestinationSchema.safeParse({ type: 'attio', name: 'a', accessToken: '', note: 'yes' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['accessToken', 'note']);
  });
});
