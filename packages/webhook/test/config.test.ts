import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function issuesOf(input: unknown, env: Record<string, string> = {}) {
  try {
    parseConfig(input, { env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('fills every default from an empty config', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      allowedOrigins: [],
      security: { allowHosts: [] },
      destinations: [],
      rateLimit: {
        perIp: { points: 20, durationSeconds: 60 },
        perForm: { points: 600, durationSeconds: 60 },
      },
      spam: { honeypotField: '_gotcha', minFillMs: 2000 },
      retentionDays: 90,
      store: { path: './leadkit.db' },
      port: 8787,
      host: '127.0.0.1',
      trustProxy: false,
      storeIp: false,
      maxBodyBytes: 65_536,
      delivery: { timeoutMs: 15_000, concurrency: 16, leaseMs: 60_000, pollMs: 1000, jitter: 0.1 },
    });
    expect(c.adminToken).toBeUndefined();
    expect(c.spam.turnstile).toBeUndefined();
  });

  it('is idempotent: a parsed config parses to itself', () => {
    const once = parseConfig({ allowedOrigins: ['https://Example.com'], rateLimit: false });
    expect(parseConfig(once)).toEqual(once);
    expect(once.allowedOrigins).toEqual(['https://example.com']);
  });

  it('resolves { "env": NAME } anywhere, and names both key and variable when unset', () => {
    const input = {
      adminToken: { env: 'LK_ADMIN' },
      security: { allowHosts: ['127.0.0.1'] },
      destinations: [
        { type: 'webhook', name: 'crm', url: 'http://127.0.0.1:9/x', secret: { env: 'LK_SECRET' } },
      ],
    };
    const c = parseConfig(input, { env: { LK_ADMIN: 'a'.repeat(24), LK_SECRET: SECRET } });
    expect(c.adminToken).toBe('a'.repeat(24));
    expect(c.destinations[0]).toMatchObject({ secret: SECRET });
    expect(issuesOf(input, { LK_ADMIN: 'a'.repeat(24) })).toEqual([
      {
        path: 'destinations[0].secret',
        message: 'environment variable LK_SECRET is not set; export it or put the value in the config',
      },
    ]);
  });

  it('names the key path and the problem for each mistake, all at once', () => {
    const issues = issuesOf({
      allowedOrigins: ['https://example.com/contact', 42],
      retentionDays: 0,
      adminToken: 'short',
      spam: { minFillMs: '2s', honeypot: 'x' },
      destinations: [
        { type: 'webhook', name: 'a', url: 'http://hooks.example.com/x', secret: 'not-a-secret' },
        { type: 'webhook', name: 'a', url: 'https://hooks.example.com/x', secret: 'whsec_c2hvcnQ=' },
        { type: 'zapier', name: 'z' },
      ],
    });
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath['allowedOrigins[0]']).toMatch(
      /not an origin; write scheme:\/\/host\[:port\] without a path/,
    );
    expect(byPath['allowedOrigins[1]']).toMatch(/expected string/);
    expect(byPath.retentionDays).toMatch(/>=1/);
    expect(byPath.adminToken).toMatch(/at least 16 characters/);
    expect(byPath['spam.minFillMs']).toMatch(/expected number/);
    expect(byPath.spam).toMatch(/Unrecognized key: "honeypot"/);
    expect(byPath['destinations[0].secret']).toMatch(/must start with "whsec_"/);
    expect(byPath['destinations[1].secret']).toMatch(
      /decodes to 5 bytes; Standard Webhooks secrets are 24-64/,
    );
    expect(byPath['destinations[2].type']).toMatch(/Invalid discriminator value. Expected 'webhook'/);
  });

  it('requires https destinations unless the host is in security.allowHosts', () => {
    const d = { type: 'webhook', name: 'local', url: 'http://127.0.0.1:9000/hook', secret: SECRET };
    expect(issuesOf({ destinations: [d] })).toEqual([
      {
        path: 'destinations[0].url',
        message:
          'must be https; plain http is only allowed for hosts in security.allowHosts (add "127.0.0.1" for a local receiver)',
      },
    ]);
    expect(
      parseConfig({ destinations: [d], security: { allowHosts: ['127.0.0.1'] } }).destinations,
    ).toHaveLength(1);
  });

  it('flags duplicate destination names and a lease not longer than the timeout', () => {
    const d = { type: 'webhook', name: 'same', url: 'https://a.example.com', secret: SECRET };
    const issues = issuesOf({ destinations: [d, d], delivery: { timeoutMs: 5000, leaseMs: 5000 } });
    expect(issues.map((i) => i.path)).toEqual([
      'delivery.leaseMs',
      'destinations[1].name',
      'delivery.leaseMs',
    ]);
    expect(issues[1]!.message).toBe('"same" is used twice');
  });

  it('validates channel rules (regexes compile) and rejects webhook-* custom headers', () => {
    const issues = issuesOf({
      channelRules: [{ channel: 'Partners', source: { regex: '(' } }],
      destinations: [
        {
          type: 'webhook',
          name: 'h',
          url: 'https://a.example.com',
          secret: SECRET,
          headers: { 'Webhook-Id': 'x' },
        },
      ],
    });
    expect(issues.map((i) => i.path).sort()).toEqual([
      'channelRules[0].source.regex',
      'destinations[0].headers.Webhook-Id',
    ]);
    const ok = parseConfig({ channelRules: [{ channel: 'Partners', source: ['partner-a', 'partner-b'] }] });
    expect(ok.channelRules).toEqual([{ channel: 'Partners', source: ['partner-a', 'partner-b'] }]);
  });
});
