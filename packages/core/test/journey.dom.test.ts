// biome-ignore-all lint/suspicious/noDocumentCookie: tests set and remove cookies as a page would
import { afterEach, describe, expect, it } from 'vitest';
import { getJourney, init } from '../src/init.js';
import { clock, DAY, idle, load, MINUTE, reset } from './dom.js';

afterEach(reset);

const ad = 'https://www.example.test/?utm_source=google&utm_medium=cpc&utm_campaign=spring';
const newsletter = 'https://www.example.test/blog?utm_source=newsletter&utm_medium=email&utm_campaign=march';

describe('init', () => {
  it('works with no options and returns the same journey when called again', () => {
    const journey = load('https://www.example.test/pricing');
    expect(init()).toBe(journey);
    expect(getJourney()).toBe(journey);
    const a = journey.attribution();
    expect(a.firstTouch).toMatchObject({ channel: 'Direct', source: '(direct)', medium: '(none)' });
    expect(a.firstTouch.landingPage).toBe('https://www.example.test/pricing');
    expect(a.lastTouch).toEqual(a.firstTouch);
    expect(a.sessionEntry).toEqual(a.firstTouch);
    expect(a.visitorId).toMatch(/^[0-9a-f]{24}$/);
    expect(a.sessionId).toMatch(/^[0-9a-f]{24}$/);
    expect(a.sessionId).not.toBe(a.visitorId);
    expect(a).toMatchObject({ pageviews: 1, sessions: 1, touches: [] });
    expect(Date.parse(a.firstSeen)).not.toBeNaN();
  });

  it('reads the referrer at start and classifies it', () => {
    const a = load('https://www.example.test/', { referrer: 'https://www.google.com/' }).attribution();
    expect(a.firstTouch).toMatchObject({ channel: 'Organic Search', source: 'google', medium: 'organic' });
    expect(a.touches).toHaveLength(1);
  });

  it('is gone after destroy()', () => {
    load('https://www.example.test/').destroy();
    expect(getJourney()).toBeUndefined();
  });
});

describe('first and last touch', () => {
  it('keeps the first touch while later campaigns become the last touch', () => {
    const c = clock();
    load(ad, { now: c.now });
    c.advance(2 * DAY);
    const a = load(newsletter, { now: c.now }).attribution();
    expect(a.firstTouch).toMatchObject({ source: 'google', campaign: 'spring', channel: 'Paid Search' });
    expect(a.lastTouch).toMatchObject({ source: 'newsletter', campaign: 'march', channel: 'Email' });
    expect(a.touches.map((t) => t.campaign)).toEqual(['spring', 'march']);
    expect(a.sessions).toBe(2);
  });

  it('never lets a direct visit replace the last campaign', () => {
    const c = clock();
    load(ad, { now: c.now });
    c.advance(3 * DAY);
    const a = load('https://www.example.test/', { now: c.now }).attribution();
    expect(a.lastTouch.campaign).toBe('spring');
    expect(a.sessionEntry).toMatchObject({ channel: 'Direct', landingPage: 'https://www.example.test/' });
    expect(a.touches).toHaveLength(1);
  });

  it('takes the latest direct arrival as last touch while every arrival was direct', () => {
    const c = clock();
    load('https://www.example.test/a', { now: c.now });
    c.advance(DAY);
    const a = load('https://www.example.test/b', { now: c.now }).attribution();
    expect(a.firstTouch.landingPage).toBe('https://www.example.test/a');
    expect(a.lastTouch.landingPage).toBe('https://www.example.test/b');
  });

  it('counts a click ID alone as a campaign touch', () => {
    const c = clock();
    load(ad, { now: c.now });
    c.advance(DAY);
    const a = load('https://www.example.test/?fbclid=abc', { now: c.now }).attribution();
    expect(a.lastTouch.clickIds).toEqual({ fbclid: 'abc' });
  });

  it('forgets touches older than the attribution window: the next touch becomes first', () => {
    const c = clock();
    load(ad, { now: c.now, attributionDays: 90 });
    c.advance(89 * DAY);
    expect(load('https://www.example.test/', { now: c.now }).attribution().firstTouch.campaign).toBe(
      'spring',
    );
    c.advance(2 * DAY); // 91 days after the ad
    const a = load('https://www.example.test/later', { now: c.now }).attribution();
    expect(a.firstTouch).toMatchObject({ channel: 'Direct', landingPage: 'https://www.example.test/later' });
    expect(a.lastTouch.landingPage).toBe('https://www.example.test/later');
    expect(a.touches).toEqual([]);
    expect(a.sessions).toBe(3);
  });

  it('keeps at most maxTouches touches, newest last', () => {
    const c = clock();
    for (let i = 1; i <= 4; i++) {
      load(`https://www.example.test/?utm_source=s${i}&utm_medium=email`, { now: c.now, maxTouches: 3 });
      c.advance(DAY);
    }
    const a = getJourney()!.attribution();
    expect(a.touches.map((t) => t.source)).toEqual(['s2', 's3', 's4']);
    expect(a.firstTouch.source).toBe('s1');
  });

  it('does not count a reload of the same campaign landing as a second touch', () => {
    const c = clock();
    load(ad, { now: c.now });
    c.advance(MINUTE);
    const a = load(ad, { now: c.now }).attribution();
    expect(a.touches).toHaveLength(1);
    expect(a.pageviews).toBe(2);
  });
});

describe('sessions', () => {
  it('ends a session after 30 minutes without a page view', () => {
    const c = clock();
    const first = load('https://www.example.test/', { now: c.now }).attribution().sessionId;
    c.advance(29 * MINUTE);
    expect(load('https://www.example.test/a', { now: c.now }).attribution().sessionId).toBe(first);
    c.advance(31 * MINUTE);
    const a = load('https://www.example.test/b', { now: c.now }).attribution();
    expect(a.sessionId).not.toBe(first);
    expect(a.sessions).toBe(2);
    expect(a.sessionEntry.landingPage).toBe('https://www.example.test/b');
  });

  it('honours sessionMinutes', () => {
    const c = clock();
    load('https://www.example.test/', { now: c.now, sessionMinutes: 5 });
    c.advance(6 * MINUTE);
    expect(load('https://www.example.test/a', { now: c.now, sessionMinutes: 5 }).attribution().sessions).toBe(
      2,
    );
  });

  it('caps a session at 24 hours even with steady activity', () => {
    const c = clock();
    const first = load('https://www.example.test/', { now: c.now }).attribution().sessionId;
    for (let i = 0; i < 75; i++) {
      c.advance(20 * MINUTE);
      getJourney()!.pageview(`https://www.example.test/page${i}`);
    }
    const a = getJourney()!.attribution();
    expect(a.sessions).toBe(2);
    expect(a.sessionId).not.toBe(first);
  });

  it('does not cut the session for a new campaign (GA4), but makes it the last touch', () => {
    const c = clock();
    const before = load(ad, { now: c.now }).attribution();
    c.advance(5 * MINUTE);
    const a = load(newsletter, { now: c.now }).attribution();
    expect(a.sessionId).toBe(before.sessionId);
    expect(a.sessions).toBe(1);
    expect(a.sessionEntry.campaign).toBe('spring');
    expect(a.lastTouch.campaign).toBe('march');
    expect(a.touches).toHaveLength(2);
  });
});

describe('single-page apps', () => {
  it('counts history navigations as page views without re-reading the referrer', () => {
    const journey = load('https://www.example.test/', { referrer: 'https://news.ycombinator.com/item?id=1' });
    history.pushState({}, '', '/pricing');
    history.pushState({}, '', '/signup');
    const a = journey.attribution();
    expect(a.pageviews).toBe(3);
    expect(a.touches).toHaveLength(1);
    expect(a.lastTouch).toMatchObject({
      source: 'news.ycombinator.com',
      landingPage: 'https://www.example.test/',
    });
  });

  it('ignores replaceState to the same address and hash changes', () => {
    const journey = load('https://www.example.test/app');
    history.replaceState({ scroll: 1 }, '', '/app');
    history.pushState({}, '', '/app#section');
    expect(journey.attribution().pageviews).toBe(1);
    history.replaceState({}, '', '/app/settings');
    expect(journey.attribution().pageviews).toBe(2);
  });

  it('counts popstate (back and forward)', () => {
    const journey = load('https://www.example.test/a');
    history.pushState({}, '', '/b');
    goBackTo('https://www.example.test/a');
    expect(journey.attribution().pageviews).toBe(3);
  });

  it('makes a navigation to an address with new UTMs a touch', () => {
    const journey = load('https://www.example.test/');
    history.pushState({}, '', '/offer?utm_source=partner&utm_medium=affiliate');
    const a = journey.attribution();
    expect(a.lastTouch).toMatchObject({
      channel: 'Affiliates',
      landingPage: 'https://www.example.test/offer?utm_source=partner&utm_medium=affiliate',
    });
    expect(a.lastTouch.referrer).toBeUndefined();
    expect(a.sessions).toBe(1);
  });

  it('counts an explicit pageview(), resolving relative addresses', () => {
    const journey = load('https://www.example.test/');
    journey.pageview('/docs?utm_source=x&utm_medium=social');
    expect(journey.attribution().lastTouch.landingPage).toBe(
      'https://www.example.test/docs?utm_source=x&utm_medium=social',
    );
  });

  it('stops following history after destroy()', () => {
    const journey = load('https://www.example.test/');
    journey.destroy();
    history.pushState({}, '', '/elsewhere');
    expect(journey.attribution().pageviews).toBe(1);
  });
});

// happy-dom updates location on history.back() asynchronously; set it and fire popstate as a browser would.
function goBackTo(url: string) {
  history.replaceState(null, '', url);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

describe('persistence', () => {
  it('stores the journey in idle time, then restores it on the next page load', async () => {
    const c = clock();
    const first = load(ad, { now: c.now });
    expect(localStorage.getItem('leadkit')).toBeNull();
    await idle();
    expect(localStorage.getItem('leadkit')).toContain('utm_campaign=spring');
    expect(document.cookie).toContain('leadkit=');
    const { visitorId } = first.attribution();
    c.advance(MINUTE);
    expect(load('https://www.example.test/next', { now: c.now }).attribution()).toMatchObject({
      visitorId,
      pageviews: 2,
    });
  });

  it('restores a deleted cookie from localStorage and the other way round', async () => {
    const c = clock();
    const { visitorId } = load(ad, { now: c.now }).attribution();
    await idle();
    document.cookie = 'leadkit=;path=/;max-age=-1;domain=example.test';
    expect(document.cookie).not.toContain('leadkit=');
    expect(load('https://www.example.test/2', { now: c.now }).attribution().visitorId).toBe(visitorId);
    await idle();
    expect(document.cookie).toContain('leadkit=');
    localStorage.clear();
    expect(load('https://www.example.test/3', { now: c.now }).attribution().visitorId).toBe(visitorId);
    await idle();
    expect(localStorage.getItem('leadkit')).toContain(visitorId);
  });

  it('shares the cookie across subdomains of the registrable domain', async () => {
    const { visitorId } = load(ad).attribution();
    await idle();
    const a = load('https://app.example.test/signup').attribution();
    expect(a.visitorId).toBe(visitorId);
    expect(a.firstTouch.campaign).toBe('spring');
  });

  it('prefers the store with the newer activity', async () => {
    const c = clock();
    load(ad, { now: c.now });
    await idle();
    const stale = localStorage.getItem('leadkit')!;
    c.advance(MINUTE);
    load(newsletter, { now: c.now });
    await idle();
    localStorage.setItem('leadkit', stale); // another subdomain's older copy
    c.advance(MINUTE);
    expect(load('https://www.example.test/x', { now: c.now }).attribution().lastTouch.campaign).toBe('march');
  });

  it('takes a newer touch recorded by another tab before counting a navigation', async () => {
    const c = clock();
    const tabA = load('https://www.example.test/', { now: c.now });
    await idle();
    tabA.destroy(); // still open in its tab, just not the page's journey any more
    c.advance(MINUTE);
    load(newsletter, { now: c.now }); // tab B lands from a newsletter
    await idle();
    c.advance(MINUTE);
    tabA.pageview('https://www.example.test/pricing');
    const a = tabA.attribution();
    expect(a.lastTouch.campaign).toBe('march');
    expect(a.pageviews).toBe(3);
  });

  it('ignores a damaged stored value and starts afresh', () => {
    localStorage.setItem('leadkit', '{"v":1,"t":[["x"]]}');
    document.cookie = 'leadkit=%7Bnot%20json;path=/';
    const a = load('https://www.example.test/').attribution();
    expect(a.pageviews).toBe(1);
  });

  it('keeps working when storage throws (Safari private mode, disabled cookies)', async () => {
    const storage = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
    let owner: object = document;
    while (!Object.getOwnPropertyDescriptor(owner, 'cookie')) owner = Object.getPrototypeOf(owner);
    const cookie = Object.getOwnPropertyDescriptor(owner, 'cookie')!;
    const fail = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    Object.defineProperty(window, 'localStorage', { configurable: true, get: fail });
    Object.defineProperty(owner, 'cookie', { configurable: true, get: fail, set: fail });
    try {
      const journey = load(ad);
      await idle();
      journey.deny();
      journey.grant();
      expect(journey.attribution().firstTouch.campaign).toBe('spring');
    } finally {
      Object.defineProperty(window, 'localStorage', storage);
      Object.defineProperty(owner, 'cookie', cookie);
    }
  });

  it('uses its own key when told', async () => {
    load(ad, { storageKey: 'acme_lk' });
    await idle();
    expect(localStorage.getItem('acme_lk')).toContain('spring');
    expect(localStorage.getItem('leadkit')).toBeNull();
  });
});
