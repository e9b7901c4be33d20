import { type Lead, parseLead } from '@leadkit/core/lead';
import { describe, expect, it } from 'vitest';
import { type Condition, ConditionSchema, describeCondition, evaluate } from '../src/conditions.js';
import { type ConfigError, parseConfig } from '../src/config.js';
import { emailType, isFreeMailDomain } from '../src/free-mail.js';
import { buildSubject } from '../src/subject.js';
import { fullLead } from './helpers.js';

function lead(overrides: Parameters<typeof fullLead>[0] = {}): Lead {
  const r = parseLead(fullLead(overrides));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.lead;
}

const RECEIVED = Date.parse('2026-11-12T10:00:00.000Z');
const base = lead({
  fields: { email: 'Ada@Engines.co.uk', companySize: '51-200', employees: '250', interests: ['CRM', 'Ads'] },
});
base.attribution!.pages = ['/pricing', '/blog/pricing-tips', '/'];
base.attribution!.sessions = 3;
const subject = buildSubject({ lead: base, receivedAt: RECEIVED, score: 60, grade: 'B', stage: 'mql' });

const holds = (c: unknown) => evaluate(ConditionSchema.parse(c), subject);

describe('conditions', () => {
  it('compares strings without case, numbers in text as numbers, lists item by item', () => {
    expect(holds({ field: 'fields.companySize', in: ['51-200', '201-1000'] })).toBe(true);
    expect(holds({ field: 'fields.COMPANYSIZE', eq: '51-200' })).toBe(true);
    expect(holds({ field: 'fields.companySize', in: ['1-10'] })).toBe(false);
    expect(holds({ field: 'fields.employees', gte: 200 })).toBe(true);
    expect(holds({ field: 'fields.employees', lt: 200 })).toBe(false);
    expect(holds({ field: 'fields.interests', eq: 'crm' })).toBe(true);
    expect(holds({ field: 'score', gte: 50 })).toBe(true);
    expect(holds({ field: 'score', gt: 60 })).toBe(false);
    expect(holds({ field: 'grade', eq: 'b' })).toBe(true);
    expect(holds({ field: 'stage', eq: 'mql' })).toBe(true);
    expect(holds({ field: 'email', eq: 'ada@engines.co.uk' })).toBe(true);
    expect(holds({ field: 'emailDomain', matches: '\\.co\\.uk$' })).toBe(true);
    expect(holds({ field: 'emailType', eq: 'business' })).toBe(true);
    expect(holds({ field: 'firstTouch.campaign', matches: '^spr' })).toBe(true);
    expect(holds({ field: 'formId', eq: 'DEMO-REQUEST' })).toBe(true);
    expect(holds({ field: 'journey.pageviews', eq: 4 })).toBe(true);
    expect(holds({ field: 'journey.sessions', gte: 3 })).toBe(true);
    // First touch 2026-11-01T10:00Z, received 2026-11-12T10:00Z: 11 whole days.
    expect(holds({ field: 'journey.daysSinceFirstTouch', eq: 11 })).toBe(true);
  });

  it('contains: an item of a list, a substring of text', () => {
    expect(holds({ field: 'journey.pages', contains: '/pricing' })).toBe(true);
    expect(holds({ field: 'journey.pages', contains: '/blog' })).toBe(false);
    expect(holds({ field: 'journey.pages', matches: '^/blog/' })).toBe(true);
    expect(holds({ field: 'fields.companySize', contains: '200' })).toBe(true);
  });

  it('missing values fail every test except ne and exists: false', () => {
    expect(holds({ field: 'fields.budget', eq: 'x' })).toBe(false);
    expect(holds({ field: 'fields.budget', gte: 0 })).toBe(false);
    expect(holds({ field: 'fields.budget', ne: 'x' })).toBe(true);
    expect(holds({ field: 'fields.budget', exists: false })).toBe(true);
    expect(holds({ field: 'fields.companySize', exists: true })).toBe(true);
    expect(holds({ field: 'campaign', exists: true })).toBe(false); // last touch has none
    expect(holds({ field: 'owner', exists: true })).toBe(false);
  });

  it('combines with all, any and not', () => {
    const c = {
      all: [
        { field: 'emailType', eq: 'business' },
        {
          any: [
            { field: 'score', gte: 90 },
            { field: 'journey.pages', contains: '/pricing' },
          ],
        },
        { not: { field: 'fields.companySize', eq: '1-10' } },
      ],
    };
    expect(holds(c)).toBe(true);
    expect(holds({ not: c })).toBe(false);
    expect(
      holds({
        any: [
          { field: 'score', lt: 0 },
          { field: 'grade', eq: 'A' },
        ],
      }),
    ).toBe(false);
  });

  it('writes a condition out readably (the default name of a scoring rule)', () => {
    const c = ConditionSchema.parse({
      all: [
        { field: 'fields.companySize', in: ['51-200', '201-1000'] },
        { any: [{ field: 'score', gte: 50 }, { not: { field: 'campaign', matches: '^spring' } }] },
      ],
    }) as Condition;
    expect(describeCondition(c)).toBe(
      'fields.companySize in ["51-200", "201-1000"] and (score ≥ 50 or not (campaign matches /^spring/))',
    );
    expect(describeCondition({ field: 'journey.pages', contains: '/pricing' })).toBe(
      'journey.pages contains "/pricing"',
    );
  });
});

describe('free mail', () => {
  it('knows the providers, their subdomains, and leaves company domains alone', () => {
    expect(emailType('gmail.com')).toBe('free');
    expect(emailType('mail.yahoo.com')).toBe('free');
    expect(emailType('hotmail.co.uk')).toBe('free');
    expect(emailType('proton.me')).toBe('free');
    expect(emailType('engines.co.uk')).toBe('business');
    expect(emailType('example.com')).toBe('business');
    expect(emailType(undefined)).toBe('none');
    expect(isFreeMailDomain('co.uk')).toBe(false);
  });
});

describe('condition errors name the key', () => {
  const issues = (config: unknown) => {
    try {
      parseConfig(config, { env: {} });
    } catch (e) {
      return (e as ConfigError).issues;
    }
    throw new Error('config was accepted');
  };
  const hook = {
    type: 'webhook',
    name: 'sales',
    url: 'https://hooks.example.com/x',
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  };

  it('unknown subject paths, tests and values', () => {
    expect(issues({ destinations: [{ ...hook, when: { field: 'scor', gte: 50 } }] })).toEqual([
      expect.objectContaining({
        path: 'destinations[0].when.field',
        message: expect.stringContaining('"scor" is not something'),
      }),
    ]);
    expect(
      issues({ destinations: [{ ...hook, when: { field: 'score', greater: 50 } }] }).map((i) => i.path),
    ).toEqual(['destinations[0].when.greater', 'destinations[0].when']);
    expect(issues({ destinations: [{ ...hook, when: { field: 'score', gte: '50' } }] })).toEqual([
      { path: 'destinations[0].when.gte', message: 'must be a number' },
    ]);
    expect(
      issues({ destinations: [{ ...hook, when: { any: [{ field: 'campaign', matches: '(' }] } }] })[0]!.path,
    ).toBe('destinations[0].when.any[0].matches');
    expect(issues({ destinations: [{ ...hook, when: { field: 'score', gte: 1, lte: 9 } }] })).toEqual([
      expect.objectContaining({
        path: 'destinations[0].when',
        message: expect.stringContaining('exactly one test'),
      }),
    ]);
    expect(issues({ destinations: [{ ...hook, when: { all: [] } }] })).toEqual([
      { path: 'destinations[0].when.all', message: 'must be a non-empty list of conditions' },
    ]);
    expect(issues({ destinations: [{ ...hook, when: 'score > 50' }] })[0]!.path).toBe('destinations[0].when');
  });

  it('scoring rules cannot read the score; owner rules must name reps', () => {
    expect(issues({ scoring: { rules: [{ when: { field: 'grade', eq: 'A' }, points: 5 }] } })).toEqual([
      expect.objectContaining({
        path: 'scoring.rules[0].when',
        message: expect.stringContaining('cannot use grade'),
      }),
    ]);
    expect(issues({ scoring: { rules: [{ when: { field: 'fields.x', exists: true } }] } })[0]!.path).toBe(
      'scoring.rules[0].points',
    );
    expect(
      issues({
        owners: {
          reps: [{ name: 'Ada' }, { name: 'Ada' }],
          rules: [{ when: { field: 'score', gte: 1 }, assign: ['Ada', 'Bob'] }],
        },
      }),
    ).toEqual([
      { path: 'owners.reps[1].name', message: '"Ada" is used twice' },
      expect.objectContaining({
        path: 'owners.rules[0].assign',
        message: expect.stringContaining('"Bob" is not a rep'),
      }),
    ]);
    expect(issues({ owners: { reps: [{ name: 'Ada', slack: '@ada' }] } })[0]!.path).toBe(
      'owners.reps[0].slack',
    );
    expect(issues({ owners: { reps: [] } })[0]).toEqual({
      path: 'owners.reps',
      message: 'needs at least one rep',
    });
  });
});
