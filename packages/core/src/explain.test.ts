import { describe, expect, it } from 'vitest';
import { explainTouch } from './explain.js';
import { parseTouch } from './touch.js';

describe('explainTouch', () => {
  it('returns the same touch as parseTouch plus the deciding GA4 rule and why', () => {
    const input = { url: 'https://example.com/?utm_source=facebook&utm_medium=cpm', timestamp: 0 };
    const explained = explainTouch(input);
    expect(explained.touch).toEqual(parseTouch(input));
    expect(explained).toMatchObject({
      rule: 5,
      ruleName: 'Paid Social',
      origin: 'utm',
      sourceCategory: 'social',
      reason:
        'source "facebook" is in Google\'s social list and medium "cpm" matches ^(.*cp.*|ppc|retargeting|paid.*)$',
    });
  });

  it('explains a search-engine referral', () => {
    const explained = explainTouch({ url: 'https://example.com/', referrer: 'https://www.google.de/' });
    expect(explained).toMatchObject({ rule: 12, ruleName: 'Organic Search', origin: 'search-engine' });
    expect(explained.originReason).toContain('google.de is a known search engine');
  });

  it('explains a self-referral and a direct visit', () => {
    const self = explainTouch({ url: 'https://example.com/', referrer: 'https://app.example.com/' });
    expect(self).toMatchObject({ rule: 1, ruleName: 'Direct', origin: 'self-referral' });
    expect(self.originReason).toContain('app.example.com is on the landing page');
    expect(explainTouch({ url: 'https://example.com/' })).toMatchObject({ rule: 1, origin: 'direct' });
  });

  it('explains gclid precedence', () => {
    const explained = explainTouch({ url: 'https://example.com/?gclid=x&utm_source=bing' });
    expect(explained).toMatchObject({ rule: 4, origin: 'gclid' });
    expect(explained.originReason).toContain('wins over utm_*');
  });

  it('names the custom rule that decided', () => {
    const rules = [
      { channel: 'Partners', medium: 'partner' },
      { channel: 'AI Assistants', source: { contains: 'chatgpt' } },
    ];
    const explained = explainTouch({ url: 'https://example.com/?utm_source=chatgpt.com', rules });
    expect(explained).toMatchObject({
      rule: 'custom',
      customRule: 1,
      ruleName: 'AI Assistants (custom rule 2)',
      reason: 'custom rule 2 matched: {"channel":"AI Assistants","source":{"contains":"chatgpt"}}',
    });
  });

  it('does not interpret $ patterns from untrusted values', () => {
    const explained = explainTouch({ url: "https://example.com/?utm_source=$'x&utm_medium=$%26" });
    expect(explained.reason).toBe('no GA4 rule matched source "$\'x" / medium "$&"');
  });
});
