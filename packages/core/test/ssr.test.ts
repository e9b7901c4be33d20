import { describe, expect, it } from 'vitest';
import { getJourney, init } from '../src/init.js';

describe('init() without a DOM (Node, SSR)', () => {
  it('returns an in-memory journey that works and is not shared between calls', () => {
    const journey = init({ url: 'https://www.example.test/?utm_source=google&utm_medium=cpc', referrer: '' });
    const a = journey.attribution();
    expect(a.firstTouch).toMatchObject({ channel: 'Paid Search', source: 'google' });
    expect(a).toMatchObject({ pageviews: 1, sessions: 1 });
    journey.pageview('https://www.example.test/pricing');
    expect(journey.attribution().pageviews).toBe(2);
    journey.grant();
    journey.deny();
    expect(journey.consent()).toBe('denied');
    expect(journey.fillHiddenFields()).toBe(0);
    expect(journey.decorate('https://example-app.test/')).toBe('https://example-app.test/');
    journey.destroy();
    expect(getJourney()).toBeUndefined();
    // Each request gets its own journey: nothing leaks between visitors.
    expect(init().attribution().visitorId).not.toBe(a.visitorId);
  });

  it('starts direct when given nothing', () => {
    expect(init().attribution().firstTouch).toMatchObject({ channel: 'Direct', landingPage: '' });
  });
});
