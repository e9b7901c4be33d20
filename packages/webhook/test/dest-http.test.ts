import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, runDelivery, send } from '../src/destinations/http.js';
import { createGuardedFetch } from '../src/ssrf.js';
import { deliveryContext, type FakeVendor, startVendor } from './dest-helpers.js';

let vendor: FakeVendor;
// Answers are picked by path: /status/<code>, /slow (never answers), /big (a 1 MB body), /redirect.
const pending: (() => void)[] = [];

beforeAll(async () => {
  vendor = await startVendor(async (req) => {
    const [, kind, arg] = req.path.split('/');
    if (kind === 'status') {
      const status = Number(arg);
      const headers: Record<string, string> = {};
      const retryAfter = req.query.get('retry-after');
      if (retryAfter) headers['retry-after'] = retryAfter;
      return { status, headers, body: { said: `status ${status}` } };
    }
    if (kind === 'slow') {
      await new Promise<void>((resolve) => pending.push(resolve));
      return { status: 200, body: 'late' };
    }
    if (kind === 'big') return { status: 500, body: 'x'.repeat(1_000_000) };
    if (kind === 'redirect') return { status: 301, headers: { location: `${vendor.origin}/status/200` } };
    return { status: 200, body: { echo: req.json, query: Object.fromEntries(req.query) } };
  });
});

afterAll(async () => {
  for (const release of pending) release();
  await vendor.close();
});

async function outcome(path: string, ctx = deliveryContext()) {
  return runDelivery('Vendor', async () => {
    const reply = await send(ctx, 'Vendor', {
      method: 'POST',
      url: `${vendor.origin}${path}`,
      json: { a: 1 },
    });
    return classify(reply, ctx, 'Vendor', { hint: 'Fix it.' });
  });
}

describe('send', () => {
  it('sends JSON, form bodies and query parameters through ky and the guarded fetch', async () => {
    const ctx = deliveryContext();
    const reply = await send(ctx, 'Vendor', {
      method: 'POST',
      url: `${vendor.origin}/echo`,
      json: { hello: 'world' },
      searchParams: { q: 'a b' },
      headers: { 'x-extra': '1' },
    });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ echo: { hello: 'world' }, query: { q: 'a b' } });
    const last = vendor.requests.at(-1)!;
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers['user-agent']).toMatch(/^leadkit-webhook\//);
    expect(last.headers['x-extra']).toBe('1');

    await send(ctx, 'Vendor', { method: 'POST', url: `${vendor.origin}/form`, form: { a: 'x y', b: 'é' } });
    const form = vendor.requests.at(-1)!;
    expect(form.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(form.body).toBe('a=x+y&b=%C3%A9');
  });

  it('cuts very large answers at 64 KB', async () => {
    const reply = await send(deliveryContext(), 'Vendor', { method: 'GET', url: `${vendor.origin}/big` });
    expect(reply.text.length).toBe(64 * 1024);
  });
});

describe('classify (the default rules)', () => {
  it.each([200, 201, 202, 204])('%i is ok', async (status) => {
    expect(await outcome(`/status/${status}`)).toEqual({ kind: 'ok', status });
  });

  it.each([408, 425, 429, 500, 502, 503, 504])('%i is retried', async (status) => {
    const result = await outcome(`/status/${status}`);
    expect(result).toMatchObject({ kind: 'retry', status });
    expect(result.kind !== 'ok' && result.reason).toContain(
      `Vendor answered ${status}: {"said":"status ${status}"}`,
    );
  });

  it.each([400, 401, 403, 404, 409, 410, 422])('%i fails for good, with the hint', async (status) => {
    const result = await outcome(`/status/${status}`);
    expect(result).toMatchObject({ kind: 'fail', status });
    expect(result.kind !== 'ok' && result.reason).toMatch(/Fix it\.$/);
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    expect(await outcome('/status/429?retry-after=120')).toMatchObject({ kind: 'retry', afterMs: 120_000 });
    const ctx = deliveryContext({ now: new Date('2026-09-01T10:00:00Z') });
    const date = encodeURIComponent('Tue, 01 Sep 2026 10:05:00 GMT');
    expect(await outcome(`/status/503?retry-after=${date}`, ctx)).toMatchObject({
      kind: 'retry',
      afterMs: 300_000,
    });
    const noHeader = await outcome('/status/503');
    expect(noHeader.kind === 'retry' && noHeader.afterMs).toBeUndefined();
  });

  it('never follows a redirect: 3xx is a retry that says so', async () => {
    const before = vendor.requests.length;
    const result = await outcome('/redirect');
    expect(result).toMatchObject({ kind: 'retry', status: 301 });
    expect(result.kind !== 'ok' && result.reason).toContain('never followed');
    expect(vendor.requests.length).toBe(before + 1);
  });
});

describe('failures before an answer', () => {
  it('a refused connection is retried and names the host, not the URL (which may hold a token)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const result = await runDelivery('Vendor', async () =>
      classify(
        await send(deliveryContext(), 'Vendor', {
          method: 'GET',
          url: `http://127.0.0.1:${port}/x?api_token=SECRET`,
        }),
        deliveryContext(),
        'Vendor',
      ),
    );
    expect(result.kind).toBe('retry');
    expect(result.kind !== 'ok' && result.reason).toContain(`could not reach Vendor at 127.0.0.1:${port}`);
    expect(result.kind !== 'ok' && result.reason).toContain('ECONNREFUSED');
    expect(JSON.stringify(result)).not.toContain('SECRET');
  });

  it('an attempt that times out (the context signal aborts) is retried', async () => {
    const controller = new AbortController();
    const ctx = deliveryContext({ signal: controller.signal });
    const before = vendor.requests.length;
    const result = outcome('/slow', ctx);
    // Abort once the vendor holds the request, as the worker's timeout would.
    while (vendor.requests.length === before) await new Promise((r) => setImmediate(r));
    controller.abort(new DOMException('timed out', 'TimeoutError'));
    expect(await result).toEqual({
      kind: 'retry',
      reason: `Vendor (${vendor.origin.slice('http://'.length)}) did not answer before the attempt timed out`,
    });
  });

  it('an SSRF refusal fails for good (retrying cannot help) and explains the fix', async () => {
    const ctx = deliveryContext({ fetch: createGuardedFetch() });
    const result = await outcome('/status/200', ctx);
    expect(result.kind).toBe('fail');
    expect(result.kind !== 'ok' && result.reason).toContain('must use https');
    const literal = await runDelivery('Vendor', async () =>
      classify(
        await send(ctx, 'Vendor', { method: 'GET', url: 'https://169.254.169.254/latest/meta-data' }),
        ctx,
        'Vendor',
      ),
    );
    expect(literal).toMatchObject({ kind: 'fail' });
    expect(literal.kind !== 'ok' && literal.reason).toContain('link-local');
  });

  it('an SSRF refusal at connect time (after DNS) also fails for good, with a body in flight', async () => {
    const ctx = deliveryContext({
      fetch: createGuardedFetch({
        resolve: (_h, _o, callback) => callback(null, [{ address: '10.0.0.8', family: 4 }]),
      }),
    });
    const result = await runDelivery('Vendor', async () =>
      classify(
        await send(ctx, 'Vendor', { method: 'POST', url: 'https://crm.example.com/leads', json: { a: 1 } }),
        ctx,
        'Vendor',
      ),
    );
    expect(result).toMatchObject({ kind: 'fail' });
    expect(result.kind !== 'ok' && result.reason).toContain('10.0.0.8: private 10.0.0.0/8');
  });

  it('an unexpected error inside a delivery becomes a retry, never a throw', async () => {
    const result = await runDelivery('Vendor', async () => {
      throw new Error('boom');
    });
    expect(result).toEqual({ kind: 'retry', reason: 'Vendor delivery failed unexpectedly: boom' });
  });
});
