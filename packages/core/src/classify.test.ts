import { describe, expect, it } from 'vitest';
import { type ChannelRule, classify, decidingRule } from './classify.js';
import { CHANNELS } from './types.js';

// Each row: [why, citing the rule of https://support.google.com/analytics/answer/9756891 that decides it,
//            source, medium, campaign, expected channel]
const GA4_CASES: [string, string, string, string, string][] = [
  ['GA4 rule 1 Direct: (direct)/(none)', '(direct)', '(none)', '', 'Direct'],
  ['GA4 rule 1 Direct: (direct)/(not set)', '(direct)', '(not set)', '', 'Direct'],
  [
    'GA4 rule 8 Paid Other, not Direct: (direct)/cpc (rule 1 needs medium (none) or (not set))',
    '(direct)',
    'cpc',
    '',
    'Paid Other',
  ],
  [
    'GA4 rule 2 Cross-network: campaign contains cross-network',
    'google',
    'cpc',
    'pmax_cross-network_q3',
    'Cross-network',
  ],
  [
    'GA4 rule 2 Cross-network beats rule 4: case-insensitive campaign',
    'google',
    'cpc',
    'Brand Cross-Network',
    'Cross-network',
  ],
  ['GA4 rule 3 Paid Shopping: shopping source amazon/cpc', 'amazon', 'cpc', '', 'Paid Shopping'],
  ['GA4 rule 3 Paid Shopping: IGShopping/paid_social', 'IGShopping', 'paid_social', '', 'Paid Shopping'],
  ['GA4 rule 3 Paid Shopping: Google Shopping/ppc', 'Google Shopping', 'ppc', '', 'Paid Shopping'],
  [
    'GA4 rule 3 Paid Shopping beats rule 4: google/cpc with a shop campaign',
    'google',
    'cpc',
    'spring_shop',
    'Paid Shopping',
  ],
  [
    'GA4 rule 3 Paid Shopping: campaign "eshop" (e may precede shop)',
    'newsletter',
    'cpc',
    'eshop',
    'Paid Shopping',
  ],
  ['GA4 rule 4 Paid Search: google/cpc', 'google', 'cpc', '', 'Paid Search'],
  ['GA4 rule 4 Paid Search: bing/ppc', 'bing', 'ppc', '', 'Paid Search'],
  ['GA4 rule 4 Paid Search: baidu/paid', 'baidu', 'paid', '', 'Paid Search'],
  ['GA4 rule 4 Paid Search: yandex.ru/retargeting', 'yandex.ru', 'retargeting', '', 'Paid Search'],
  [
    'GA4 rule 4 Paid Search: campaign "workshop" is not shopping (k precedes shop)',
    'google',
    'cpc',
    'workshop',
    'Paid Search',
  ],
  [
    'GA4 rule 5 Paid Social: facebook/cpm (cpm is PAID, rule 5 comes before rule 7)',
    'facebook',
    'cpm',
    '',
    'Paid Social',
  ],
  ['GA4 rule 5 Paid Social: linkedin/paid_social', 'linkedin', 'paid_social', '', 'Paid Social'],
  ['GA4 rule 5 Paid Social: case-insensitive FaceBook/CPC', 'FaceBook', 'CPC', '', 'Paid Social'],
  [
    'GA4 rule 5 Paid Social: campaign "bishop" is not shopping (i precedes shop)',
    'fb',
    'cpc',
    'bishop',
    'Paid Social',
  ],
  ['GA4 rule 6 Paid Video: youtube/cpm', 'youtube', 'cpm', '', 'Paid Video'],
  ['GA4 rule 6 Paid Video: vimeo/cpv', 'vimeo', 'cpv', '', 'Paid Video'],
  ['GA4 rule 7 Display: unknownsite/cpm', 'unknownsite', 'cpm', '', 'Display'],
  ['GA4 rule 7 Display: display', 'adnetwork', 'display', '', 'Display'],
  ['GA4 rule 7 Display: banner', 'adnetwork', 'banner', '', 'Display'],
  ['GA4 rule 7 Display: expandable', 'adnetwork', 'expandable', '', 'Display'],
  ['GA4 rule 7 Display: interstitial', 'adnetwork', 'interstitial', '', 'Display'],
  [
    'GA4 rule 7 Display beats rule 10: facebook/display (display is not PAID)',
    'facebook',
    'display',
    '',
    'Display',
  ],
  ['GA4 rule 8 Paid Other: unlisted source, cpc', 'partner-network', 'cpc', '', 'Paid Other'],
  ['GA4 rule 8 Paid Other: cpa (contains cp)', 'partner-network', 'cpa', '', 'Paid Other'],
  ['GA4 rule 8 Paid Other: paid-anything', 'partner-network', 'paidpush', '', 'Paid Other'],
  ['GA4 rule 8 Paid Other: retargeting', 'partner-network', 'retargeting', '', 'Paid Other'],
  ['GA4 rule 9 Organic Shopping: amazon.com/referral', 'amazon.com', 'referral', '', 'Organic Shopping'],
  [
    'GA4 rule 9 Organic Shopping: summer_shop campaign with medium email (rule 9 before 14)',
    'newsletter',
    'email',
    'summer_shop',
    'Organic Shopping',
  ],
  [
    'GA4 rule 9 Organic Shopping: campaign "shop_now"',
    'newsletter',
    'newsletter',
    'shop_now',
    'Organic Shopping',
  ],
  [
    'GA4 rule 9 Organic Shopping: campaign containing "shopping"',
    'partner',
    'link',
    'xmasshopping',
    'Organic Shopping',
  ],
  ['GA4 rule 10 Organic Social: l.facebook.com/referral', 'l.facebook.com', 'referral', '', 'Organic Social'],
  ['GA4 rule 10 Organic Social: t.co/referral', 't.co', 'referral', '', 'Organic Social'],
  [
    'GA4 rule 10 Organic Social: social source with medium email (rule 10 before 14)',
    'facebook',
    'email',
    '',
    'Organic Social',
  ],
  ['GA4 rule 10 Organic Social: medium social', 'forum', 'social', '', 'Organic Social'],
  ['GA4 rule 10 Organic Social: medium social-network', 'forum', 'social-network', '', 'Organic Social'],
  ['GA4 rule 10 Organic Social: medium social-media', 'forum', 'social-media', '', 'Organic Social'],
  ['GA4 rule 10 Organic Social: medium sm', 'forum', 'sm', '', 'Organic Social'],
  ['GA4 rule 10 Organic Social: medium "social network"', 'forum', 'social network', '', 'Organic Social'],
  ['GA4 rule 10 Organic Social: medium "social media"', 'forum', 'social media', '', 'Organic Social'],
  ['GA4 rule 11 Organic Video: youtube.com/referral', 'youtube.com', 'referral', '', 'Organic Video'],
  ['GA4 rule 11 Organic Video: medium contains video', 'blog', 'video_embed', '', 'Organic Video'],
  ['GA4 rule 12 Organic Search: google/organic', 'google', 'organic', '', 'Organic Search'],
  [
    'GA4 rule 12 Organic Search: yandex.ru/referral (listed as search)',
    'yandex.ru',
    'referral',
    '',
    'Organic Search',
  ],
  [
    'GA4 rule 12 Organic Search: unlisted source, medium organic',
    'startpage',
    'organic',
    '',
    'Organic Search',
  ],
  ['GA4 rule 13 Referral: example.org/referral', 'example.org', 'referral', '', 'Referral'],
  ['GA4 rule 13 Referral: medium app', 'partner', 'app', '', 'Referral'],
  ['GA4 rule 13 Referral: medium link', 'partner', 'link', '', 'Referral'],
  [
    'GA4 rule 13 Referral: x.com/referral (x.com is not in the 2023 list)',
    'x.com',
    'referral',
    '',
    'Referral',
  ],
  [
    'GA4 rule 13 Referral beats rule 14: email/referral (current page order)',
    'email',
    'referral',
    '',
    'Referral',
  ],
  ['GA4 rule 14 Email: medium email', 'newsletter', 'email', '', 'Email'],
  ['GA4 rule 14 Email: medium e-mail', 'newsletter', 'e-mail', '', 'Email'],
  ['GA4 rule 14 Email: medium e_mail', 'newsletter', 'e_mail', '', 'Email'],
  ['GA4 rule 14 Email: medium "e mail"', 'newsletter', 'e mail', '', 'Email'],
  ['GA4 rule 14 Email: source email', 'Email', '(not set)', '', 'Email'],
  ['GA4 rule 15 Affiliates: affiliate', 'partner', 'affiliate', '', 'Affiliates'],
  ['GA4 rule 16 Audio: audio', 'podcast-network', 'audio', '', 'Audio'],
  ['GA4 rule 17 SMS: medium sms', 'twilio', 'sms', '', 'SMS'],
  ['GA4 rule 17 SMS: source sms', 'sms', '(not set)', '', 'SMS'],
  [
    'GA4 rule 18 Mobile Push Notifications: medium ends with push',
    'onesignal',
    'web-push',
    '',
    'Mobile Push Notifications',
  ],
  [
    'GA4 rule 18 Mobile Push Notifications: medium contains mobile',
    'app',
    'mobile_banner',
    '',
    'Mobile Push Notifications',
  ],
  [
    'GA4 rule 18 Mobile Push Notifications: medium contains notification',
    'app',
    'in-app-notification',
    '',
    'Mobile Push Notifications',
  ],
  [
    'GA4 rule 18 Mobile Push Notifications: source firebase',
    'firebase',
    '(not set)',
    '',
    'Mobile Push Notifications',
  ],
  ['GA4 rule 19 Unassigned: chatgpt.com/(not set)', 'chatgpt.com', '(not set)', '', 'Unassigned'],
  [
    'GA4 rule 19 Unassigned: social_media with an underscore is not a social medium',
    'forum',
    'social_media',
    '',
    'Unassigned',
  ],
  ['GA4 rule 19 Unassigned: affiliates (plural) is not affiliate', 'partner', 'affiliates', '', 'Unassigned'],
  [
    'GA4 rule 19 Unassigned: email is a full match, newsletter-email is not',
    'newsletter',
    'newsletter-email',
    '',
    'Unassigned',
  ],
  ['GA4 rule 19 Unassigned: (not set)/(not set)', '(not set)', '(not set)', '', 'Unassigned'],
];

describe('classify: GA4 default channel group', () => {
  it.each(GA4_CASES)('%s', (_why, source, medium, campaign, expected) => {
    expect(classify({ source, medium, campaign })).toBe(expected);
  });

  it('every one of the 19 rules is covered by a case above', () => {
    const covered = new Set(
      GA4_CASES.map(([, source, medium, campaign]) => decidingRule({ source, medium, campaign })),
    );
    expect([...covered].sort((a, b) => a - b)).toEqual(CHANNELS.map((_, i) => i + 1));
  });

  it('campaign is optional', () => {
    expect(classify({ source: 'google', medium: 'cpc' })).toBe('Paid Search');
  });
});

describe('classify: custom rules', () => {
  const ai: ChannelRule = { channel: 'AI Assistants', source: ['chatgpt.com', 'perplexity.ai'] };

  it('a prepended rule wins over GA4', () => {
    expect(classify({ source: 'ChatGPT.com', medium: '(not set)' }, [ai])).toBe('AI Assistants');
    expect(classify({ source: 'chatgpt.com', medium: 'referral' }, [ai])).toBe('AI Assistants');
  });

  it('GA4 still decides when no custom rule matches', () => {
    expect(classify({ source: 'google', medium: 'organic' }, [ai])).toBe('Organic Search');
  });

  it('the first matching custom rule wins', () => {
    const rules: ChannelRule[] = [
      { channel: 'First', medium: 'cpc' },
      { channel: 'Second', medium: 'cpc' },
    ];
    expect(classify({ source: 'x', medium: 'cpc' }, rules)).toBe('First');
  });

  it.each<[string, ChannelRule, boolean]>([
    ['a string is an exact, case-insensitive match', { channel: 'C', medium: 'Partner' }, true],
    ['a string does not match a substring', { channel: 'C', medium: 'part' }, false],
    ['an array matches any of its strings', { channel: 'C', medium: ['x', 'PARTNER'] }, true],
    ['contains matches a substring', { channel: 'C', source: { contains: 'NEWS' } }, true],
    ['regex is searched, case-insensitively', { channel: 'C', source: { regex: 'letter$' } }, true],
    ['regex can be anchored', { channel: 'C', source: { regex: '^letter' } }, false],
    ['campaign is matched', { channel: 'C', campaign: { contains: 'black-friday' } }, true],
    ['sourceCategory uses Google’s list', { channel: 'C', sourceCategory: 'social' }, false],
    ['all conditions must hold', { channel: 'C', source: 'newsletter', medium: 'cpc' }, false],
    ['a rule without conditions matches everything', { channel: 'C' }, true],
  ])('%s', (_why, rule, matches) => {
    const input = { source: 'Newsletter', medium: 'partner', campaign: 'Black-Friday-2025' };
    expect(classify(input, [rule])).toBe(matches ? 'C' : 'Unassigned');
  });

  it('sourceCategory matches one or several categories', () => {
    expect(classify({ source: 'fb', medium: 'referral' }, [{ channel: 'S', sourceCategory: 'social' }])).toBe(
      'S',
    );
    expect(
      classify({ source: 'youtube', medium: 'x' }, [{ channel: 'SV', sourceCategory: ['social', 'video'] }]),
    ).toBe('SV');
  });

  it('skips rules with an invalid regex or a broken shape instead of throwing', () => {
    const broken = [
      { channel: 'Bad regex', source: { regex: '(' } },
      null,
      { channel: 42 },
      { channel: 'Bad matcher', source: 7 },
    ] as unknown as ChannelRule[];
    expect(classify({ source: 'google', medium: 'organic' }, broken)).toBe('Organic Search');
  });

  it('a JSON round trip keeps rules working (they live in the webhook’s JSON config)', () => {
    const rules = JSON.parse(JSON.stringify([ai, { channel: 'Partners', medium: { regex: '^partner' } }]));
    expect(classify({ source: 'acme', medium: 'partner_feed' }, rules)).toBe('Partners');
  });
});
