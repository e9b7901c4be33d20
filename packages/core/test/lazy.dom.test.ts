import { afterEach, describe, expect, it, vi } from 'vitest';
import { SOURCE_DATA } from '../src/sources.data.js';
import { idle, load, reset } from './dom.js';

// init() only reads the address and the referrer; storage, the journey update and the source list wait for
// idle time or the first call that needs them (DESIGN.md: no long task).
const ad = 'https://www.example.test/?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring';

afterEach(() => {
  reset();
  vi.restoreAllMocks();
});

describe('init() is light', () => {
  it('reads no storage and decodes no source list until the page is idle', async () => {
    // Decoding the list is the one place that runs matchAll over SOURCE_DATA; this file's modules are fresh.
    const matchAll = vi.spyOn(String.prototype, 'matchAll');
    const decodes = () => matchAll.mock.contexts.filter((text) => String(text) === SOURCE_DATA).length;
    const getItem = vi.spyOn(Storage.prototype, 'getItem');
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    const journey = load(ad);
    expect([getItem.mock.calls.length, setItem.mock.calls.length, decodes()]).toEqual([0, 0, 0]);
    await idle();
    expect(getItem).toHaveBeenCalledWith('leadkit');
    expect(setItem).toHaveBeenCalledTimes(1);
    await idle(); // the list is decoded in an idle task of its own
    expect(decodes()).toBe(1);
    expect(journey.attribution().firstTouch).toMatchObject({ channel: 'Paid Social', campaign: 'spring' });
    expect(decodes()).toBe(1);
  });

  it('does the work on the first call that needs the journey, in the order it happened', () => {
    const journey = load(ad);
    history.pushState({}, '', '/pricing');
    expect(journey.attribution()).toMatchObject({
      pageviews: 2,
      firstTouch: { channel: 'Paid Social', landingPage: ad },
      sessionEntry: { landingPage: ad },
    });
  });
});
