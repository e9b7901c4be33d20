import { describe, expect, it } from 'vitest';
import { CLICK_ID_PARAMS } from './click-ids.js';
import { parseTouch } from './touch.js';

const LANDING = 'https://www.example.com/pricing';

// Each row: [why, citing the GA4 source/medium step (attribution research §1.4) or the rule that decides the channel,
//            url, referrer, expected source, medium, channel]
const CASES: [string, string, string, string, string, string][] = [
  // §1.4.1 auto-tagging
  [
    '§1.4.1 gclid → google/cpc, GA4 rule 4 Paid Search',
    `${LANDING}?gclid=Cj0K`,
    '',
    'google',
    'cpc',
    'Paid Search',
  ],
  [
    '§1.4.1 gclid beats conflicting UTMs (decision D1)',
    `${LANDING}?gclid=Cj0K&utm_source=bing&utm_medium=email`,
    '',
    'google',
    'cpc',
    'Paid Search',
  ],
  [
    '§1.4.1 gclid beats the referrer',
    `${LANDING}?gclid=Cj0K`,
    'https://www.bing.com/',
    'google',
    'cpc',
    'Paid Search',
  ],
  [
    '§1.4.1 gclid with a shop campaign: GA4 rule 3 Paid Shopping',
    `${LANDING}?gclid=Cj0K&utm_campaign=summer_shop`,
    '',
    'google',
    'cpc',
    'Paid Shopping',
  ],
  [
    '§1.4.1 fbclid never classifies: l.facebook.com referral → GA4 rule 10 Organic Social',
    `${LANDING}?fbclid=IwAR`,
    'https://l.facebook.com/',
    'l.facebook.com',
    'referral',
    'Organic Social',
  ],
  [
    '§1.4.1 fbclid alone with no referrer stays Direct (GA4 rule 1)',
    `${LANDING}?fbclid=IwAR`,
    '',
    '(direct)',
    '(none)',
    'Direct',
  ],
  [
    '§1.4.1 msclkid alone is recorded, not classified (decision D2)',
    `${LANDING}?msclkid=abc`,
    '',
    '(direct)',
    '(none)',
    'Direct',
  ],
  [
    '§1.4.1 gbraid/wbraid alone are recorded, not classified (decision D2)',
    `${LANDING}?gbraid=0AAA&wbraid=CjkK`,
    '',
    '(direct)',
    '(none)',
    'Direct',
  ],
  // §1.4.2 manual tags
  [
    '§1.4.2 utm source+medium: facebook/cpm → GA4 rule 5 Paid Social',
    `${LANDING}?utm_source=facebook&utm_medium=cpm`,
    '',
    'facebook',
    'cpm',
    'Paid Social',
  ],
  [
    '§1.4.2 tags beat the referrer',
    `${LANDING}?utm_source=newsletter&utm_medium=email`,
    'https://www.google.com/',
    'newsletter',
    'email',
    'Email',
  ],
  [
    '§1.4.2 utm_source only: chatgpt.com/(not set) → GA4 rule 19 Unassigned',
    `${LANDING}?utm_source=chatgpt.com`,
    '',
    'chatgpt.com',
    '(not set)',
    'Unassigned',
  ],
  [
    '§1.4.2 utm_medium only: (not set)/cpc → GA4 rule 8 Paid Other (decision D3)',
    `${LANDING}?utm_medium=cpc`,
    '',
    '(not set)',
    'cpc',
    'Paid Other',
  ],
  [
    '§1.4.2 utm_campaign only still counts as tagged (decision D3)',
    `${LANDING}?utm_campaign=launch`,
    'https://www.google.com/',
    '(not set)',
    '(not set)',
    'Unassigned',
  ],
  [
    '§1.4.2 empty utm values are absent: the referrer decides',
    `${LANDING}?utm_source=&utm_medium=`,
    'https://www.google.com/',
    'google',
    'organic',
    'Organic Search',
  ],
  [
    '§1.4.2 lowercased for classification, GA4 rule 5 case-insensitive',
    `${LANDING}?utm_source=FaceBook&utm_medium=Paid_Social`,
    '',
    'facebook',
    'paid_social',
    'Paid Social',
  ],
  [
    '§1.4.2 UTM_SOURCE in capitals is not a tag (decision D4): direct',
    `${LANDING}?UTM_SOURCE=x`,
    '',
    '(direct)',
    '(none)',
    'Direct',
  ],
  [
    '§1.4.2 + is a space: "e mail" → GA4 rule 14 Email (decision D5)',
    `${LANDING}?utm_source=crm&utm_medium=e+mail`,
    '',
    'crm',
    'e mail',
    'Email',
  ],
  [
    '§1.4.2 first repeated param wins (decision D6)',
    `${LANDING}?utm_source=google&utm_medium=cpc&utm_source=bing`,
    '',
    'google',
    'cpc',
    'Paid Search',
  ],
  [
    '§1.4.2 UTMs in the fragment are ignored (decision D7)',
    `${LANDING}#utm_source=google&utm_medium=cpc`,
    '',
    '(direct)',
    '(none)',
    'Direct',
  ],
  [
    '§1.4.2 summer_shop campaign by email → GA4 rule 9 Organic Shopping',
    `${LANDING}?utm_source=newsletter&utm_medium=email&utm_campaign=summer_shop`,
    '',
    'newsletter',
    'email',
    'Organic Shopping',
  ],
  ['§1.4.2 sms source → GA4 rule 17 SMS', `${LANDING}?utm_source=sms`, '', 'sms', '(not set)', 'SMS'],
  // §1.4.3 referrer: search engines
  [
    '§1.4.3 google.com → google/organic, GA4 rule 12',
    LANDING,
    'https://www.google.com/',
    'google',
    'organic',
    'Organic Search',
  ],
  [
    '§1.4.3 google ccTLD co.uk → google/organic',
    LANDING,
    'https://www.google.co.uk/',
    'google',
    'organic',
    'Organic Search',
  ],
  [
    '§1.4.3 google ccTLD com.au → google/organic',
    LANDING,
    'https://www.google.com.au/',
    'google',
    'organic',
    'Organic Search',
  ],
  [
    '§1.4.3 google ccTLD de, no www → google/organic',
    LANDING,
    'https://google.de/',
    'google',
    'organic',
    'Organic Search',
  ],
  [
    '§1.4.3 bing.com → bing/organic',
    LANDING,
    'https://www.bing.com/search?q=leadkit',
    'bing',
    'organic',
    'Organic Search',
  ],
  [
    '§1.4.3 search.yahoo.com → yahoo/organic (search.yahoo.com itself is not listed)',
    LANDING,
    'https://search.yahoo.com/',
    'yahoo',
    'organic',
    'Organic Search',
  ],
  [
    '§1.4.3 duckduckgo.com → duckduckgo/organic (duckduckgo.com is not listed)',
    LANDING,
    'https://duckduckgo.com/',
    'duckduckgo',
    'organic',
    'Organic Search',
  ],
  [
    '§1.4.3 baidu.com → baidu/organic (decision D8)',
    LANDING,
    'https://www.baidu.com/link?url=x',
    'baidu',
    'organic',
    'Organic Search',
  ],
  [
    '§8 yandex.ru stays a referral, as GA4 exports show; GA4 rule 12 via the list',
    LANDING,
    'https://yandex.ru/',
    'yandex.ru',
    'referral',
    'Organic Search',
  ],
  [
    '§8 regional Yahoo stays a referral, as GA4 exports show; GA4 rule 12 via the list',
    LANDING,
    'https://uk.search.yahoo.com/',
    'uk.search.yahoo.com',
    'referral',
    'Organic Search',
  ],
  [
    '§1.4.3 news.google.com is not the engine: referral, GA4 rule 12 via the list',
    LANDING,
    'https://news.google.com/',
    'news.google.com',
    'referral',
    'Organic Search',
  ],
  [
    '§1.4.3 mail.google.com is not listed → GA4 rule 13 Referral',
    LANDING,
    'https://mail.google.com/',
    'mail.google.com',
    'referral',
    'Referral',
  ],
  [
    '§1.4.3 google.evil.com is not Google',
    LANDING,
    'https://google.evil.com/',
    'google.evil.com',
    'referral',
    'Referral',
  ],
  // §1.4.3 referrer: other sites
  [
    '§1.4.3 l.facebook.com referral → GA4 rule 10 Organic Social',
    LANDING,
    'https://l.facebook.com/l.php?u=x',
    'l.facebook.com',
    'referral',
    'Organic Social',
  ],
  [
    '§1.4.3 t.co referral → GA4 rule 10 Organic Social',
    LANDING,
    'https://t.co/abc',
    't.co',
    'referral',
    'Organic Social',
  ],
  [
    '§1.4.3 www. is dropped: www.youtube.com → youtube.com, GA4 rule 11 Organic Video',
    LANDING,
    'https://www.youtube.com/watch?v=x',
    'youtube.com',
    'referral',
    'Organic Video',
  ],
  [
    '§1.4.3 amazon.com referral → GA4 rule 9 Organic Shopping',
    LANDING,
    'https://www.amazon.com/dp/x',
    'amazon.com',
    'referral',
    'Organic Shopping',
  ],
  [
    '§1.4.3 chatgpt.com referral → GA4 rule 13 Referral (no AI channel, decision D9)',
    LANDING,
    'https://chatgpt.com/',
    'chatgpt.com',
    'referral',
    'Referral',
  ],
  [
    '§8 x.com referral → GA4 rule 13 Referral (absent from the 2023 list)',
    LANDING,
    'https://x.com/',
    'x.com',
    'referral',
    'Referral',
  ],
  [
    '§1.4.3 port and case are dropped from the host',
    LANDING,
    'HTTPS://News.YCombinator.com:443/item?id=1',
    'news.ycombinator.com',
    'referral',
    'Organic Social',
  ],
  // android-app
  [
    '§8 android-app Gmail → package/referral, GA4 rule 13 Referral',
    LANDING,
    'android-app://com.google.android.gm/',
    'com.google.android.gm',
    'referral',
    'Referral',
  ],
  [
    '§8 android-app LinkedIn → package/referral, GA4 rule 13 Referral',
    LANDING,
    'android-app://com.linkedin.android/',
    'com.linkedin.android',
    'referral',
    'Referral',
  ],
  [
    '§8 android-app Google search app → package/referral (decision D10)',
    LANDING,
    'android-app://com.google.android.googlequicksearchbox/',
    'com.google.android.googlequicksearchbox',
    'referral',
    'Referral',
  ],
  // §1.4.4 self-referrals
  [
    '§1.4.4 self-referral: same host is ignored → direct',
    LANDING,
    'https://www.example.com/blog',
    '(direct)',
    '(none)',
    'Direct',
  ],
  [
    '§1.4.4 self-referral: a subdomain is ignored',
    LANDING,
    'https://app.example.com/login',
    '(direct)',
    '(none)',
    'Direct',
  ],
  [
    '§1.4.4 self-referral: the apex from a subdomain landing',
    'https://shop.example.co.uk/',
    'https://example.co.uk/',
    '(direct)',
    '(none)',
    'Direct',
  ],
  [
    '§1.4.4 self-referral: http vs https and ports do not matter',
    'https://example.com.au/',
    'http://blog.example.com.au:8080/',
    '(direct)',
    '(none)',
    'Direct',
  ],
  [
    '§1.4.4 not a self-referral: another site on a shared host (github.io)',
    'https://alice.github.io/',
    'https://bob.github.io/',
    'bob.github.io',
    'referral',
    'Referral',
  ],
  [
    '§1.4.4 not a self-referral: same name, different TLD',
    LANDING,
    'https://example.org/',
    'example.org',
    'referral',
    'Referral',
  ],
  [
    '§1.4.4 a tagged self-referral is still tagged',
    `${LANDING}?utm_source=app&utm_medium=link`,
    'https://app.example.com/',
    'app',
    'link',
    'Referral',
  ],
  // §1.4.5 direct
  ['§1.4.5 nothing → (direct)/(none), GA4 rule 1', LANDING, '', '(direct)', '(none)', 'Direct'],
  ['§1.4.5 a non-http referrer is no referrer', LANDING, 'about:blank', '(direct)', '(none)', 'Direct'],
  ['§1.4.5 a garbage referrer is no referrer', LANDING, '%%%not a url', '(direct)', '(none)', 'Direct'],
];

describe('parseTouch: GA4 source/medium and channel of realistic landings', () => {
  it.each(CASES)('%s', (_why, url, referrer, source, medium, channel) => {
    const touch = parseTouch({ url, referrer });
    expect({ source: touch.source, medium: touch.medium, channel: touch.channel }).toEqual({
      source,
      medium,
      channel,
    });
  });
});

describe('parseTouch: fields', () => {
  it('fills every campaign field from its utm_* parameter', () => {
    const touch = parseTouch({
      url:
        'https://example.com/?utm_source=Google&utm_medium=CPC&utm_campaign=Spring+Sale&utm_term=crm%20forms' +
        '&utm_content=hero&utm_id=123&utm_source_platform=SA360&utm_creative_format=video&utm_marketing_tactic=prospecting',
      referrer: 'https://www.google.com/',
      timestamp: '2025-03-01T10:00:00Z',
    });
    expect(touch).toEqual({
      channel: 'Paid Search',
      source: 'google',
      medium: 'cpc',
      campaign: 'Spring Sale',
      term: 'crm forms',
      content: 'hero',
      id: '123',
      sourcePlatform: 'SA360',
      creativeFormat: 'video',
      marketingTactic: 'prospecting',
      clickIds: {},
      raw: { source: 'Google', medium: 'CPC' },
      referrer: 'https://www.google.com/',
      referringDomain: 'google.com',
      landingPage:
        'https://example.com/?utm_source=Google&utm_medium=CPC&utm_campaign=Spring+Sale&utm_term=crm%20forms' +
        '&utm_content=hero&utm_id=123&utm_source_platform=SA360&utm_creative_format=video&utm_marketing_tactic=prospecting',
      timestamp: '2025-03-01T10:00:00.000Z',
    });
  });

  it('with gclid, raw is the chosen google/cpc and the tagged campaign is kept (decision D1)', () => {
    const touch = parseTouch({ url: 'https://example.com/?gclid=abc&utm_source=bing&utm_campaign=brand' });
    expect(touch.raw).toEqual({ source: 'google', medium: 'cpc' });
    expect(touch.campaign).toBe('brand');
    expect(touch.clickIds).toEqual({ gclid: 'abc' });
  });

  it('captures every known click ID', () => {
    const query = CLICK_ID_PARAMS.map((name, i) => `${name}=v${i}`).join('&');
    const touch = parseTouch({ url: `https://example.com/?${query}` });
    expect(touch.clickIds).toEqual(Object.fromEntries(CLICK_ID_PARAMS.map((name, i) => [name, `v${i}`])));
    expect(CLICK_ID_PARAMS).toEqual([
      'gclid',
      'gclsrc',
      'gbraid',
      'wbraid',
      'gad_source',
      'dclid',
      'fbclid',
      'msclkid',
      'ttclid',
      'twclid',
      'li_fat_id',
      'rdt_cid',
      'epik',
      'qclid',
      'sccid',
      'irclid',
      '_kx',
      'mc_cid',
      'igshid',
    ]);
  });

  it('captures extra click IDs the integrator names', () => {
    const touch = parseTouch({
      url: 'https://example.com/?oppref=o1&rtid=r1&other=x',
      clickIdParams: ['oppref', 'rtid'],
    });
    expect(touch.clickIds).toEqual({ oppref: 'o1', rtid: 'r1' });
  });

  it('the referrer is kept even when it is ignored as a self-referral', () => {
    const touch = parseTouch({ url: 'https://example.com/', referrer: 'https://app.example.com/x' });
    expect(touch.channel).toBe('Direct');
    expect(touch.referrer).toBe('https://app.example.com/x');
    expect(touch.referringDomain).toBe('app.example.com');
  });

  it('android-app hosts are the referring domain as they are', () => {
    const touch = parseTouch({
      url: 'https://example.com/',
      referrer: 'android-app://com.google.android.gm/',
    });
    expect(touch.referringDomain).toBe('com.google.android.gm');
  });

  it('has no referrer fields without a referrer', () => {
    const touch = parseTouch({ url: 'https://example.com/' });
    expect(touch).not.toHaveProperty('referrer');
    expect(touch).not.toHaveProperty('referringDomain');
  });

  it('drops the fragment from the landing page (it can hold tokens)', () => {
    expect(parseTouch({ url: 'https://example.com/cb?x=1#access_token=secret' }).landingPage).toBe(
      'https://example.com/cb?x=1',
    );
  });

  it('applies custom rules before GA4’s', () => {
    const touch = parseTouch({
      url: 'https://example.com/?utm_source=chatgpt.com',
      rules: [{ channel: 'AI Assistants', source: ['chatgpt.com', 'perplexity.ai'] }],
    });
    expect(touch.channel).toBe('AI Assistants');
  });

  it.each<[string, string | number | Date, string]>([
    ['an ISO string', '2025-01-02T03:04:05Z', '2025-01-02T03:04:05.000Z'],
    ['epoch milliseconds', 1735787045000, '2025-01-02T03:04:05.000Z'],
    ['a Date', new Date(Date.UTC(2025, 0, 2, 3, 4, 5)), '2025-01-02T03:04:05.000Z'],
  ])('timestamp from %s', (_kind, timestamp, iso) => {
    expect(parseTouch({ url: 'https://example.com/', timestamp }).timestamp).toBe(iso);
  });

  it('an invalid or missing timestamp becomes now', () => {
    const before = Date.now();
    const parsed = [parseTouch({ url: '/', timestamp: 'yesterday-ish' }), parseTouch({ url: '/' })];
    const after = Date.now();
    for (const touch of parsed) {
      const ms = Date.parse(touch.timestamp);
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after);
    }
  });
});

describe('parseTouch: bad input', () => {
  it('strips control characters from values', () => {
    const touch = parseTouch({ url: 'https://example.com/?utm_source=goo%00gle%0A&utm_medium=cp%1Bc' });
    expect([touch.source, touch.medium]).toEqual(['google', 'cpc']);
  });

  it('caps values at 256 and URLs at 1000 characters', () => {
    const long = 'x'.repeat(300);
    const tagged = parseTouch({
      url: `https://example.com/?utm_source=${long}&utm_campaign=${long}&pad=${'p'.repeat(5000)}`,
      referrer: `https://ref.test/${'r'.repeat(5000)}`,
    });
    expect(tagged.landingPage).toHaveLength(1000);
    expect(tagged.referrer).toHaveLength(1000);
    expect(tagged.source).toHaveLength(256);
    expect(tagged.raw.source).toHaveLength(256);
    expect(tagged.campaign).toHaveLength(256);
    expect(parseTouch({ url: `https://example.com/?gclid=${long}` }).clickIds.gclid).toHaveLength(256);
    const referred = parseTouch({ url: '/', referrer: `https://${'a'.repeat(60)}.${'b'.repeat(60)}.test/` });
    expect(referred.source.length).toBeLessThanOrEqual(256);
  });

  it('reads only the capped landing page, as the server will when it re-derives the touch', () => {
    const touch = parseTouch({ url: `https://example.com/?pad=${'x'.repeat(1000)}&utm_source=late` });
    expect(touch.source).toBe('(direct)');
    expect(parseTouch({ url: touch.landingPage })).toMatchObject({ source: '(direct)', channel: 'Direct' });
  });

  it('survives thousands of repeated parameters', () => {
    const url = `https://example.com/?${'utm_source=a&'.repeat(5000)}utm_source=b`;
    expect(parseTouch({ url }).source).toBe('a');
  });

  it('keeps broken percent-encoding as written', () => {
    const touch = parseTouch({ url: 'https://example.com/?utm_source=100%&utm_campaign=%E0%A4%A' });
    expect(touch.source).toBe('100%');
    expect(touch.campaign).toBe('\ufffd%A');
  });

  it('never throws on nonsense from plain-JS callers', () => {
    const nonsense = [undefined, null, {}, { url: 42 }, { url: {}, referrer: [] }, { url: '/', rules: 'x' }];
    for (const input of nonsense) {
      expect(parseTouch(input as never).channel).toBe('Direct');
    }
  });
});
