import { describe, expect, it } from 'vitest';
import { createSalesforce, SalesforceDestinationSchema } from '../src/destinations/salesforce.js';
import {
  deliverOnce,
  deliverTimes,
  deliveryContext,
  outcomeOf,
  sampleLead,
  useVendorDoubles,
  type VendorAnswer,
  type VendorScript,
} from './dest-helpers.js';

const LEAD_ID = 'lead_01J8Z3W6PQ4B7N2M5K8X';
const TOKEN = '00D5g000004XyZa!AQ0AQHv2.token';
const SF_ID = '00Q5g00000ABCDeEAF';

const startVendor = useVendorDoubles();

const salesforce = (answer: VendorScript) => startVendor(answer);

// Salesforce REST's documented bodies: upsert success, and the array of { message, errorCode, fields }.
const created: VendorAnswer = { status: 201, body: { id: SF_ID, success: true, errors: [], created: true } };
const updated: VendorAnswer = { status: 200, body: { id: SF_ID, success: true, errors: [], created: false } };
const sfError = (
  status: number,
  errorCode: string,
  message: string,
  fields: string[] = [],
): VendorAnswer => ({
  status,
  body: [{ message, errorCode, fields }],
});

/** The fields of an org without custom fields: the standard Lead fields the default mapping fills. */
const STANDARD_FIELDS = new Set([
  'FirstName',
  'LastName',
  'Email',
  'Company',
  'Phone',
  'Description',
  'LeadSource',
]);
/** An org that, as Salesforce does, names one unknown field per INVALID_FIELD answer. */
const orgWithStandardFieldsOnly: VendorScript = (req) => {
  const missing = Object.keys(req.json as object).find((k) => !STANDARD_FIELDS.has(k));
  return missing
    ? sfError(400, 'INVALID_FIELD', `No such column '${missing}' on sobject of type Lead`)
    : created;
};

const rest = (origin: string, extra: Record<string, unknown> = {}) =>
  createSalesforce({
    type: 'salesforce',
    mode: 'rest',
    name: 'sf',
    instanceUrl: origin,
    accessToken: TOKEN,
    ...extra,
  });

describe('Salesforce REST upsert (mode "rest")', () => {
  it('PATCHes the Lead on the external id with the lead id, Bearer token and the mapped fields', async () => {
    const v = await salesforce((_r, i) => (i === 0 ? created : updated));
    const dest = rest(v.origin, { autoAssign: false });
    expect(await deliverOnce(dest)).toEqual({
      kind: 'ok',
      status: 201,
      detail: `Lead ${SF_ID} created`,
    });
    expect(await deliverOnce(dest)).toEqual({
      kind: 'ok',
      status: 200,
      detail: `Lead ${SF_ID} updated`,
    });
    const req = v.requests[0]!;
    expect(req.method).toBe('PATCH');
    expect(req.path).toBe(`/services/data/v62.0/sobjects/Lead/LeadCaptureId__c/${LEAD_ID}`);
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['sforce-auto-assign']).toBe('FALSE');
    expect(req.json).toEqual({
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Email: 'ada@example.com',
      Company: 'Analytical Engines Ltd',
      Phone: '+44 20 7946 0000',
      Description: 'We would like a demo.',
      LeadSource: 'Organic Search',
      UTM_Source__c: 'google',
      UTM_Medium__c: 'cpc',
      UTM_Campaign__c: 'spring_launch',
      UTM_Term__c: 'difference engine',
      UTM_Content__c: 'ad_a',
      Leadkit_First_Touch_Channel__c: 'Organic Search',
      Leadkit_First_Touch_Source__c: 'google',
      Leadkit_First_Touch_Medium__c: 'organic',
      Leadkit_Last_Touch_Channel__c: 'Paid Search',
      Leadkit_Last_Touch_Source__c: 'google',
      Leadkit_Last_Touch_Medium__c: 'cpc',
      Leadkit_Last_Touch_Campaign__c: 'spring_launch',
    });
  });

  it('honours apiVersion, externalIdField and field overrides (null drops a default)', async () => {
    const v = await salesforce(() => created);
    const dest = rest(v.origin, {
      apiVersion: '60.0',
      externalIdField: 'Web_Lead_Id__c',
      fields: { LeadSource: { value: 'Web' }, UTM_Term__c: null, GCLID__c: 'gclid' },
    });
    await deliverOnce(dest);
    const req = v.requests[0]!;
    expect(req.path).toBe(`/services/data/v60.0/sobjects/Lead/Web_Lead_Id__c/${LEAD_ID}`);
    expect(req.json).toMatchObject({ LeadSource: 'Web', GCLID__c: 'Cj0KCQjw' });
    expect(req.json).not.toHaveProperty('UTM_Term__c');
    expect(req.headers).not.toHaveProperty('sforce-auto-assign');
  });

  it('INVALID_FIELD: drops each field the org lacks (Salesforce names one per answer) and remembers them', async () => {
    const v = await salesforce(orgWithStandardFieldsOnly);
    const dest = rest(v.origin);
    const result = await deliverOnce(dest);
    expect(result.kind).toBe('ok');
    expect(result.kind === 'ok' && result.detail).toContain(
      `Lead ${SF_ID} created; skipped fields Salesforce does not have: UTM_Source__c, UTM_Medium__c`,
    );
    expect(v.requests).toHaveLength(13); // 12 custom fields, one at a time, then the accepted request
    expect(Object.keys(v.requests.at(-1)!.json as object).sort()).toEqual([...STANDARD_FIELDS].sort());
    await deliverOnce(dest);
    expect(v.requests).toHaveLength(14);
  });

  it('an org lacking more fields than one attempt may resend: retry, and the next attempt carries on', async () => {
    const v = await salesforce(orgWithStandardFieldsOnly);
    const extra = Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`Extra_${n}__c`, { value: String(n) }]));
    const dest = rest(v.origin, { fields: extra });
    const first = await deliverOnce(dest);
    expect(first).toMatchObject({ kind: 'retry', status: 400 });
    expect(first.kind === 'retry' && first.reason).toBe(
      'Salesforce rejected unknown fields 16 times in one attempt; the next attempt resends without them',
    );
    const second = await dest.deliver(sampleLead(), deliveryContext({ attempt: 2 }));
    expect(second).toMatchObject({ kind: 'ok', status: 201 });
    expect(v.requests).toHaveLength(16 + 3);
  });

  it('401 INVALID_SESSION_ID with a fixed token fails and says to refresh it', async () => {
    const v = await salesforce(() => sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'));
    const result = await deliverOnce(rest(v.origin));
    expect(result).toMatchObject({ kind: 'fail', status: 401 });
    expect(result.kind === 'fail' && result.reason).toBe(
      'Salesforce answered 401: INVALID_SESSION_ID: Session expired or invalid. The access token expired or is invalid: give the destination a fresh one (or a function that refreshes it), then replay.',
    );
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('401 with a token function retries, and the next attempt asks the function again', async () => {
    let issued = 0;
    const v = await salesforce((req) =>
      req.headers.authorization === 'Bearer token-2'
        ? created
        : sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
    );
    const dest = rest(v.origin, { accessToken: async () => `token-${++issued}` });
    expect(await deliverOnce(dest)).toMatchObject({ kind: 'retry', status: 401 });
    expect(await dest.deliver(sampleLead(), deliveryContext({ attempt: 2 }))).toMatchObject({
      kind: 'ok',
      status: 201,
    });
    expect(v.requests.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('REQUIRED_FIELD_MISSING fails; 300 (several records share the id) fails with what to do', async () => {
    const v = await salesforce((_r, i) =>
      i === 0
        ? sfError(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Industry]', ['Industry'])
        : {
            status: 300,
            body: [
              `/services/data/v62.0/sobjects/Lead/${SF_ID}`,
              '/services/data/v62.0/sobjects/Lead/00Q5g00000ABCDfEAF',
            ],
          },
    );
    const dest = rest(v.origin);
    const missing = await deliverOnce(dest);
    expect(missing).toMatchObject({ kind: 'fail', status: 400 });
    expect(missing.kind === 'fail' && missing.reason).toContain(
      'REQUIRED_FIELD_MISSING: Required fields are missing: [Industry]. Map the missing Lead fields',
    );
    const ambiguous = await deliverOnce(dest);
    expect(ambiguous).toMatchObject({ kind: 'fail', status: 300 });
    expect(ambiguous.kind === 'fail' && ambiguous.reason).toContain('several Leads share this external id');
  });

  it('transient error codes retry: UNABLE_TO_LOCK_ROW, REQUEST_LIMIT_EXCEEDED, 503 with a Retry-After date', async () => {
    const v = await salesforce((_r, i) => {
      if (i === 0)
        return sfError(400, 'UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record');
      if (i === 1) return sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
      return {
        status: 503,
        headers: { 'retry-after': 'Tue, 01 Sep 2026 10:02:00 GMT' },
        body: sfError(503, 'SERVER_UNAVAILABLE', 'Server unavailable').body,
      };
    });
    const dest = rest(v.origin);
    expect((await deliverTimes(dest, 3)).map(outcomeOf)).toEqual([
      [400, undefined],
      [403, undefined],
      [503, 120_000],
    ]);
  });

  it('404 NOT_FOUND (no such external id field) fails and names the setting', async () => {
    const v = await salesforce(() =>
      sfError(
        404,
        'NOT_FOUND',
        'Provided external ID field does not exist or is not accessible: LeadCaptureId__c',
      ),
    );
    const result = await deliverOnce(rest(v.origin));
    expect(result).toMatchObject({ kind: 'fail', status: 404 });
    expect(result.kind === 'fail' && result.reason).toContain('Check externalIdField');
  });
});

describe('Salesforce Web-to-Lead (mode "web-to-lead")', () => {
  const webToLead = (origin: string, over: Record<string, unknown> = {}) =>
    createSalesforce({
      type: 'salesforce',
      mode: 'web-to-lead',
      name: 'w2l',
      oid: '00D5g000004XyZa',
      baseUrl: origin,
      ...over,
    });

  it('posts the form-encoded fields with oid to /servlet/servlet.WebToLead?encoding=UTF-8', async () => {
    const v = await salesforce(() => ({ status: 200, body: '<html><head></head><body></body></html>' }));
    const dest = webToLead(v.origin, { fields: { '00N5g00000UtmSrc': 'utm_source' } });
    const result = await deliverOnce(dest);
    expect(result).toMatchObject({ kind: 'ok', status: 200 });
    expect(result.kind === 'ok' && result.detail).toContain('reports problems only by email');
    const req = v.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/servlet/servlet.WebToLead');
    expect(req.query.get('encoding')).toBe('UTF-8');
    expect(req.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({
      oid: '00D5g000004XyZa',
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      company: 'Analytical Engines Ltd',
      phone: '+44 20 7946 0000',
      description: 'We would like a demo.',
      lead_source: 'Organic Search',
      '00N5g00000UtmSrc': 'google',
    });
  });

  it('fills the required last_name and company for a lead that has neither; 5xx retries', async () => {
    const v = await salesforce((_r, i) =>
      i === 0 ? { status: 200, body: '' } : { status: 503, body: 'Service Unavailable' },
    );
    const dest = webToLead(v.origin);
    await dest.deliver(sampleLead({ fields: { email: 'x@y.z' } }), deliveryContext());
    const form = new URLSearchParams(v.requests[0]!.body);
    expect(form.get('last_name')).toBe('[not provided]');
    expect(form.get('company')).toBe('[not provided]');
    expect(await deliverOnce(dest)).toMatchObject({ kind: 'retry', status: 503 });
  });
});

describe('Salesforce config', () => {
  it('names what is wrong', () => {
    const r = SalesforceDestinationSchema.safeParse({
      type: 'salesforce',
      mode: 'web-to-lead',
      name: 'w',
      oid: '123',
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({
      path: ['oid'],
      message: 'must be the org id (00D..., 15 or 18 characters)',
    });
    const noToken = SalesforceDestinationSchema.safeParse({
      type: 'salesforce',
      mode: 'rest',
      name: 's',
      instanceUrl: 'https://acme.my.salesforce.com',
      accessToken: '',
    });
    expect(noToken.success).toBe(false);
  });
});
