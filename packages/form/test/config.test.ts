import { describe, expect, it } from 'vitest';
import { checkConfig } from '../src/config-check.js';
import { defineConfig, validateConfig } from '../src/config-schema.js';

const base = { id: 'demo', fields: [{ name: 'email', type: 'email', label: 'Work email' }] };

/** Hand-picked mistakes a marketer makes, and the key both validators must name. */
const mistakes: [string, unknown, string, RegExp][] = [
  [
    'unknown field type',
    { ...base, fields: [{ name: 'd', type: 'date', label: 'Day' }] },
    'fields[0].type',
    /one of/,
  ],
  [
    'typo in a key',
    { ...base, fields: [{ name: 'email', type: 'email', lable: 'Email' }] },
    'fields[0].lable',
    /unknown key/,
  ],
  ['missing label', { ...base, fields: [{ name: 'email', type: 'email' }] }, 'fields[0].label', /required/],
  [
    'select without options',
    { ...base, fields: [{ name: 'size', type: 'select', label: 'Size' }] },
    'fields[0].options',
    /required/,
  ],
  [
    'min above max',
    { ...base, fields: [{ name: 'n', type: 'number', label: 'N', min: 5, max: 1 }] },
    'fields[0].min',
    /greater/,
  ],
  ['duplicate names', { ...base, fields: [base.fields[0], base.fields[0]] }, 'fields[1].name', /duplicates/],
  [
    'showIf on itself',
    { ...base, fields: [{ ...base.fields[0], showIf: { field: 'email', equals: 'x' } }] },
    'fields[0].showIf.field',
    /another field/,
  ],
  [
    'field in no step',
    {
      ...base,
      fields: [...base.fields, { name: 'co', type: 'text', label: 'Co' }],
      steps: [
        { title: 'A', fields: ['email'] },
        { title: 'B', fields: ['email'] },
      ],
    },
    'steps[1].fields[0]',
    /repeated/,
  ],
  [
    'javascript: redirect',
    { ...base, success: { redirect: 'javascript:alert(1)' } },
    'success.redirect',
    /http/,
  ],
  [
    'bad regular expression',
    { ...base, fields: [{ ...base.fields[0], pattern: '(' }] },
    'fields[0].pattern',
    /regular expression/,
  ],
  ['unknown message key', { ...base, messages: { hello: 'Hi' } }, 'messages.hello', /./],
  ['popup mode misspelt', { ...base, display: { mode: 'modal' } }, 'display.mode', /inline, popup, slide-in/],
  ['no fields', { id: 'demo', fields: [] }, 'fields', /./],
  // Names every object inherits are still unknown keys.
  ['a key named like a built-in', { ...base, constructor: 'x' }, 'constructor', /unknown key/],
  [
    'a __proto__ key',
    JSON.parse('{"id":"demo","fields":[{"name":"e","type":"email","label":"E","__proto__":{}}]}'),
    'fields[0].__proto__',
    /unknown key/,
  ],
];

describe('config validation', () => {
  it('accepts a small valid config', () => {
    expect(validateConfig(base).ok).toBe(true);
    expect(checkConfig(base).ok).toBe(true);
  });

  it.each(mistakes)('names the key for: %s', (_what, config, path, message) => {
    const zod = validateConfig(config);
    const small = checkConfig(config);
    expect(zod.ok || small.ok).toBe(false);
    if (zod.ok || small.ok) return;
    expect(zod.issues.map((i) => i.path)).toContain(path);
    expect(small.issues[0]!.path).toBe(path);
    expect(small.issues[0]!.message).toMatch(message);
  });

  it('spells out the allowed field types', () => {
    const r = checkConfig({ ...base, fields: [{ name: 'd', type: 'date', label: 'Day' }] });
    expect(r.ok ? '' : `${r.issues[0]!.path}: ${r.issues[0]!.message}`).toBe(
      'fields[0].type: expected one of text, email, tel, url, number, textarea, select, radio, checkbox, consent, hidden',
    );
  });

  it('defineConfig throws with every issue listed', () => {
    expect(() => defineConfig({ id: 'x y', fields: [] })).toThrow(/id: .*; fields: /);
  });
});
