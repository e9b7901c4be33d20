import { describe, expect, it } from 'vitest';
import { createHubSpot, HubSpotDestinationSchema } from '../src/destinations/hubspot.js';
import {
  deliverOnce,
  deliverTimes,
  deliveryContext,
  HUTK,
  outcomeOf,
  type RecordedRequest,
  sampleLead,
  useVendorDoubles,
  type VendorAnswer,
} from './dest-helpers.js';

const PORTAL = '2468013';
const FORM = 'f6b1c2d3-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

const hubspot = useVendorDoubles();

const formConfig = (origin: string, over: Record<string, unknown> = {}) => ({
  type: 'hubspot' as const,
  mode: 'form' as const,
  name: 'hs',
  portalId: PORTAL,
  formGuid: FORM,
  baseUrl: origin,
  ...over,
});

// HubSpot's documented bodies (Forms v3 legacy docs; CRM v3 error shape).
const formOk: VendorAnswer = { status: 200, body: { inlineMessage: 'Thanks for submitting the form.' } };
const formError = (errors: { message: string; errorType: string }[]): VendorAnswer => ({
  status: 400,
  body: {
    status: 'error',
    message: 'The request is not valid',
    correlationId: 'a1b2c3d4-0000-4000-8000-000000000000',
    errors,
  },
});

type Field = { objectTypeId: string; name: string; value: string };
const fieldsOf = (req: RecordedRequest) =>
  Object.fromEntries(((req.json as { fields: Field[] }).fields ?? []).map((f) => [f.name, f.value]));

describe('HubSpot Forms API v3 (mode "form")', () => {
  it('posts the documented submission: fields with objectTypeId 0-1, context with hutk/pageUri/pageName, consent', async () => {
    const v = await hubspot(() => formOk);
    const dest = createHubSpot(formConfig(v.origin));
    const result = await deliverOnce(dest);
    expect(result).toEqual({ kind: 'ok' });

    expect(v.requests).toHaveLength(1);
    const req = v.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/submissions/v3/integration/submit/${PORTAL}/${FORM}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.authorization).toBeUndefined();
    const body = req.json as Record<string, unknown>;
    for (const f of body.fields as Field[]) expect(f.objectTypeId).toBe('0-1');
    expect(fieldsOf(req)).toEqual({
      email: 'ada@example.com',
      firstname: 'Ada',
      lastname: 'Lovelace',
      company: 'Analytical Engines Ltd',
      phone: '+44 20 7946 0000',
      message: 'We would like a demo.',
      utm_source: 'google',
      utm_medium: 'cpc',
      utm_campaign: 'spring_launch',
      utm_term: 'difference engine',
      utm_content: 'ad_a',
      leadkit_first_touch_channel: 'Organic Search',
      leadkit_first_touch_source: 'google',
      leadkit_first_touch_medium: 'organic',
      leadkit_last_touch_channel: 'Paid Search',
      leadkit_last_touch_source: 'google',
      leadkit_last_touch_medium: 'cpc',
      leadkit_last_touch_campaign: 'spring_launch',
    });
    expect(body.context).toEqual({
      hutk: HUTK,
      pageUri: 'https://www.example.com/contact',
      pageName: 'Contact sales',
    });
    expect(body.submittedAt).toBe(String(Date.parse('2026-09-01T09:59:58Z')));
    expect(body.legalConsentOptions).toEqual({
      consent: { consentToProcess: true, text: 'I agree to be contacted about my request.' },
    });
    // The hutk field is context, never a form field.
    expect(fieldsOf(req)).not.toHaveProperty('hutk');
  });

  it('uses the authenticated endpoint with a Bearer token, and consent communications when configured', async () => {
    const v = await hubspot(() => formOk);
    const dest = createHubSpot(
      formConfig(v.origin, {
        portalId: Number(PORTAL),
        accessToken: 'pat-na1-11111111-2222-3333-4444-555555555555',
        legalConsent: { type: 'consent', subscriptionTypeId: 999, communicationText: 'Send me news' },
      }),
    );
    expect((await deliverOnce(dest)).kind).toBe('ok');
    const req = v.requests[0]!;
    expect(req.path).toBe(`/submissions/v3/integration/secure/submit/${PORTAL}/${FORM}`);
    expect(req.headers.authorization).toBe('Bearer pat-na1-11111111-2222-3333-4444-555555555555');
    expect((req.json as { legalConsentOptions: unknown }).legalConsentOptions).toEqual({
      consent: {
        consentToProcess: true,
        text: 'I agree to be contacted about my request.',
        communications: [{ value: true, subscriptionTypeId: 999, text: 'Send me news' }],
      },
    });
  });

  it('sends legitimate interest when configured that way', async () => {
    const v = await hubspot(() => formOk);
    const dest = createHubSpot(
      formConfig(v.origin, {
        legalConsent: {
          type: 'legitimateInterest',
          subscriptionTypeId: 12,
          legalBasis: 'LEAD',
          text: 'We process your data to answer you.',
        },
      }),
    );
    await dest.deliver(sampleLead({ consent: undefined }), deliveryContext());
    expect((v.requests[0]!.json as { legalConsentOptions: unknown }).legalConsentOptions).toEqual({
      legitimateInterest: {
        value: true,
        subscriptionTypeId: 12,
        legalBasis: 'LEAD',
        text: 'We process your data to answer you.',
      },
    });
  });

  it('leaves out a hutk that is not HubSpot-shaped, and consent without text', async () => {
    const v = await hubspot(() => formOk);
    const dest = createHubSpot(formConfig(v.origin));
    const lead = sampleLead({
      fields: { email: 'a@b.co', hutk: '37184' },
      consent: { granted: true },
      page: undefined,
    });
    await dest.deliver(lead, deliveryContext());
    const body = v.requests[0]!.json as Record<string, unknown>;
    expect(body).not.toHaveProperty('context');
    expect(body).not.toHaveProperty('legalConsentOptions');
  });

  it('INVALID_EMAIL is permanent: fail with HubSpot\u2019s error and what to do', async () => {
    const v = await hubspot(() =>
      formError([{ message: "Error in 'fields.email'. Invalid email address", errorType: 'INVALID_EMAIL' }]),
    );
    const dest = createHubSpot(formConfig(v.origin));
    const result = await deliverOnce(dest);
    expect(result).toMatchObject({ kind: 'fail', status: 400 });
    expect(result.kind === 'fail' && result.reason).toBe(
      "HubSpot answered 400: INVALID_EMAIL: Error in 'fields.email'. Invalid email address. The lead has an email HubSpot will not accept; correct it and replay if it matters.",
    );
    expect(v.requests).toHaveLength(1);
  });

  it('FIELD_NOT_IN_FORM_DEFINITION: resends without those fields, reports them, and skips them next time', async () => {
    const onForm = new Set(['email', 'firstname', 'lastname', 'company', 'phone', 'message']);
    const v = await hubspot((req) => {
      const unknown = Object.keys(fieldsOf(req)).filter((n) => !onForm.has(n));
      if (unknown.length === 0) return formOk;
      return formError(
        unknown.map((n) => ({
          message: `Error in 'fields.${n}'. Field '${n}' is not in the form definition`,
          errorType: 'FIELD_NOT_IN_FORM_DEFINITION',
        })),
      );
    });
    const dest = createHubSpot(formConfig(v.origin));
    const first = await deliverOnce(dest);
    expect(first.kind).toBe('ok');
    expect(first.kind === 'ok' && first.detail).toMatch(
      /^skipped fields HubSpot does not have: utm_source, .*leadkit_last_touch_campaign \(create them in HubSpot, or set them to null in "fields"\)$/,
    );
    expect(v.requests).toHaveLength(2);
    expect(Object.keys(fieldsOf(v.requests[1]!)).sort()).toEqual([...onForm].sort());

    const second = await deliverOnce(dest);
    expect(second.kind).toBe('ok');
    expect(v.requests).toHaveLength(3);
  });

  it('INVALID_HUTK: resends without the hutk so the lead still lands', async () => {
    const v = await hubspot((req) =>
      (req.json as { context?: { hutk?: string } }).context?.hutk
        ? formError([
            { message: `Error in 'context.hutk'. '${HUTK}' is not a valid Hutk`, errorType: 'INVALID_HUTK' },
          ])
        : formOk,
    );
    const dest = createHubSpot(formConfig(v.origin));
    const result = await deliverOnce(dest);
    expect(result.kind).toBe('ok');
    expect(result.kind === 'ok' && result.detail).toContain('sent without the hutk');
    expect(v.requests).toHaveLength(2);
    expect((v.requests[1]!.json as { context: object }).context).toEqual({
      pageUri: 'https://www.example.com/contact',
      pageName: 'Contact sales',
    });
  });

  it('429: retry after Retry-After, or after HubSpot\u2019s 10 s window when it gives none', async () => {
    const rateLimited = {
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    };
    const v = await hubspot((_req, i) =>
      i === 0
        ? { status: 429, headers: { 'retry-after': '7' }, body: rateLimited }
        : { status: 429, body: rateLimited },
    );
    const dest = createHubSpot(formConfig(v.origin));
    const results = await deliverTimes(dest, 2);
    expect(results.map(outcomeOf)).toEqual([
      [429, 7000],
      [429, 10_000],
    ]);
    expect(results[1]!.kind === 'retry' && results[1]!.reason).toContain(
      'RATE_LIMIT: You have reached your ten_secondly_rolling limit.',
    );
  });

  it('5xx retries; 404 fails and points at portalId/formGuid', async () => {
    const v = await hubspot((_req, i) =>
      i === 0
        ? { status: 502, body: '<html>Bad Gateway</html>' }
        : { status: 404, body: { status: 'error', message: 'Form not found' } },
    );
    const dest = createHubSpot(formConfig(v.origin));
    expect(await deliverOnce(dest)).toMatchObject({ kind: 'retry', status: 502 });
    const notFound = await deliverOnce(dest);
    expect(notFound).toMatchObject({ kind: 'fail', status: 404 });
    expect(notFound.kind === 'fail' && notFound.reason).toContain(
      'Check portalId and formGuid (and baseUrl).',
    );
  });
});

describe('HubSpot CRM contact upsert (mode "contact")', () => {
  const token = 'pat-na1-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
  const contactConfig = (origin: string) => ({
    type: 'hubspot' as const,
    mode: 'contact' as const,
    name: 'crm',
    accessToken: token,
    baseUrl: origin,
  });
  const upserted = (isNew: boolean): VendorAnswer => ({
    status: 200,
    body: {
      status: 'COMPLETE',
      results: [
        {
          id: '51234',
          properties: { email: 'ada@example.com' },
          createdAt: '2026-09-01T10:00:00Z',
          updatedAt: '2026-09-01T10:00:00Z',
          archived: false,
          new: isNew,
        },
      ],
      startedAt: '2026-09-01T10:00:00Z',
      completedAt: '2026-09-01T10:00:00Z',
    },
  });

  it('upserts by email with the documented batch body and a Bearer token', async () => {
    const v = await hubspot((_req, i) => upserted(i === 0));
    const dest = createHubSpot(contactConfig(v.origin));
    expect(await deliverOnce(dest)).toEqual({
      kind: 'ok',
      detail: 'contact 51234 created',
    });
    expect(await deliverOnce(dest)).toEqual({
      kind: 'ok',
      detail: 'contact 51234 updated',
    });
    const req = v.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/crm/v3/objects/contacts/batch/upsert');
    expect(req.headers.authorization).toBe(`Bearer ${token}`);
    const { inputs } = req.json as {
      inputs: { id: string; idProperty: string; properties: Record<string, string> }[];
    };
    expect(inputs).toHaveLength(1);
    expect(inputs[0]!.id).toBe('ada@example.com');
    expect(inputs[0]!.idProperty).toBe('email');
    expect(inputs[0]!.properties).toMatchObject({
      firstname: 'Ada',
      lastname: 'Lovelace',
      utm_campaign: 'spring_launch',
    });
    expect(inputs[0]!.properties).not.toHaveProperty('email');
  });

  it('PROPERTY_DOESNT_EXIST: resends without the missing properties', async () => {
    const v = await hubspot((req) => {
      const props = (req.json as { inputs: { properties: Record<string, string> }[] }).inputs[0]!.properties;
      const missing = Object.keys(props).filter((p) => p.startsWith('leadkit_'));
      if (missing.length === 0) return upserted(true);
      const errors = missing.map((name) => ({
        isValid: false,
        message: `Property "${name}" does not exist`,
        error: 'PROPERTY_DOESNT_EXIST',
        name,
        localizedErrorMessage: `Property "${name}" does not exist`,
        portalId: 2468013,
      }));
      return {
        status: 400,
        body: {
          status: 'error',
          message: `Property values were not valid: ${JSON.stringify(errors)}`,
          correlationId: 'c0ffee00-0000-4000-8000-000000000000',
          category: 'VALIDATION_ERROR',
        },
      };
    });
    const dest = createHubSpot(contactConfig(v.origin));
    const result = await deliverOnce(dest);
    expect(result.kind).toBe('ok');
    expect(result.kind === 'ok' && result.detail).toContain(
      'contact 51234 created; skipped fields HubSpot does not have: leadkit_first_touch_channel',
    );
    expect(v.requests).toHaveLength(2);
  });

  it('401 fails and says to check the token; a lead without email fails without a request', async () => {
    const v = await hubspot(() => ({
      status: 401,
      body: {
        status: 'error',
        message: 'Authentication credentials not found.',
        correlationId: 'x',
        category: 'INVALID_AUTHENTICATION',
      },
    }));
    const dest = createHubSpot(contactConfig(v.origin));
    const denied = await deliverOnce(dest);
    expect(denied).toMatchObject({ kind: 'fail', status: 401 });
    expect(denied.kind === 'fail' && denied.reason).toContain(
      'INVALID_AUTHENTICATION: Authentication credentials not found. Check the private app token',
    );
    expect(denied.kind === 'fail' && denied.reason).not.toContain(token);

    const noEmail = await dest.deliver(sampleLead({ fields: { name: 'Anon' } }), deliveryContext());
    expect(noEmail).toMatchObject({ kind: 'fail' });
    expect(noEmail.kind === 'fail' && noEmail.reason).toContain('needs an email');
    expect(v.requests).toHaveLength(1);
  });
});

describe('HubSpot config', () => {
  it('names what is wrong', () => {
    const r = HubSpotDestinationSchema.safeParse({
      type: 'hubspot',
      mode: 'form',
      name: 'hs',
      portalId: 'abc',
      formGuid: 'nope',
    });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toContain('portalId: must be the numeric portal (hub) id');
    expect(messages).toContain('formGuid: must be the form GUID');
    const contact = HubSpotDestinationSchema.safeParse({ type: 'hubspot', mode: 'contact', name: 'c' });
    expect(contact.success).toBe(false);
  });
});
