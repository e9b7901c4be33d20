import { describe, expect, it } from 'vitest';
import {
  CANONICAL_FIELDS,
  canonicalFields,
  FieldOverridesSchema,
  HUBSPOT_DEFAULT_FIELDS,
  mapFields,
  mergeFieldMaps,
  SALESFORCE_DEFAULT_FIELDS,
  WEB_TO_LEAD_DEFAULT_FIELDS,
} from '../src/fields.js';
import { sampleLead } from './dest-helpers.js';

describe('canonicalFields', () => {
  it('flattens contact fields, both touches, UTMs of the converting touch, page, consent and ids', () => {
    const c = canonicalFields(sampleLead());
    expect(c).toMatchObject({
      email: 'ada@example.com',
      full_name: 'Ada Lovelace',
      first_name: 'Ada',
      last_name: 'Lovelace',
      company: 'Analytical Engines Ltd',
      phone: '+44 20 7946 0000',
      message: 'We would like a demo.',
      utm_source: 'google',
      utm_medium: 'cpc',
      utm_campaign: 'spring_launch',
      utm_term: 'difference engine',
      utm_content: 'ad_a',
      channel: 'Paid Search',
      first_touch_channel: 'Organic Search',
      first_touch_source: 'google',
      first_touch_medium: 'organic',
      first_touch_landing_page: 'https://www.example.com/blog/engines',
      first_touch_referrer: 'https://www.google.com/',
      last_touch_channel: 'Paid Search',
      last_touch_campaign: 'spring_launch',
      gclid: 'Cj0KCQjw',
      click_ids: 'gclid=Cj0KCQjw',
      page_url: 'https://www.example.com/contact',
      page_title: 'Contact sales',
      consent_granted: 'true',
      consent_text: 'I agree to be contacted about my request.',
      lead_id: 'lead_01J8Z3W6PQ4B7N2M5K8X',
      form_id: 'contact-sales',
      visitor_id: 'v_123',
      locale: 'en-GB',
      time_zone: 'Europe/London',
    });
    // The campaign is absent on the first touch, so the key is absent, not "undefined".
    expect(c).not.toHaveProperty('first_touch_campaign');
    for (const key of Object.keys(c)) expect(CANONICAL_FIELDS).toHaveProperty(key);
  });

  it('recognises common field names regardless of case and separators', () => {
    const c = canonicalFields(
      sampleLead({
        fields: {
          'Work-Email': 'a@b.co',
          First_Name: 'Grace',
          LAST_NAME: 'Hopper',
          Organisation: 'Navy',
          Tel: '1',
        },
      }),
    );
    expect(c).toMatchObject({
      email: 'a@b.co',
      first_name: 'Grace',
      last_name: 'Hopper',
      full_name: 'Grace Hopper',
      company: 'Navy',
      phone: '1',
    });
  });

  it('splits a single name field; one word is the last name', () => {
    expect(canonicalFields(sampleLead({ fields: { name: 'Jean  Luc Picard' } }))).toMatchObject({
      first_name: 'Jean Luc',
      last_name: 'Picard',
    });
    const cher = canonicalFields(sampleLead({ fields: { name: 'Cher' } }));
    expect(cher.last_name).toBe('Cher');
    expect(cher).not.toHaveProperty('first_name');
  });

  it('skips empty values and joins lists', () => {
    const c = canonicalFields(sampleLead({ fields: { email: '  ', company: '', interests: ['a', 'b'] } }));
    expect(c).not.toHaveProperty('email');
    expect(c).not.toHaveProperty('company');
    expect(mapFields(sampleLead({ fields: { interests: ['a', 'b'] } }), { i: 'fields.interests' })).toEqual({
      i: 'a;b',
    });
  });

  it('works for the smallest lead (no attribution, page or consent)', () => {
    const c = canonicalFields(
      sampleLead({ fields: { email: 'x@y.z' }, attribution: undefined, page: undefined, consent: undefined }),
    );
    expect(c).toEqual({
      email: 'x@y.z',
      lead_id: 'lead_01J8Z3W6PQ4B7N2M5K8X',
      form_id: 'contact-sales',
      submitted_at: '2026-09-01T09:59:57.000Z',
      locale: 'en-GB',
      time_zone: 'Europe/London',
    });
  });
});

describe('mapFields', () => {
  it('reads canonical names, lead paths, constants and the first of a list that has a value', () => {
    const lead = sampleLead({ fields: { email: 'ada@example.com', 'plan.tier': 'pro' } });
    expect(
      mapFields(lead, {
        a: 'email',
        b: 'attribution.firstTouch.source',
        c: 'attribution.lastTouch.clickIds.gclid',
        d: 'page.url',
        e: { value: 'Website' },
        f: ['company', { value: '[not provided]' }],
        g: 'fields.plan.tier',
        h: 'attribution.touches.0.source',
        i: 'consent.granted',
      }),
    ).toEqual({
      a: 'ada@example.com',
      b: 'google',
      c: 'Cj0KCQjw',
      d: 'https://www.example.com/contact',
      e: 'Website',
      f: '[not provided]',
      g: 'pro',
      i: 'true',
    });
  });

  it('fills the default maps with the usual CRM fields', () => {
    const lead = sampleLead();
    expect(mapFields(lead, HUBSPOT_DEFAULT_FIELDS)).toMatchObject({
      email: 'ada@example.com',
      firstname: 'Ada',
      lastname: 'Lovelace',
      utm_campaign: 'spring_launch',
      leadkit_first_touch_channel: 'Organic Search',
      leadkit_last_touch_channel: 'Paid Search',
    });
    expect(mapFields(lead, SALESFORCE_DEFAULT_FIELDS)).toMatchObject({
      LastName: 'Lovelace',
      Company: 'Analytical Engines Ltd',
      LeadSource: 'Organic Search',
      UTM_Source__c: 'google',
      Leadkit_Last_Touch_Channel__c: 'Paid Search',
    });
    const anonymous = mapFields(sampleLead({ fields: { email: 'x@y.z' } }), WEB_TO_LEAD_DEFAULT_FIELDS);
    expect(anonymous).toMatchObject({
      last_name: '[not provided]',
      company: '[not provided]',
      email: 'x@y.z',
    });
  });
});

describe('mergeFieldMaps and FieldOverridesSchema', () => {
  it('lets config add, replace and remove (null) mappings', () => {
    const merged = mergeFieldMaps(
      { a: 'email', b: 'phone' },
      { b: 'fields.mobile', c: { value: 'x' }, a: null },
    );
    expect(merged).toEqual({ b: 'fields.mobile', c: { value: 'x' } });
  });

  it('accepts every documented form', () => {
    const ok = FieldOverridesSchema.safeParse({
      x: 'utm_source',
      y: 'attribution.lastTouch.channel',
      z: { value: 'Web' },
      w: ['company', { value: 'n/a' }],
      v: null,
    });
    expect(ok.success).toBe(true);
  });

  it('names the key and the problem for bad sources', () => {
    const bad = FieldOverridesSchema.safeParse({
      Source__c: 'utm_sorce',
      Page__c: 'meta.honeypot',
      T: { text: 'x' },
    });
    expect(bad.success).toBe(false);
    const issues = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(
      issues.some(
        (m) => m.startsWith('Source__c') && m.includes('"utm_sorce" is not a canonical field name'),
      ),
    ).toBe(true);
    expect(
      issues.some((m) => m.startsWith('Page__c') && m.includes('must start with fields., attribution.')),
    ).toBe(true);
    expect(issues.some((m) => m.startsWith('T'))).toBe(true);
  });
});
