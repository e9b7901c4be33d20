import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { createZoho, ZohoDestinationSchema } from '../src/destinations/zoho.js';
import {
  deliverOnce,
  deliveryContext,
  sampleLead,
  useVendorDoubles,
  type VendorAnswer,
} from './dest-helpers.js';

const TOKEN = '1000.8cb99dxxxxxxxxxxxxx9be93.9b8xxxxxxxxxxxxxxxf';
const allowLocal = { allowHosts: ['127.0.0.1'] };

const startVendor = useVendorDoubles();

// Zoho CRM v8 upsert answers, shaped as in Zoho's OpenAPI (github.com/zoho/crm-oas,
// v8.0/record/operations/upsertRecords): 200 for inserts and updates alike, duplicate_field set on both.
const upserted = (action: 'insert' | 'update'): VendorAnswer => ({
  status: 200,
  body: {
    data: [
      {
        code: 'SUCCESS',
        duplicate_field: 'Email',
        action,
        details: {
          Modified_Time: '2026-09-01T10:00:01+00:00',
          Modified_By: { name: 'Patricia Boyle', id: '554023000000235011' },
          Created_Time: '2026-09-01T10:00:01+00:00',
          id: '554023000000527002',
          Created_By: { name: 'Patricia Boyle', id: '554023000000235011' },
        },
        message: action === 'insert' ? 'record added' : 'record updated',
        status: 'success',
      },
    ],
  },
});
const recordError = (code: string, message: string, details: Record<string, unknown>): VendorAnswer => ({
  status: 400,
  body: { data: [{ code, details, message, status: 'error' }] },
});

const zoho = (answer: (index: number) => VendorAnswer) => startVendor((_req, index) => answer(index));

const config = (origin: string, over: Record<string, unknown> = {}) => ({
  type: 'zoho' as const,
  name: 'zoho',
  apiDomain: origin,
  accessToken: TOKEN,
  ...over,
});

describe('Zoho CRM', () => {
  it('upserts the lead into Leads with the documented body and header', async () => {
    const v = await zoho(() => upserted('insert'));
    const dest = createZoho(config(v.origin), allowLocal);
    const result = await deliverOnce(dest);
    expect(result).toEqual({ kind: 'ok', status: 200, detail: 'record 554023000000527002 created' });
    expect(v.requests).toHaveLength(1);
    const [req] = v.requests;
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe('/crm/v8/Leads/upsert');
    expect(req!.headers.authorization).toBe(`Zoho-oauthtoken ${TOKEN}`);
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.json).toEqual({
      data: [
        {
          First_Name: 'Ada',
          Last_Name: 'Lovelace',
          Email: 'ada@example.com',
          Company: 'Analytical Engines Ltd',
          Phone: '+44 20 7946 0000',
          Description: 'We would like a demo.',
          Lead_Source: 'Organic Search',
        },
      ],
      duplicate_check_fields: ['Email'],
      trigger: ['workflow'],
    });
  });

  it('dedupe: a retry of the same lead is an update Zoho matched on Email', async () => {
    const v = await zoho((i) => upserted(i === 0 ? 'insert' : 'update'));
    const dest = createZoho(config(v.origin), allowLocal);
    await deliverOnce(dest);
    const retry = await dest.deliver(sampleLead(), deliveryContext({ attempt: 2 }));
    expect(retry).toEqual({
      kind: 'ok',
      status: 200,
      detail: 'record 554023000000527002 updated (matched on Email)',
    });
    // Both attempts ask for the same upsert: no second insert path exists.
    expect(v.requests[1]!.json).toEqual(v.requests[0]!.json);
  });

  it('falls back for the mandatory Last_Name and Company; maps UTM fields only when configured', async () => {
    const v = await zoho(() => upserted('insert'));
    const dest = createZoho(
      config(v.origin, {
        module: 'Leads',
        trigger: [],
        fields: { UTM_Source: 'utm_source', UTM_Campaign: 'utm_campaign', Lead_Source: null },
      }),
      allowLocal,
    );
    await dest.deliver(sampleLead({ fields: { email: 'grace.hopper@example.com' } }), deliveryContext());
    expect(v.requests[0]!.json).toEqual({
      data: [
        {
          Last_Name: 'grace.hopper',
          Email: 'grace.hopper@example.com',
          Company: '[not provided]',
          UTM_Source: 'google',
          UTM_Campaign: 'spring_launch',
        },
      ],
      duplicate_check_fields: ['Email'],
      trigger: [],
    });
    await dest.deliver(sampleLead({ fields: { phone: '+1 555 0100' } }), deliveryContext());
    expect((v.requests[1]!.json as { data: Record<string, string>[] }).data[0]!.Last_Name).toBe('Unknown');
  });

  it('MANDATORY_NOT_FOUND and INVALID_DATA fail for good, naming the field', async () => {
    const v = await zoho((i) =>
      i === 0
        ? recordError('MANDATORY_NOT_FOUND', 'required field not found', {
            api_name: 'Company',
            json_path: '$.data[0].Company',
          })
        : recordError('INVALID_DATA', 'invalid data', {
            expected_data_type: 'email',
            api_name: 'Email',
            json_path: '$.data[0].Email',
          }),
    );
    const dest = createZoho(config(v.origin, { fields: { Company: 'company' } }), allowLocal);
    const missing = await dest.deliver(sampleLead({ fields: { email: 'a@b.co' } }), deliveryContext());
    expect(missing).toMatchObject({ kind: 'fail', status: 400 });
    expect(missing.kind === 'fail' && missing.reason).toBe(
      'Zoho CRM rejected the record: MANDATORY_NOT_FOUND: required field not found: field Company. The module requires Company: map it in "fields" (a constant such as { "value": "Website" } works), then replay.',
    );
    const invalid = await deliverOnce(dest);
    expect(invalid.kind).toBe('fail');
    expect(invalid.kind === 'fail' && invalid.reason).toContain('field Email');
    expect(invalid.kind === 'fail' && invalid.reason).toContain('(expected email)');
  });

  it('401 INVALID_TOKEN fails with a hint; with a token function it retries with a fresh token', async () => {
    const invalidToken: VendorAnswer = {
      status: 401,
      body: { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' },
    };
    const v = await zoho((i) => (i < 2 ? invalidToken : upserted('insert')));
    const fixed = createZoho(config(v.origin), allowLocal);
    const result = await deliverOnce(fixed);
    expect(result).toMatchObject({ kind: 'fail', status: 401 });
    expect(result.kind === 'fail' && result.reason).toMatch(
      /^Zoho CRM answered 401: INVALID_TOKEN: invalid oauth token\. The access token expired/,
    );

    let calls = 0;
    const refreshing = createZoho(
      config(v.origin, { accessToken: () => `1000.fresh-${++calls}` }),
      allowLocal,
    );
    const first = await deliverOnce(refreshing);
    expect(first).toMatchObject({ kind: 'retry', status: 401 });
    expect((await refreshing.deliver(sampleLead(), deliveryContext({ attempt: 2 }))).kind).toBe('ok');
    expect(v.requests.slice(1).map((r) => r.headers.authorization)).toEqual([
      'Zoho-oauthtoken 1000.fresh-1',
      'Zoho-oauthtoken 1000.fresh-2',
    ]);
  });

  it('429 retries after details.retry_after; 5xx retries', async () => {
    const v = await zoho((i) =>
      i === 0
        ? {
            status: 429,
            body: {
              code: 'TOO_MANY_REQUESTS',
              message: 'Rate limit exceeded. Please retry after the specified time.',
              status: 'error',
              details: { trace_id: 'rate-limit-trace-id-001', retry_after: 30, limit: 100, window: 60 },
            },
          }
        : {
            status: 500,
            body: { code: 'INTERNAL_ERROR', details: {}, message: 'Internal Server Error', status: 'error' },
          },
    );
    const dest = createZoho(config(v.origin), allowLocal);
    expect(await deliverOnce(dest)).toEqual({
      kind: 'retry',
      status: 429,
      afterMs: 30_000,
      reason:
        'Zoho CRM answered 429: TOO_MANY_REQUESTS: Rate limit exceeded. Please retry after the specified time.',
    });
    expect(await deliverOnce(dest)).toMatchObject({ kind: 'retry', status: 500 });
  });

  it('401 OAUTH_SCOPE_MISMATCH fails for good even with a token function (a refresh keeps the scopes)', async () => {
    const v = await zoho(() => ({
      status: 401,
      body: { code: 'OAUTH_SCOPE_MISMATCH', message: 'Unauthorized', status: 'error', details: {} },
    }));
    const dest = createZoho(config(v.origin, { accessToken: () => '1000.fresh' }), allowLocal);
    const result = await deliverOnce(dest);
    expect(result).toMatchObject({ kind: 'fail', status: 401 });
    expect(result.kind === 'fail' && result.reason).toBe(
      'Zoho CRM answered 401: OAUTH_SCOPE_MISMATCH: Unauthorized. The token lacks the scope to create records in this module (ZohoCRM.modules.leads.CREATE for Leads, or ZohoCRM.modules.ALL): generate a new token with it; refreshing keeps the old scopes.',
    );
  });

  it('403 NO_PERMISSION names the permissions; MULTIPLE_OR_MULTI_ERRORS names each field and the record', async () => {
    const v = await zoho((i) =>
      i === 0
        ? {
            status: 403,
            body: {
              code: 'NO_PERMISSION',
              message: 'Permission denied',
              status: 'error',
              details: { permissions: ['Crm_Implied_View_Leads'] },
            },
          }
        : {
            status: 400,
            body: {
              data: [
                {
                  code: 'MULTIPLE_OR_MULTI_ERRORS',
                  details: {
                    errors: [
                      {
                        code: 'DUPLICATE_DATA',
                        details: {
                          api_name: 'Mobile',
                          duplicate_record: {
                            Owner: { name: 'Patricia Boyle', id: '554023000000235011', zuid: '736078909' },
                            module: { api_name: 'Leads', id: '554023000000002175' },
                            id: '554023000000428295',
                          },
                          json_path: '$.data[0].Mobile',
                          more_records: false,
                        },
                        message: 'duplicate data',
                        status: 'error',
                      },
                    ],
                  },
                  message: 'Multiple errors in the request',
                  status: 'error',
                },
              ],
            },
          },
    );
    const dest = createZoho(config(v.origin), allowLocal);
    const denied = await deliverOnce(dest);
    expect(denied).toEqual({
      kind: 'fail',
      status: 403,
      reason:
        'Zoho CRM answered 403: NO_PERMISSION: Permission denied: needs Crm_Implied_View_Leads. The token’s user may not create or edit records in this module: give their profile the permissions named.',
    });
    const multiple = await deliverOnce(dest);
    expect(multiple).toEqual({
      kind: 'fail',
      status: 400,
      reason:
        'Zoho CRM rejected the record: MULTIPLE_OR_MULTI_ERRORS: Multiple errors in the request: DUPLICATE_DATA Mobile. Another record (554023000000428295) already holds this value in a unique field (Mobile): add that field to duplicateCheckFields or merge the records, then replay.',
    });
  });

  it('config: apiDomain must be a Zoho data centre unless security.allowHosts lists it; errors name the key', () => {
    expect(() => createZoho(config('https://crm.example.com'), { allowHosts: [] })).toThrow(
      /destination "zoho": apiDomain must be a Zoho data-centre API domain/,
    );
    expect(() => createZoho(config('https://www.zohoapis.eu'), { allowHosts: [] })).not.toThrow();
    expect(() => createZoho(config('http://www.zohoapis.eu'), { allowHosts: [] })).toThrow(/apiDomain/);

    expect(() =>
      parseConfig({
        destinations: [{ type: 'zoho', name: 'zoho', accessToken: 't', apiDomain: 'https://evil.example' }],
      }),
    ).toThrow(/destinations\[0\]\.apiDomain: must be a Zoho data-centre API domain/);

    const bad = ZohoDestinationSchema.safeParse({ type: 'zoho', name: 'z', accessToken: '', module: '1x' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['accessToken', 'module']);
    expect(ZohoDestinationSchema.parse({ type: 'zoho', name: 'z', accessToken: 't' })).toMatchObject({
      apiDomain: 'https://www.zohoapis.com',
      module: 'Leads',
      trigger: ['workflow'],
      duplicateCheckFields: ['Email'],
    });
  });
});
