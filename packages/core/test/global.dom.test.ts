/**
 * happy-dom cannot fetch the snippet's script; count that as loaded instead of logging an error.
 * @vitest-environment-options {"settings":{"handleDisabledFileLoadingAsSuccess":true}}
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installCommands } from '../src/global.js';
import { snippet } from '../src/snippet.js';

const SRC = 'https://cdn.example.test/leadkit-core.js';
const runSnippet = (code: string) => new Function(code)();

afterEach(() => {
  delete window.leadkit;
  for (const s of document.querySelectorAll('script')) s.remove();
  vi.restoreAllMocks();
});

describe('snippet', () => {
  it('queues calls, remembers the landing page and loads the script async with its data attributes', () => {
    history.replaceState(null, '', '/landing?utm_source=x');
    runSnippet(snippet(SRC, { consent: 'pending', 'cross-domain': 'a.test,b.test' }));
    window.leadkit!('grant');
    window.leadkit!('form', { id: 'f1' });
    expect(window.leadkit!.q!.map((args) => Array.from(args))).toEqual([['grant'], ['form', { id: 'f1' }]]);
    expect(window.leadkit!.u).toBe(location.href);
    const script = document.querySelector('script')!;
    expect(script.src).toBe(SRC);
    expect(script.async).toBe(true);
    expect(script.dataset).toMatchObject({ consent: 'pending', crossDomain: 'a.test,b.test' });
  });

  it('does nothing when pasted twice', () => {
    runSnippet(snippet(SRC));
    const first = window.leadkit;
    runSnippet(snippet(SRC));
    expect(window.leadkit).toBe(first);
    expect(document.querySelectorAll('script')).toHaveLength(1);
  });

  it('escapes values so they cannot close the inline script', () => {
    const code = snippet('https://x.test/a.js?</script><script>alert(1)//', { note: '</script>' });
    expect(code).not.toContain('</script>');
    runSnippet(code);
    expect(document.querySelector('script')!.dataset.note).toBe('</script>');
  });
});

describe('installCommands', () => {
  it('runs queued calls to its commands, init first, and keeps the others for a later script', () => {
    runSnippet(snippet(SRC));
    const calls: string[] = [];
    window.leadkit!('grant');
    window.leadkit!('form', 'newsletter');
    window.leadkit!('init', { consent: 'pending' });
    installCommands({
      init: (o: { consent: string }) => calls.push(`init:${o.consent}`),
      grant: () => calls.push('grant'),
    });
    expect(calls).toEqual(['init:pending', 'grant']);
    expect(window.leadkit!.q).toEqual([['form', 'newsletter']]);

    installCommands({ form: (id: string) => calls.push(`form:${id}`) });
    expect(calls).toEqual(['init:pending', 'grant', 'form:newsletter']);
    expect(window.leadkit!.q).toEqual([]);
  });

  it('returns results once loaded, queues unknown commands, and keeps the snippet page capture', () => {
    runSnippet(snippet(SRC));
    const { u, r } = window.leadkit!;
    const lk = installCommands({ ready: (f: (x: number) => number) => f(41) });
    expect(lk).toBe(window.leadkit);
    expect(lk('ready', (x: number) => x + 1)).toBe(42);
    expect(lk('later', 1)).toBeUndefined();
    expect(lk.q).toEqual([['later', 1]]);
    expect([lk.u, lk.r]).toEqual([u, r]);
  });

  it('works without the snippet (script tag only)', () => {
    const lk = installCommands({ ping: () => 'pong' });
    expect(lk('ping')).toBe('pong');
  });

  it('keeps the first handler when a second copy registers the same command', () => {
    const first = installCommands({ grant: () => 'first' });
    const second = installCommands({ grant: () => 'second' });
    expect(second).toBe(first);
    expect(window.leadkit!('grant')).toBe('first');
  });

  it('logs a failing command with the [leadkit] prefix and runs the rest', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    runSnippet(snippet(SRC));
    window.leadkit!('boom');
    window.leadkit!('ok');
    const ran: string[] = [];
    installCommands({
      boom: () => {
        throw new Error('bad input');
      },
      ok: () => ran.push('ok'),
    });
    expect(ran).toEqual(['ok']);
    expect(error).toHaveBeenCalledWith('[leadkit] command "boom" failed:', expect.any(Error));
  });
});
