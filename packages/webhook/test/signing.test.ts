import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateSecret, signWebhook, verifyWebhook, WebhookVerificationError } from '../src/signing.js';

// The spec's cross-library vectors (research/delivery.md §1.2).
const VECTORS = [
  {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
    signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  },
  {
    secret: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
    id: 'msg_27UH4WbU6Z5A5EzD8u03UvzRbpk',
    timestamp: 1649367553,
    body: '{"email":"test@example.com","username":"test_user"}',
    signature: 'v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=',
  },
  {
    secret: 'whsec_plJ3nmyCDGBKInavdOK15jsl',
    id: 'msg_loFOjxBNrRLzqYUf',
    timestamp: 1731705121,
    body: '{"event_type":"ping","data":{"success":true}}',
    signature: 'v1,rAvfW3dJ/X/qxhsaXPOyyCGmRKsaKWcsNccKXlIktD0=',
  },
];

function headersFor(v: (typeof VECTORS)[number], signature = v.signature) {
  return { 'webhook-id': v.id, 'webhook-timestamp': String(v.timestamp), 'webhook-signature': signature };
}

describe('signWebhook (golden vectors)', () => {
  for (const v of VECTORS) {
    it(`signs ${v.id} exactly as the spec's libraries do`, () => {
      expect(signWebhook(v.secret, v.id, v.timestamp, v.body)).toBe(v.signature);
    });
  }

  it('signs with every secret during a rotation, space-separated, in the given order', () => {
    const [a, b] = VECTORS;
    const header = signWebhook([a!.secret, b!.secret], a!.id, a!.timestamp, a!.body);
    const entries = header.split(' ');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toBe(a!.signature);
    expect(entries[1]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(entries[1]).not.toBe(a!.signature);
  });

  it('refuses ids with a dot (they would make the signed content ambiguous)', () => {
    expect(() => signWebhook(VECTORS[0]!.secret, 'a.b', 1, '{}')).toThrow(/must not contain a dot/);
  });
});

describe('verifyWebhook', () => {
  for (const v of VECTORS) {
    it(`verifies ${v.id} at its own time and returns the parsed body`, () => {
      const out = verifyWebhook({
        secret: v.secret,
        headers: headersFor(v),
        body: v.body,
        now: new Date(v.timestamp * 1000),
      });
      expect(out).toEqual({ id: v.id, timestamp: v.timestamp, payload: JSON.parse(v.body) });
    });
  }

  const v = VECTORS[0]!;
  const at = new Date(v.timestamp * 1000);

  it('accepts any matching entry among several, and any of several secrets', () => {
    const other = generateSecret();
    const header = `v1a,bm90LWVkMjU1MTk= v1,AAAA ${v.signature}`;
    expect(
      verifyWebhook({ secret: [other, v.secret], headers: headersFor(v, header), body: v.body, now: at }),
    ).toMatchObject({ id: v.id });
  });

  it('rejects a changed body, a wrong secret, stale and future timestamps, missing headers', () => {
    const fail = (o: Partial<Parameters<typeof verifyWebhook>[0]>) =>
      verifyWebhook({ secret: v.secret, headers: headersFor(v), body: v.body, now: at, ...o });
    expect(() => fail({ body: '{"test":2432232314}' })).toThrow(/No webhook-signature entry matches/);
    expect(() => fail({ secret: generateSecret() })).toThrow(WebhookVerificationError);
    expect(() => fail({ now: new Date(at.getTime() + 301_000) })).toThrow(/301s old \(tolerance 300s\)/);
    expect(() => fail({ now: new Date(at.getTime() - 301_000) })).toThrow(/in the future/);
    expect(fail({ now: new Date(at.getTime() + 3_600_000), toleranceSeconds: 7200 })).toMatchObject({
      id: v.id,
    });
    expect(() => fail({ headers: { 'webhook-id': v.id } })).toThrow(/Missing webhook-id/);
    expect(() => fail({ headers: headersFor(v, 'v1,not base64!') })).toThrow(/No webhook-signature/);
  });

  it('reads Fetch Headers and mixed-case Node header objects alike', () => {
    const h = new Headers(headersFor(v));
    expect(verifyWebhook({ secret: v.secret, headers: h, body: v.body, now: at })).toMatchObject({
      id: v.id,
    });
    const mixed = {
      'Webhook-Id': v.id,
      'WEBHOOK-TIMESTAMP': String(v.timestamp),
      'webhook-signature': [v.signature],
    };
    expect(verifyWebhook({ secret: v.secret, headers: mixed, body: v.body, now: at })).toMatchObject({
      id: v.id,
    });
  });
});

describe('interop with the standardwebhooks package', () => {
  it('our signatures verify with standardwebhooks, and theirs with verifyWebhook', () => {
    const secret = generateSecret();
    const id = 'lead_interop_1';
    const body = JSON.stringify({ type: 'lead.created', data: { note: 'ünïcödé ✓' } });
    const ts = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': signWebhook(secret, id, ts, body),
    };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));

    const theirs = new Webhook(secret).sign(id, new Date(ts * 1000), body);
    expect(
      verifyWebhook({ secret, headers: { ...headers, 'webhook-signature': theirs }, body }),
    ).toMatchObject({
      id,
      payload: JSON.parse(body),
    });
  });

  it('generateSecret makes 32-byte whsec_ secrets standardwebhooks accepts', () => {
    const s = generateSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(s.slice(6), 'base64')).toHaveLength(32);
    expect(() => new Webhook(s)).not.toThrow();
  });
});
