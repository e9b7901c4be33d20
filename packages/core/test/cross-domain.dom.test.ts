import { afterEach, describe, expect, it } from 'vitest';
import { crossDomain } from '../src/cross-domain.js';
import { clock, DAY, idle, load, reset } from './dom.js';

const ad = 'https://www.example.test/?utm_source=google&utm_medium=cpc&utm_campaign=spring';
const linker = () => crossDomain({ domains: ['example-app.test'] });

afterEach(() => {
  reset();
  document.body.innerHTML = '';
});

/** Leaves the first site through `href` and lands on the second one a few seconds later. */
function handOver(href: string, c: ReturnType<typeof clock>, secondsLater: number) {
  reset();
  c.advance(secondsLater * 1000);
  return load(href, { now: c.now, crossDomain: linker(), referrer: 'https://www.example.test/' });
}

describe('cross-domain hand-off', () => {
  it('carries visitor, first and last touch to a listed domain and removes the token on arrival', () => {
    const c = clock();
    const source = load(ad, { now: c.now, crossDomain: linker() });
    const { visitorId } = source.attribution();
    const href = source.decorate('https://app.example-app.test/signup?plan=pro#top');
    expect(new URL(href).searchParams.get('_lk')).toContain(visitorId);
    expect(href).toMatch(/\?plan=pro&_lk=.+#top$/);

    const arrived = handOver(href, c, 5).attribution();
    expect(arrived.visitorId).toBe(visitorId);
    expect(arrived.firstTouch).toMatchObject({ campaign: 'spring', landingPage: ad });
    expect(arrived.lastTouch.campaign).toBe('spring');
    // The referrer is our own other site, so the landing is not a referral touch.
    expect(arrived.touches.map((t) => t.campaign)).toEqual(['spring']);
    expect(arrived.sessionEntry.landingPage).toBe(
      'https://app.example-app.test/signup?plan=pro#top'.split('#')[0],
    );
    expect(location.href).toBe('https://app.example-app.test/signup?plan=pro#top');
  });

  it('keeps the older first touch of the arriving site and takes the newer campaign', async () => {
    const c = clock();
    const podcast = 'https://app.example-app.test/?utm_source=podcast&utm_medium=audio';
    load(podcast, { now: c.now, crossDomain: linker() });
    await idle();
    c.advance(DAY);
    const adAt = c.now() - 30_000;
    const [, decorate] = linker();
    const href = decorate(
      'https://app.example-app.test/',
      ['visitorFromWww', [ad, '', adAt], [ad, '', adAt]],
      c.now(),
    );
    c.advance(5000);
    const arrived = load(href, { now: c.now, crossDomain: linker() }).attribution();
    expect(arrived.visitorId).toBe('visitorFromWww');
    expect(arrived.firstTouch.landingPage).toBe(podcast);
    expect(arrived.lastTouch.campaign).toBe('spring');
    expect(arrived.touches.map((t) => t.source)).toEqual(['podcast', 'google']);
  });

  it('ignores an expired token but still removes it', () => {
    const c = clock();
    const source = load(ad, { now: c.now, crossDomain: linker() });
    const href = source.decorate('https://app.example-app.test/');
    const arrived = handOver(href, c, 61).attribution();
    expect(arrived.visitorId).not.toBe(source.attribution().visitorId);
    expect(arrived.firstTouch.campaign).toBeUndefined();
    expect(location.href).toBe('https://app.example-app.test/');
  });

  it('ignores garbled tokens', () => {
    for (const token of [
      '%7Bnot-json',
      '5',
      '%5B%22id%22%2C1%2C2%2C3%5D',
      '%5B%22bad%20id!%22%2C%5B%22u%22%2C%22%22%2C1%5D%2C%5B%22u%22%2C%22%22%2C1%5D%2C0%5D',
    ]) {
      reset();
      const journey = load(`https://app.example-app.test/x?_lk=${token}&a=1`, { crossDomain: linker() });
      expect(journey.attribution().firstTouch.landingPage).toBe('https://app.example-app.test/x?a=1');
      expect(location.search).toBe('?a=1');
    }
  });

  it('decorates links to listed domains and their subdomains when pressed, and no others', () => {
    document.body.innerHTML = `
      <a id="app" href="https://app.example-app.test/start">app</a>
      <a id="apex" href="https://example-app.test/"><span>apex</span></a>
      <a id="other" href="https://elsewhere.test/">other</a>
      <a id="lookalike" href="https://notexample-app.test/">lookalike</a>`;
    load(ad, { crossDomain: linker() });
    for (const id of ['app', 'apex', 'other', 'lookalike']) {
      const target = document.getElementById(id)!.firstElementChild ?? document.getElementById(id)!;
      target.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    }
    const href = (id: string) => document.getElementById(id)!.getAttribute('href')!;
    expect(href('app')).toContain('_lk=');
    expect(href('apex')).toContain('_lk=');
    expect(href('other')).toBe('https://elsewhere.test/');
    expect(href('lookalike')).toBe('https://notexample-app.test/');
  });

  it('leaves URLs alone without crossDomain, and takes no tokens in', () => {
    const journey = load(ad);
    expect(journey.decorate('https://app.example-app.test/')).toBe('https://app.example-app.test/');
    reset();
    load('https://app.example-app.test/?_lk=%5B%5D');
    expect(location.search).toBe('?_lk=%5B%5D');
  });
});
