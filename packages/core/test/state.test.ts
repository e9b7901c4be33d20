import { describe, expect, it } from 'vitest';
import type { RawTouch, State } from '../src/journey.js';
import { decode, encode } from '../src/state.js';
import { COOKIE_MAX } from '../src/storage.js';

const T0 = Date.UTC(2026, 2, 2);
const touch = (url: string, at = T0): RawTouch => [url, '', at];

function state(touches: RawTouch[]): State {
  const [first] = touches;
  return {
    v: 'visitor1',
    s: 'session1',
    c: T0,
    f: first!,
    l: touches.at(-1)!,
    e: first!,
    h: touches,
    p: 3,
    n: 1,
    a: T0,
    b: T0,
  };
}

describe('stored state', () => {
  it('stores a touch shared by first, last, session entry and history once, and restores the sharing', () => {
    const landing = touch('https://www.example.test/?utm_source=a&utm_medium=email');
    const text = encode(state([landing]));
    expect(text.split('utm_source=a')).toHaveLength(2);
    const back = decode(text)!;
    expect(back.f).toEqual(landing);
    expect(back.l).toBe(back.f);
    expect(back.e).toBe(back.f);
    expect(back.h[0]).toBe(back.f);
    expect(back).toMatchObject({ v: 'visitor1', s: 'session1', p: 3, n: 1 });
  });

  it('round-trips a full journey', () => {
    const s = state(
      [1, 2, 3].map((i) => touch(`https://www.example.test/?utm_source=s${i}&utm_medium=cpc`, T0 + i)),
    );
    s.w = { LCP: 1200, CLS: 0.02 };
    expect(decode(encode(s))).toEqual(s);
  });

  it('fits a cookie when shortened, even with very long addresses', () => {
    const long = (i: number) =>
      touch(`https://www.example.test/${'x'.repeat(900)}?utm_source=s${i}&utm_medium=cpc`, T0 + i);
    const s = state([1, 2, 3, 4, 5].map(long));
    expect(encodeURIComponent(encode(s)).length).toBeGreaterThan(COOKIE_MAX);
    const short = encode(s, 150, 1);
    expect(encodeURIComponent(short).length).toBeLessThan(COOKIE_MAX);
    const back = decode(short)!;
    expect(back.h).toHaveLength(1);
    expect(back.f[0]).toHaveLength(150);
  });

  it('refuses anything it did not write', () => {
    const good = JSON.parse(encode(state([touch('https://a.test/')])));
    for (const bad of [
      undefined,
      null,
      '',
      'not json',
      '[]',
      '{}',
      JSON.stringify({ ...good, v: 7 }),
      JSON.stringify({ ...good, f: 9 }),
      JSON.stringify({ ...good, t: [['https://a.test/', null, 1]] }),
      JSON.stringify({ ...good, h: [4] }),
    ]) {
      expect(decode(bad)).toBeUndefined();
    }
  });
});
