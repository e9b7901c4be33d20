import { afterEach, describe, expect, it } from 'vitest';
import { initCapture } from '../src/capture.js';
import { LeadSchema } from '../src/lead.js';
import { clock, goTo, load, MINUTE, reset } from './dom.js';

const site = 'https://www.example.test';

afterEach(() => {
  reset();
});

describe('pages visited (attribution.pages)', () => {
  it('keeps distinct paths, most recent first, without query or host, across page loads and navigations', () => {
    const c = clock();
    load(`${site}/?utm_source=news&utm_medium=email&email=ada@example.com`, { now: c.now });
    c.advance(MINUTE);
    load(`${site}/pricing?plan=team`, { now: c.now });
    c.advance(MINUTE);
    load(`${site}/docs/start`, { now: c.now });
    c.advance(MINUTE);
    const journey = load(`${site}/pricing#compare`, { now: c.now });
    journey.pageview(`${site}/contact?from=pricing`);
    const a = journey.attribution();
    expect(a.pages).toEqual(['/contact', '/pricing', '/docs/start', '/']);
    expect(a.pageviews).toBe(5);
    expect(JSON.stringify(a.pages)).not.toContain('ada@example.com');
  });

  it('keeps at most 20 paths of at most 200 characters', () => {
    const c = clock();
    const journey = load(`${site}/start`, { now: c.now });
    for (let i = 0; i < 25; i++) journey.pageview(`${site}/p${i}`);
    journey.pageview(`${site}/${'x'.repeat(300)}`);
    const pages = journey.attribution().pages!;
    expect(pages).toHaveLength(20);
    expect(pages[0]).toBe(`/${'x'.repeat(199)}`);
    expect(pages[1]).toBe('/p24');
    expect(pages.at(-1)).toBe('/p6');
    expect(
      LeadSchema.safeParse({
        id: 'lead_12345678',
        formId: 'f',
        fields: {},
        attribution: journey.attribution(),
      }).success,
    ).toBe(true);
  });

  it('flows through @leadkit/core/capture too (what the form widget uses)', () => {
    goTo(`${site}/pricing?utm_source=x`);
    const journey = initCapture({ referrer: '' });
    journey.pageview(`${site}/demo`);
    expect(journey.attribution().pages).toEqual(['/demo', '/pricing']);
  });

  it('the lead schema takes at most 20 pages', () => {
    const lead = (pages: string[]) =>
      LeadSchema.safeParse({
        id: 'lead_12345678',
        formId: 'f',
        fields: {},
        attribution: {
          firstTouch: { source: 'a', medium: 'b', landingPage: '/', timestamp: 't' },
          lastTouch: { source: 'a', medium: 'b', landingPage: '/', timestamp: 't' },
          pages,
        },
      });
    expect(lead(Array.from({ length: 20 }, (_, i) => `/p${i}`)).success).toBe(true);
    const tooMany = lead(Array.from({ length: 21 }, (_, i) => `/p${i}`));
    expect(tooMany.success).toBe(false);
    expect(tooMany.error!.issues[0]!.path).toEqual(['attribution', 'pages']);
  });
});
