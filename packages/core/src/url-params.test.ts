import { describe, expect, it } from 'vitest';
import { clean, queryParams, registrableDomain, urlHost } from './url-params.js';

describe('registrableDomain (small heuristic, no Public Suffix List)', () => {
  it.each([
    ['example.com', 'example.com'],
    ['app.example.com', 'example.com'],
    ['a.b.example.com', 'example.com'],
    ['example.co.uk', 'example.co.uk'],
    ['shop.example.co.uk', 'example.co.uk'],
    ['example.com.au', 'example.com.au'],
    ['blog.example.com.au', 'example.com.au'],
    ['www.example.ne.jp', 'example.ne.jp'],
    ['example.de', 'example.de'],
    ['alice.github.io', 'alice.github.io'],
    ['docs.alice.github.io', 'alice.github.io'],
    ['my-app.vercel.app', 'my-app.vercel.app'],
    ['preview.my-app.vercel.app', 'my-app.vercel.app'],
    ['localhost', 'localhost'],
    ['127.0.0.1', '127.0.0.1'],
    ['[::1]', '[::1]'],
  ])('%s → %s', (host, expected) => {
    expect(registrableDomain(host)).toBe(expected);
  });

  it('known limit: a two-letter ccTLD with a non-generic second level (e.g. a city SLD) is cut at two labels', () => {
    // Documented trade-off of the heuristic: example.kyoto.jp is treated as kyoto.jp.
    expect(registrableDomain('example.kyoto.jp')).toBe('kyoto.jp');
  });
});

describe('urlHost', () => {
  it.each([
    ['https://WWW.Google.COM:443/search?q=x', 'www.google.com'],
    ['http://example.com./', 'example.com'],
    ['https://user:pass@example.org/x', 'example.org'],
    ['android-app://com.google.android.gm/', 'com.google.android.gm'],
    ['https://bücher.de/', 'xn--bcher-kva.de'],
  ])('%s → %s', (url, host) => {
    expect(urlHost(url)).toBe(host);
  });

  it.each([
    '',
    'about:blank',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,x',
    '/relative',
    'http://',
    '%%%',
  ])('has no host: %j', (url) => {
    expect(urlHost(url)).toBeUndefined();
  });
});

describe('queryParams', () => {
  it('the first occurrence of a repeated parameter wins', () => {
    expect(queryParams('https://x.test/?utm_source=a&utm_source=b').get('utm_source')).toBe('a');
  });

  it('+ is a space and %2B a plus', () => {
    expect(queryParams('/?c=spring+sale%2B1').get('c')).toBe('spring sale+1');
  });

  it('keeps broken percent-encoding as written', () => {
    expect(queryParams('/?c=100%&d=%E0%A4%A').get('c')).toBe('100%');
    expect(queryParams('/?d=%zz').get('d')).toBe('%zz');
  });

  it('ignores the fragment, even one that looks like a query', () => {
    const params = queryParams('https://x.test/?a=1#/route?utm_source=y');
    expect(params.get('a')).toBe('1');
    expect(params.get('utm_source')).toBeNull();
    expect(queryParams('https://x.test/#utm_source=y').get('utm_source')).toBeNull();
  });

  it('works on relative and malformed URLs', () => {
    expect(queryParams('?utm_source=a').get('utm_source')).toBe('a');
    expect(queryParams('::::?x=1').get('x')).toBe('1');
    expect([...queryParams('no query at all')]).toEqual([]);
  });
});

describe('clean', () => {
  it('strips control characters and trims', () => {
    expect(clean(' goo\u0000g\nle\u009f ')).toBe('google');
  });

  it('caps the length', () => {
    expect(clean('x'.repeat(300))).toHaveLength(256);
    expect(clean('x'.repeat(300), 10)).toHaveLength(10);
  });

  it('never leaves half a surrogate pair, at the cap or anywhere', () => {
    const capped = clean(`${'x'.repeat(255)}😀`);
    expect(capped).toBe('x'.repeat(255));
    expect(clean('a\ud800b\udc00c')).toBe('abc');
    expect(clean('😀')).toBe('😀');
  });
});
