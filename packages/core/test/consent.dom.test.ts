// biome-ignore-all lint/suspicious/noDocumentCookie: tests read cookies as a page would
import { afterEach, describe, expect, it } from 'vitest';
import { clock, idle, load, MINUTE, reset } from './dom.js';

const ad = 'https://www.example.test/?utm_source=google&utm_medium=cpc&utm_campaign=spring';
const stored = () => [localStorage.getItem('leadkit'), document.cookie.includes('leadkit=')] as const;

function sendGpc(on: boolean) {
  Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, get: () => on });
}

afterEach(() => {
  reset();
  sendGpc(false);
});

describe('consent', () => {
  it('defaults to granted', () => {
    expect(load(ad).consent()).toBe('granted');
  });

  it('starts denied under Global Privacy Control, keeps attribution in memory and stores nothing', async () => {
    sendGpc(true);
    const journey = load(ad);
    expect(journey.consent()).toBe('denied');
    journey.pageview('https://www.example.test/pricing');
    await idle();
    expect(stored()).toEqual([null, false]);
    expect(journey.attribution()).toMatchObject({ pageviews: 2, lastTouch: { campaign: 'spring' } });
  });

  it('lets the integrator ignore Global Privacy Control', () => {
    sendGpc(true);
    expect(load(ad, { honorGpc: false }).consent()).toBe('granted');
  });

  it('removes what was stored when a page starts denied', async () => {
    load(ad);
    await idle();
    expect(stored()[0]).toContain('spring');
    const journey = load('https://www.example.test/next', { consent: 'denied' });
    expect(stored()).toEqual([null, false]);
    expect(journey.attribution().firstTouch.campaign).toBeUndefined();
  });

  it('writes nothing while pending, then stores what it captured on grant()', async () => {
    const c = clock();
    const journey = load(ad, { consent: 'pending', now: c.now });
    c.advance(MINUTE);
    history.pushState({}, '', '/pricing');
    await idle();
    window.dispatchEvent(new Event('pagehide'));
    expect(stored()).toEqual([null, false]);

    journey.grant();
    expect(journey.consent()).toBe('granted');
    const [local, cookie] = stored();
    expect(cookie).toBe(true);
    expect(JSON.parse(local!)).toMatchObject({ p: 2, n: 1 });
    c.advance(MINUTE);
    expect(
      load('https://www.example.test/again', { consent: 'pending', now: c.now }).attribution(),
    ).toMatchObject({
      pageviews: 3,
      firstTouch: { campaign: 'spring' },
    });
  });

  it('reads what an earlier page stored while pending, without writing', async () => {
    const { visitorId } = load(ad).attribution();
    await idle();
    const before = stored();
    const journey = load('https://www.example.test/b', { consent: 'pending' });
    await idle();
    expect(journey.attribution().visitorId).toBe(visitorId);
    expect(stored()).toEqual(before);
  });

  it('drops stored data on deny() and stops storing, while the page keeps its attribution', async () => {
    const journey = load(ad);
    await idle();
    journey.deny();
    expect(journey.consent()).toBe('denied');
    expect(stored()).toEqual([null, false]);
    journey.pageview('https://www.example.test/contact');
    await idle();
    window.dispatchEvent(new Event('pagehide'));
    expect(stored()).toEqual([null, false]);
    expect(journey.attribution()).toMatchObject({ pageviews: 2, firstTouch: { campaign: 'spring' } });
  });
});
