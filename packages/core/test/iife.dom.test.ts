import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Journey } from '../src/init.js';
import { goTo, idle, reset } from './dom.js';

/** Runs the script-tag build as if loaded by `<script data-...>` with these attributes. */
async function loadScript(attributes: Record<string, string>) {
  const script = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  Object.defineProperty(document, 'currentScript', { configurable: true, get: () => script });
  vi.resetModules();
  try {
    await import('../src/iife.js');
  } finally {
    Object.defineProperty(document, 'currentScript', { configurable: true, get: () => null });
  }
}

const ready = () => new Promise<Journey>((resolve) => window.leadkit!('ready', resolve));

afterEach(async () => {
  (await ready()).destroy();
  delete window.leadkit;
  reset();
  vi.restoreAllMocks();
});

describe('script-tag build', () => {
  it('reads its options from data attributes', async () => {
    goTo('https://www.example.test/?utm_source=x&utm_medium=email');
    document.body.innerHTML = '<input type="hidden" name="utm_source">';
    await loadScript({
      'data-consent': 'pending',
      'data-hidden-fields': 'on',
      'data-cross-domain': 'example-app.test, b.test',
    });
    const journey = await ready();
    expect(journey.consent()).toBe('pending');
    await idle();
    expect(document.querySelector('input')!.value).toBe('x');
    expect(journey.decorate('https://app.example-app.test/')).toContain('_lk=');
    window.leadkit!('grant');
    expect(journey.consent()).toBe('granted');
    window.leadkit!('consent', 'denied');
    expect(journey.consent()).toBe('denied');
  });

  it('starts pending, and says so, when data-consent is not a mode', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    await loadScript({ 'data-consent': 'yes please' });
    expect((await ready()).consent()).toBe('pending');
    expect(error).toHaveBeenCalledWith(
      expect.stringContaining('data-consent="yes please" is not granted, denied or pending'),
    );
  });

  it('runs a queued init first, with its options, and other queued commands after', async () => {
    goTo('https://www.example.test/landing');
    const queue: unknown[][] = [
      ['pageview', 'https://www.example.test/next'],
      ['init', { consent: 'denied' }],
    ];
    window.leadkit = Object.assign(() => {}, {
      q: queue,
      u: 'https://www.example.test/landing?utm_source=snippet&utm_medium=cpc',
      r: '',
    });
    await loadScript({});
    const journey = await ready();
    expect(journey.consent()).toBe('denied');
    expect(journey.attribution()).toMatchObject({ pageviews: 2, firstTouch: { source: 'snippet' } });
  });

  it('does nothing when a second copy loads', async () => {
    await loadScript({});
    const first = await ready();
    const lk = window.leadkit;
    await loadScript({ 'data-consent': 'denied' });
    expect(window.leadkit).toBe(lk);
    expect(await ready()).toBe(first);
    expect(first.consent()).toBe('granted');
  });
});
