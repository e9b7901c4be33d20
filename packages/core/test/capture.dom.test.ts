import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureCommands, initCapture } from '../src/capture.js';
import { installCommands } from '../src/global.js';
import { init } from '../src/init.js';
import type { Journey } from '../src/start.js';
import { goTo, idle, reset } from './dom.js';

const ad = 'https://www.example.test/?utm_source=newsletter&utm_medium=email&utm_campaign=march&gclid=G1';

afterEach(() => {
  delete window.leadkit;
  reset();
  vi.restoreAllMocks();
});

describe('initCapture (no source list)', () => {
  it('keeps the same journey as init(), with every fact but the channel, and stores it', async () => {
    goTo(ad);
    const journey = initCapture({ referrer: 'https://www.google.com/' });
    const a = journey.attribution();
    expect(a.firstTouch).toMatchObject({
      source: 'google',
      medium: 'cpc',
      campaign: 'march',
      clickIds: { gclid: 'G1' },
      landingPage: ad,
      referrer: 'https://www.google.com/',
    });
    for (const touch of [a.firstTouch, a.lastTouch, a.sessionEntry, ...a.touches])
      expect(touch).not.toHaveProperty('channel');
    expect(a).toMatchObject({ pageviews: 1, sessions: 1, touches: [{ campaign: 'march' }] });
    await idle();
    expect(localStorage.getItem('leadkit')).toContain('march');
  });

  it('fills hidden fields with what it has (no channel field)', async () => {
    goTo(ad);
    document.body.innerHTML = '<input type="hidden" name="utm_campaign"><input type="hidden" name="channel">';
    initCapture({ referrer: '', hiddenFields: true });
    await idle();
    const [campaign, channel] = document.querySelectorAll('input');
    expect([campaign!.value, channel!.value]).toEqual(['march', '']);
  });

  it('gives channels from then on when init() joins the page’s journey', () => {
    goTo(ad);
    const captured = initCapture({ referrer: '' });
    expect(captured.attribution().firstTouch.channel).toBeUndefined();
    expect(init()).toBe(captured);
    expect(captured.attribution().firstTouch.channel).toBe('Paid Search');
  });

  it('returns the journey init() started, channels included', () => {
    goTo(ad);
    const journey = init({ referrer: '' });
    expect(initCapture()).toBe(journey);
    expect(journey.attribution().lastTouch.channel).toBe('Paid Search');
  });
});

describe('captureCommands', () => {
  const ready = () => new Promise<Journey>((resolve) => window.leadkit!('ready', resolve));

  it('registers the journey commands, with the snippet’s landing and a queued init first', async () => {
    goTo('https://www.example.test/after-router');
    window.leadkit = Object.assign(() => {}, {
      q: [
        ['pageview', 'https://www.example.test/next'],
        ['init', { consent: 'pending' }],
      ],
      u: ad,
      r: '',
    });
    const commands = captureCommands(undefined);
    installCommands(commands);
    const journey = await ready();
    expect(journey.consent()).toBe('pending');
    expect(journey.attribution()).toMatchObject({ pageviews: 2, firstTouch: { landingPage: ad } });
    window.leadkit!('grant');
    expect(journey.consent()).toBe('granted');
    window.leadkit!('consent', 'denied');
    expect(journey.consent()).toBe('denied');
    expect(commands.init()).toBe(journey);
    journey.destroy();
  });

  it('starts pending, and says so, when data-consent is not a mode', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    installCommands(captureCommands('yes please'));
    const journey = await ready();
    expect(journey.consent()).toBe('pending');
    expect(error).toHaveBeenCalledWith(
      expect.stringContaining('data-consent="yes please" is not granted, denied or pending'),
    );
    journey.destroy();
  });
});
