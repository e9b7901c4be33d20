import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureTouch } from './capture-touch.js';
import { type ChannelRule, classify } from './classify.js';
import { parseTouch } from './touch.js';
import { CHANNELS, type Touch } from './types.js';

// FC_RUNS=20000 for a deeper search than CI's default.
const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 500) };
const channels: readonly string[] = CHANNELS;

function expectWithinCaps(touch: Touch) {
  for (const key of ['landingPage', 'referrer'] as const)
    expect(touch[key]?.length ?? 0).toBeLessThanOrEqual(1000);
  const values = [
    touch.source,
    touch.medium,
    touch.raw.source,
    touch.raw.medium,
    touch.campaign,
    touch.term,
    touch.content,
    touch.id,
    touch.sourcePlatform,
    touch.creativeFormat,
    touch.marketingTactic,
    touch.referringDomain,
    ...Object.values(touch.clickIds),
  ];
  for (const value of values) expect(value?.length ?? 0).toBeLessThanOrEqual(256);
  expect(Number.isNaN(Date.parse(touch.timestamp))).toBe(false);
}

const anyText = fc.string({ unit: 'binary', maxLength: 400 });
const PARAM_NAMES = [
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'gclid',
  'fbclid',
  'msclkid',
  'x',
];
// URLs shaped like real landings, with hostile values: raw or percent-encoded, repeated, huge.
const param = fc
  .tuple(fc.constantFrom(...PARAM_NAMES), anyText, fc.boolean())
  .map(([name, value, encode]) => `${name}=${encode ? encodeURIComponent(value) : value}`);
const landing = fc
  .tuple(fc.webUrl(), fc.array(param, { maxLength: 8 }), fc.option(anyText))
  .map(([base, params, fragment]) => `${base}?${params.join('&')}${fragment === null ? '' : `#${fragment}`}`);
const referrer = fc.oneof(
  fc.webUrl(),
  fc.domain().map((d) => `https://${d}/`),
  fc.constantFrom('', 'about:blank', 'android-app://com.google.android.gm/', 'https://www.google.com/'),
  anyText,
);

describe('parseTouch properties', () => {
  it('never throws on arbitrary strings, returns one of the 19 channels and stays within caps', () => {
    fc.assert(
      fc.property(anyText, anyText, (url, ref) => {
        const touch = parseTouch({ url, referrer: ref });
        expect(channels).toContain(touch.channel);
        expectWithinCaps(touch);
      }),
      RUNS,
    );
  });

  it('on URL-shaped input: valid channel, caps, lowercase source/medium, agrees with classify', () => {
    fc.assert(
      fc.property(landing, referrer, (url, ref) => {
        const touch = parseTouch({ url, referrer: ref });
        expect(channels).toContain(touch.channel);
        expectWithinCaps(touch);
        expect(touch.source).toBe(touch.source.toLowerCase());
        expect(touch.medium).toBe(touch.medium.toLowerCase());
        expect(classify(touch)).toBe(touch.channel);
      }),
      RUNS,
    );
  });

  it('re-deriving from the stored landingPage and referrer gives the same result (what the server does)', () => {
    fc.assert(
      fc.property(landing, referrer, (url, ref) => {
        const first = parseTouch({ url, referrer: ref, timestamp: 0 });
        const again = parseTouch({ url: first.landingPage, referrer: first.referrer, timestamp: 0 });
        expect(again).toEqual(first);
      }),
      RUNS,
    );
  });

  it('captureTouch (no source list) is parseTouch without the channel, on any input', () => {
    fc.assert(
      fc.property(fc.oneof(landing, anyText), referrer, (url, ref) => {
        const { channel, ...facts } = parseTouch({ url, referrer: ref, timestamp: 0 });
        expect(channels).toContain(channel);
        expect(captureTouch({ url, referrer: ref, timestamp: 0 })).toStrictEqual(facts);
      }),
      RUNS,
    );
  });

  it('never throws with arbitrary custom rules (e.g. a hand-written JSON config) and click-ID names', () => {
    const clickIdNames = fc.option(fc.array(fc.oneof(fc.constantFrom(...PARAM_NAMES), anyText)), {
      nil: undefined,
    });
    fc.assert(
      fc.property(landing, referrer, fc.anything(), clickIdNames, (url, ref, rules, clickIdParams) => {
        const touch = parseTouch({
          url,
          referrer: ref,
          rules: rules as ChannelRule[],
          clickIdParams,
        });
        expect(typeof touch.channel).toBe('string');
      }),
      RUNS,
    );
  });
});
