/**
 * The signature-verification code on the CRM owners page, run as written: each snippet must accept a
 * request signed by @leadkit/webhook and refuse a tampered body. Node and Python always run; PHP runs
 * where `php` is installed, and must run in CI (LEADKIT_REQUIRE_PHP=1).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecret, signWebhook } from '@leadkit/webhook';
import { afterAll, describe, expect, it } from 'vitest';
import { DOCS } from './build-site.js';

const page = readFileSync(join(DOCS, 'content/crm-owners.md'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'leadkit-snippets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fenced code block of `language` that contains `marker`. */
function snippet(language: string, marker: string): string {
  const blocks = [...page.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map(
    (m) => m[1]!,
  );
  const found = blocks.find((b) => b.includes(marker));
  if (!found) throw new Error(`No ${language} block with "${marker}" in crm-owners.md`);
  return found;
}

const has = (command: string) => spawnSync(command, ['--version'], { encoding: 'utf8' }).status === 0;

const secret = generateSecret();
const id = 'lead_01HZX3J8Q2ABC';
const body = JSON.stringify({
  type: 'lead.created',
  data: { id, formId: 'contact', fields: { email: 'ada@example.com' } },
});
function request(options: { tamper?: boolean; oldTimestamp?: boolean } = {}) {
  const timestamp = Math.floor(Date.now() / 1000) - (options.oldTimestamp ? 3600 : 0);
  const headers = {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    // Two signatures, as while rotating secrets: the first from a secret the receiver does not have.
    'webhook-signature': signWebhook([generateSecret(), secret], id, timestamp, body),
  };
  return { secret, headers, body: options.tamper ? body.replace('ada@', 'eve@') : body };
}

/** Runs `program` with a request on stdin; the harness prints the email or the error. */
function run(command: string, file: string, input: object) {
  const r = spawnSync(command, [file], { input: JSON.stringify(input), encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}`.trim() };
}

const cases = [
  {
    language: 'Node (node:crypto)',
    command: process.execPath,
    available: true,
    file: 'verify.mjs',
    source: () => `import { readFileSync } from 'node:fs';
${snippet('js', 'node:crypto')}
const input = JSON.parse(readFileSync(0, 'utf8'));
console.log(verifyLeadkit(input.secret, input.headers, input.body).data.fields.email);`,
  },
  {
    language: 'Python (hmac, hashlib)',
    command: 'python3',
    available: has('python3'),
    file: 'verify.py',
    source: () => `${snippet('python', 'hashlib')}

import sys
request = json.load(sys.stdin)
print(verify_leadkit(request["secret"], request["headers"], request["body"].encode())["data"]["fields"]["email"])
`,
  },
  {
    language: 'PHP (hash_hmac)',
    command: 'php',
    // Developers without PHP skip it; CI (LEADKIT_REQUIRE_PHP=1) must run it.
    available: has('php') || process.env.LEADKIT_REQUIRE_PHP === '1',
    file: 'verify.php',
    // The page's snippet ends by reading a real request; the harness feeds it from stdin instead.
    source: () => `${snippet('php', 'hash_hmac').split('$headers = [')[0]}
$request = json_decode(file_get_contents('php://stdin'), true);
echo verify_leadkit($request['secret'], $request['headers'], $request['body'])['data']['fields']['email'], "\\n";
`,
  },
];

describe.each(cases)(
  '$language verification from the CRM owners page',
  ({ command, available, file, source }) => {
    it.skipIf(!available)('accepts a signed request, refuses a tampered body and an old timestamp', () => {
      const path = join(dir, file);
      writeFileSync(path, source());
      const good = run(command, path, request());
      expect(good).toEqual({ ok: true, out: 'ada@example.com' });
      const tampered = run(command, path, request({ tamper: true }));
      expect(tampered.ok).toBe(false);
      expect(tampered.out).toContain('no valid webhook-signature');
      const old = run(command, path, request({ oldTimestamp: true }));
      expect(old.ok).toBe(false);
      expect(old.out).toContain('too old or too new');
    });
  },
);
