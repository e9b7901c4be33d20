import { afterEach, describe, expect, it } from 'vitest';
import { clock, DAY, idle, load, MINUTE, reset } from './dom.js';

afterEach(reset);

describe('landing-page vitals', () => {
  it('records vitals of the page that started the session and keeps them for later pages', async () => {
    const c = clock();
    const landing = load('https://www.example.test/', { now: c.now });
    landing.vital('LCP', 1800);
    landing.vital('CLS', 0.01);
    expect(landing.attribution().vitals).toEqual({ LCP: 1800, CLS: 0.01 });
    await idle();
    c.advance(MINUTE);
    const later = load('https://www.example.test/contact', { now: c.now });
    later.vital('LCP', 5000); // not the landing page: ignored
    expect(later.attribution().vitals).toEqual({ LCP: 1800, CLS: 0.01 });
    c.advance(DAY);
    expect(load('https://www.example.test/', { now: c.now }).attribution().vitals).toBeUndefined();
  });
});
