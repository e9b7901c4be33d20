// biome-ignore-all lint/suspicious/noDocumentCookie: checks what the probe left behind
import { afterEach, describe, expect, it } from 'vitest';
import { cookieDomain } from '../src/storage.js';
import { goTo, reset } from './dom.js';

afterEach(reset);

describe('cookie domain probe', () => {
  it.each([
    ['www.example.test', 'example.test'],
    ['a.b.example.test', 'example.test'],
    ['example.test', 'example.test'],
    ['shop.example.co.uk', 'example.co.uk'],
    ['my-app.vercel.app', 'my-app.vercel.app'],
    ['docs.my-app.netlify.app', 'my-app.netlify.app'],
    ['user.github.io', 'user.github.io'],
    ['localhost', ''],
    ['127.0.0.1', ''],
  ])('%s -> %s', (host, domain) => {
    goTo(`https://${host}/`);
    expect(cookieDomain(host)).toBe(domain);
    expect(document.cookie).not.toContain('__lk_probe');
  });

  it('falls back to a host-only cookie when cookies are refused', () => {
    goTo('https://www.refused.test/');
    let owner: object = document;
    while (!Object.getOwnPropertyDescriptor(owner, 'cookie')) owner = Object.getPrototypeOf(owner);
    const cookie = Object.getOwnPropertyDescriptor(owner, 'cookie')!;
    Object.defineProperty(owner, 'cookie', { configurable: true, get: () => '', set: () => {} });
    try {
      expect(cookieDomain('www.refused.test')).toBe('');
    } finally {
      Object.defineProperty(owner, 'cookie', cookie);
    }
  });
});
