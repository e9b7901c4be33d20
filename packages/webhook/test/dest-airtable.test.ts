import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { AirtableDestinationSchema, createAirtable } from '../src/destinations/airtable.js';
import {
  answersFirstAfterTimeout,
  DEFAULT_COLUMNS,
  deliverOnce,
  deliverTimes,
  deliveryContext,
  type FakeVendor,
  forwardTo,
  outcomeOf,
  type RecordedRequest,
  SAMPLE_LEAD_COLUMNS,
  sampleLead,
  useVendorDoubles,
  type VendorAnswer,
} from './dest-helpers.js';
import { PACKAGE_DIR } from './helpers.js';

const BASE_ID = 'appD4ZbkJKz8WCRq1';
const TABLE_ID = 'tblQ3tVtXUv8wkJ5m';
const TOKEN = 'patAbC123dEf456.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const LEAD_ID = 'lead_01J8Z3W6PQ4B7N2M5K8X';
const PATH = `/v0/${BASE_ID}/${TABLE_ID}`;

const startVendor = useVendorDoubles();

/** Airtable's error body (airtable.com/developers/web/api/errors). */
const airtableError = (status: number, type: string, message: string): VendorAnswer => ({
  status,
  body: { error: { type, message } },
});

const ALL_FIELDS = DEFAULT_COLUMNS;

interface FakeTable {
  v: FakeVendor;
  records: { id: string; createdTime: string; fields: Record<string, unknown> }[];
}

/**
 * A table as Airtable's update/create-records endpoints treat it: upsert on fieldsToMergeOn (no match
 * creates, one updates, several fail), UNKNOWN_FIELD_NAME for fields the table lacks. `override` may
 * answer instead.
 */
async function fakeAirtable(
  options: {
    fields?: string[];
    override?: (req: RecordedRequest, i: number) => VendorAnswer | undefined;
  } = {},
): Promise<FakeTable> {
  const columns = new Set(options.fields ?? ALL_FIELDS);
  const records: FakeTable['records'] = [];
  const v = await startVendor((req, i) => {
    const replaced = options.override?.(req, i);
    if (replaced) return replaced;
    if (req.path !== PATH) {
      return airtableError(404, 'NOT_FOUND', 'Could not find what you are looking for');
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      return airtableError(401, 'AUTHENTICATION_REQUIRED', 'Authentication required');
    }
    const body = req.json as {
      records: { fields: Record<string, unknown> }[];
      typecast?: boolean;
      performUpsert?: { fieldsToMergeOn: string[] };
    };
    for (const record of body.records) {
      const unknown = Object.keys(record.fields).find((name) => !columns.has(name));
      if (unknown) return airtableError(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: "${unknown}"`);
    }
    const answer: {
      records: FakeTable['records'][number][];
      createdRecords?: string[];
      updatedRecords?: string[];
    } = {
      records: [],
    };
    const create = (fields: Record<string, unknown>) => {
      const created = {
        id: `rec${String(records.length + 1).padStart(14, '0')}`,
        createdTime: '2026-09-01T10:00:01.000Z',
        fields,
      };
      records.push(created);
      return created;
    };
    if (req.method === 'POST') {
      for (const r of body.records) answer.records.push(create(r.fields));
      return { status: 200, body: answer };
    }
    if (req.method === 'PATCH' && body.performUpsert) {
      answer.createdRecords = [];
      answer.updatedRecords = [];
      for (const r of body.records) {
        const merge = body.performUpsert.fieldsToMergeOn;
        const matches = records.filter((existing) =>
          merge.every((name) => existing.fields[name] === r.fields[name]),
        );
        if (matches.length > 1) {
          return airtableError(
            422,
            'INVALID_REQUEST_UNKNOWN',
            'Multiple records matched the fieldsToMergeOn',
          );
        }
        if (matches.length === 1) {
          Object.assign(matches[0]!.fields, r.fields);
          answer.records.push(matches[0]!);
          answer.updatedRecords.push(matches[0]!.id);
        } else {
          const created = create(r.fields);
          answer.records.push(created);
          answer.createdRecords.push(created.id);
        }
      }
      return { status: 200, body: answer };
    }
    return airtableError(422, 'INVALID_REQUEST_UNKNOWN', 'Invalid request: parameter validation failed');
  });
  return { v, records };
}

const config = (origin: string, over: Record<string, unknown> = {}) => ({
  type: 'airtable' as const,
  name: 'airtable',
  baseId: BASE_ID,
  table: TABLE_ID,
  accessToken: TOKEN,
  baseUrl: origin,
  ...over,
});

/** The default fields of sampleLead(): Airtable is sent no field the lead has no value for. */
const DEFAULT_FIELDS = Object.fromEntries(
  Object.entries(SAMPLE_LEAD_COLUMNS).filter(([, value]) => value !== undefined),
);

describe('Airtable', () => {
  it('upserts one record on the lead id with typecast, by PATCH with performUpsert', async () => {
    const t = await fakeAirtable();
    const result = await deliverOnce(createAirtable(config(t.v.origin)));
    expect(result).toEqual({ kind: 'ok', status: 200, detail: 'record rec00000000000001 created' });
    const [req] = t.v.requests;
    expect(req!.method).toBe('PATCH');
    expect(req!.path).toBe(PATH);
    expect(req!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.json).toEqual({
      performUpsert: { fieldsToMergeOn: ['Lead id'] },
      records: [{ fields: DEFAULT_FIELDS }],
      typecast: true,
    });
    expect(t.records).toHaveLength(1);
  });

  it('a retry after a timeout updates the same record instead of adding one', async () => {
    const attempt1 = new AbortController();
    const t = await fakeAirtable();
    // The first upsert is stored, but its answer comes after the attempt timed out.
    const slow = await startVendor(answersFirstAfterTimeout(attempt1, forwardTo(t.v.origin), 20));
    const dest = createAirtable(config(slow.origin));
    const first = await dest.deliver(sampleLead(), deliveryContext({ signal: attempt1.signal }));
    expect(first).toMatchObject({
      kind: 'retry',
      reason: expect.stringMatching(/did not answer before the attempt timed out/),
    });
    expect(t.records).toHaveLength(1);
    const second = await dest.deliver(sampleLead(), deliveryContext({ attempt: 2 }));
    expect(second).toEqual({ kind: 'ok', status: 200, detail: 'record rec00000000000001 updated' });
    expect(t.records).toHaveLength(1);
    expect(t.v.requests).toHaveLength(2);
  });

  it('merges on configured fields; mergeOn null creates with POST', async () => {
    const t = await fakeAirtable();
    const byEmail = createAirtable(config(t.v.origin, { mergeOn: ['Email'], typecast: false }));
    await deliverOnce(byEmail);
    await byEmail.deliver(sampleLead({ id: 'lead_second' }), deliveryContext());
    expect(t.records).toHaveLength(1);
    expect(t.records[0]!.fields['Lead id']).toBe('lead_second');
    expect(t.v.requests[0]!.json).toMatchObject({
      performUpsert: { fieldsToMergeOn: ['Email'] },
      typecast: false,
    });

    const create = createAirtable(config(t.v.origin, { mergeOn: null }));
    const result = await deliverOnce(create);
    expect(result).toEqual({ kind: 'ok', status: 200, detail: 'record rec00000000000002 created' });
    const post = t.v.requests.at(-1)!;
    expect(post.method).toBe('POST');
    expect(post.path).toBe(PATH);
    expect(post.json).toEqual({ records: [{ fields: DEFAULT_FIELDS }], typecast: true });
  });

  it('a field the table lacks is dropped and reported; later leads skip it without a failed request', async () => {
    const t = await fakeAirtable({ fields: ALL_FIELDS.filter((f) => !f.startsWith('First ')) });
    const dest = createAirtable(config(t.v.origin));
    const result = await deliverOnce(dest);
    const skipped =
      'skipped fields Airtable does not have: First source, First medium (create them in Airtable, or set them to null in "fields")';
    expect(result).toEqual({
      kind: 'ok',
      status: 200,
      detail: `record rec00000000000001 created; ${skipped}`,
    });
    expect(t.v.requests).toHaveLength(3);
    const again = await dest.deliver(sampleLead({ id: 'lead_second' }), deliveryContext());
    expect(again).toEqual({
      kind: 'ok',
      status: 200,
      detail: `record rec00000000000002 created; ${skipped}`,
    });
    expect(t.v.requests).toHaveLength(4);
    expect(
      Object.keys((t.v.requests[3]!.json as { records: { fields: object }[] }).records[0]!.fields),
    ).not.toContain('First source');
  });

  it('a missing merge field fails for good with a hint to create it', async () => {
    const t = await fakeAirtable({ fields: ALL_FIELDS.filter((f) => f !== 'Lead id') });
    const result = await deliverOnce(createAirtable(config(t.v.origin)));
    expect(result).toEqual({
      kind: 'fail',
      status: 422,
      reason:
        'Airtable answered 422: UNKNOWN_FIELD_NAME: Unknown field name: "Lead id". Retries find the record by "Lead id": add a single line text field named "Lead id" to the table, then replay.',
    });
  });

  it('INVALID_VALUE_FOR_COLUMN stops the row naming the field', async () => {
    const t = await fakeAirtable({
      override: () =>
        airtableError(422, 'INVALID_VALUE_FOR_COLUMN', 'Field "Received" cannot accept the provided value'),
    });
    const result = await deliverOnce(createAirtable(config(t.v.origin)));
    expect(result).toEqual({
      kind: 'fail',
      status: 422,
      reason:
        'Airtable answered 422: INVALID_VALUE_FOR_COLUMN: Field "Received" cannot accept the provided value. Make "Received" a text field in Airtable (or a type typecast can fill), or map it elsewhere / set it to null in "fields", then replay.',
    });
  });

  it('several records with the same lead id fail the upsert for good (Airtable: "the request will fail")', async () => {
    const t = await fakeAirtable();
    // Airtable documents that the request fails, not the error's type or text: these are the double's.
    for (const id of ['rec00000000000091', 'rec00000000000092'])
      t.records.push({ id, createdTime: '2026-08-01T10:00:00.000Z', fields: { 'Lead id': LEAD_ID } });
    const result = await createAirtable(config(t.v.origin)).deliver(
      sampleLead(),
      deliveryContext({ attempt: 2 }),
    );
    expect(result).toEqual({
      kind: 'fail',
      status: 422,
      reason:
        'Airtable answered 422: INVALID_REQUEST_UNKNOWN: Multiple records matched the fieldsToMergeOn. Fix what Airtable names (a mapping in "fields", or the table), then replay.',
    });
    expect(t.records).toHaveLength(2);
  });

  it('a bad token or a wrong base / missing scope fails for good with a hint', async () => {
    const t = await fakeAirtable();
    const badToken = await deliverOnce(createAirtable(config(t.v.origin, { accessToken: 'patWrong.x' })));
    expect(badToken).toEqual({
      kind: 'fail',
      status: 401,
      reason:
        'Airtable answered 401: AUTHENTICATION_REQUIRED: Authentication required. Check accessToken: a personal access token from airtable.com/create/tokens, then replay.',
    });
    await t.v.close();
    const denied = await fakeAirtable({
      override: () =>
        airtableError(
          403,
          'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
          'Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.',
        ),
    });
    const result = await deliverOnce(createAirtable(config(denied.v.origin)));
    expect(result).toMatchObject({ kind: 'fail', status: 403 });
    expect(result.kind === 'fail' && result.reason).toMatch(
      /^Airtable answered 403: INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND: Invalid permissions, or the requested model was not found\..* Check baseId and table, and that the token has the data\.records:write scope and this base in its access list, then replay\.$/,
    );
  });

  it('429 waits Airtable’s 30 s unless Retry-After says otherwise; 5xx retries', async () => {
    // Airtable documents the 429 message, not its body's shape; the wait does not depend on the body.
    const answers: VendorAnswer[] = [
      airtableError(429, 'RATE_LIMIT_REACHED', 'Rate limit exceeded. Please try again later'),
      {
        ...airtableError(429, 'RATE_LIMIT_REACHED', 'Rate limit exceeded. Please try again later'),
        headers: { 'retry-after': '45' },
      },
      { status: 503, body: 'Service Unavailable' },
    ];
    const t = await fakeAirtable({ override: (_req, i) => answers[i] });
    const dest = createAirtable(config(t.v.origin));
    const results = await deliverTimes(dest, answers.length);
    expect(results.map(outcomeOf)).toEqual([
      [429, 30_000],
      [429, 45_000],
      [503, undefined],
    ]);
    expect(results[0]).toMatchObject({
      reason: 'Airtable answered 429: RATE_LIMIT_REACHED: Rate limit exceeded. Please try again later',
    });
  });

  it('a lead without a value for the merge field fails before any request', async () => {
    const t = await fakeAirtable();
    const result = await createAirtable(config(t.v.origin, { mergeOn: ['Email'] })).deliver(
      sampleLead({ fields: { name: 'Ada Lovelace', phone: '+44 20 7946 0000' } }),
      deliveryContext(),
    );
    expect(result).toEqual({
      kind: 'fail',
      reason:
        'Airtable finds the record by "Email" and this lead has no value for it; map it to a source every lead has (such as lead_id), or send such leads elsewhere with "when"',
    });
    expect(t.v.requests).toHaveLength(0);
  });

  it('config errors name the key', () => {
    const bad = AirtableDestinationSchema.safeParse({
      type: 'airtable',
      name: 'a',
      baseId: 'https://airtable.com/appD4ZbkJKz8WCRq1',
      table: '',
      accessToken: '',
      mergeOn: ['Lead ID'],
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual([
      'baseId',
      'table',
      'accessToken',
      'mergeOn.0',
    ]);
    const unknownMerge = AirtableDestinationSchema.safeParse({
      ...config('https://api.airtable.com'),
      mergeOn: ['Lead ID'],
    });
    expect(unknownMerge.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      [
        'mergeOn.0',
        '"Lead ID" is not a field this destination sends; add it to "fields" (e.g. "Lead ID": "lead_id")',
      ],
    ]);
    const dropped = AirtableDestinationSchema.safeParse({
      ...config('https://api.airtable.com'),
      fields: { 'Lead id': null },
    });
    expect(dropped.error!.issues.map((i) => i.path.join('.'))).toEqual(['mergeOn.0']);
  });

  it('the example in docs/destinations.md is a valid config', () => {
    const doc = readFileSync(join(PACKAGE_DIR, 'docs', 'destinations.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Airtable'));
    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]!);
    const parsed = parseConfig({ destinations: [example] }, { env: { AIRTABLE_TOKEN: TOKEN } });
    expect(parsed.destinations[0]).toMatchObject({
      type: 'airtable',
      accessToken: TOKEN,
      mergeOn: ['Lead id'],
    });
  });
});
