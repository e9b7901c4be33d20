import { describe, expect, it } from 'vitest';
import { captureTouch } from './capture-touch.js';

// Source/medium resolution without the source list (CLASSIFIER.md, "Source and medium, in GA4's order").
const SITE = 'https://www.example.com';
const at = '2026-03-02T09:00:00.000Z';

describe('captureTouch', () => {
  it.each([
    ['rule 1: gclid beats utm_* tags', `${SITE}/?gclid=abc&utm_source=x&utm_medium=y`, '', 'google', 'cpc'],
    ['rule 2: utm_* tags, a missing part is (not set)', `${SITE}/?utm_source=News`, '', 'news', '(not set)'],
    [
      'rule 2: tags beat the referrer',
      `${SITE}/?utm_medium=email`,
      'https://www.bing.com/',
      '(not set)',
      'email',
    ],
    ['rule 3: a known search engine', `${SITE}/`, 'https://www.google.co.uk/', 'google', 'organic'],
    [
      'rule 3: any other site, without www.',
      `${SITE}/`,
      'https://www.reddit.com/r/x',
      'reddit.com',
      'referral',
    ],
    ['rule 3: a self-referral is ignored', `${SITE}/`, 'https://app.example.com/', '(direct)', '(none)'],
    ['rule 4: nothing', `${SITE}/`, '', '(direct)', '(none)'],
  ])('%s', (_, url, referrer, source, medium) => {
    expect(captureTouch({ url, referrer, timestamp: at })).toMatchObject({ source, medium });
  });

  it('keeps campaign fields, click IDs, landing page, referrer and time, and has no channel', () => {
    const touch = captureTouch({
      url: `${SITE}/p?utm_source=fb&utm_medium=paid&utm_campaign=spring&fbclid=Iw1#top`,
      referrer: 'https://l.facebook.com/',
      timestamp: at,
    });
    expect(touch).toStrictEqual({
      source: 'fb',
      medium: 'paid',
      raw: { source: 'fb', medium: 'paid' },
      campaign: 'spring',
      clickIds: { fbclid: 'Iw1' },
      landingPage: `${SITE}/p?utm_source=fb&utm_medium=paid&utm_campaign=spring&fbclid=Iw1`,
      referrer: 'https://l.facebook.com/',
      referringDomain: 'l.facebook.com',
      timestamp: at,
    });
    expect('channel' in touch).toBe(false);
  });
});
