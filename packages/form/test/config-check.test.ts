/**
 * The browser checker must accept and reject exactly what the zod schema does. Configs are generated
 * valid-ish, then mutated (a key dropped, a value replaced by a wrong type, an unknown key added), so
 * both sides see plenty of valid and invalid input; the checker's issue points where one of zod's does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../src/config-check.js';
import { DISPLAY_MODES, FIELD_TYPES, TRIGGERS } from '../src/config-constants.js';
import { validateConfig } from '../src/config-schema.js';
import { MESSAGE_KEYS } from '../src/i18n/en.js';

const name = fc.constantFrom(
  'email',
  'name',
  'company',
  'plan',
  'role',
  '_x',
  'a-b',
  '1bad',
  'has space',
  '',
);
const text = fc.oneof(fc.constantFrom('Work email', 'Company', ''), fc.string({ maxLength: 5 }));
const scalar = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean());
const weird = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.string({ maxLength: 3 }),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
);

const field = fc.record(
  {
    name,
    type: fc.oneof(fc.constantFrom(...FIELD_TYPES), fc.constant('date')),
    label: text,
    placeholder: text,
    help: text,
    required: fc.boolean(),
    pattern: fc.constantFrom('[A-Z]{2}\\d+', '(', '.*', ''),
    min: fc.integer({ min: -5, max: 20 }),
    max: fc.integer({ min: -5, max: 20 }),
    options: fc.oneof(
      fc.array(fc.oneof(text, fc.record({ value: text, label: text })), { maxLength: 3 }),
      fc.constant([{ value: 'a', label: 'A', extra: 1 }]),
    ),
    default: fc.oneof(scalar, fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 })),
    showIf: fc.record({ field: name, equals: fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })) }),
    param: text,
    cookie: text,
    autocomplete: text,
    link: fc.record({
      href: fc.constantFrom('https://example.com/privacy', '/privacy', 'javascript:alert(1)'),
      text,
    }),
  },
  { requiredKeys: ['name', 'type'] },
);

const config = fc.record(
  {
    id: fc.constantFrom('demo', 'contact-sales', 'has space', ''),
    endpoint: fc.constantFrom('https://hooks.example.com/v1/leads', '/v1/leads', 'ftp://x', 'hooks'),
    title: text,
    intro: text,
    fields: fc.array(field, { minLength: 0, maxLength: 4 }),
    steps: fc.array(fc.record({ title: text, fields: fc.array(name, { maxLength: 3 }) }), { maxLength: 3 }),
    submitLabel: text,
    success: fc.record(
      { title: text, message: text, redirect: fc.constantFrom('https://example.com/thanks', 'data:x') },
      { requiredKeys: [] },
    ),
    locale: fc.constantFrom('en', 'de-AT', 'zh-Hant-TW', 'english', 'e'),
    dir: fc.constantFrom('ltr', 'rtl', 'up'),
    messages: fc.dictionary(fc.oneof(fc.constantFrom(...MESSAGE_KEYS), fc.constant('nope')), text, {
      maxKeys: 2,
    }),
    requiredStyle: fc.constantFrom('optional', 'asterisk', 'bold'),
    display: fc.record(
      {
        mode: fc.oneof(fc.constantFrom(...DISPLAY_MODES), fc.constant('modal')),
        trigger: fc.constantFrom(...TRIGGERS, 'hover'),
        opener: text,
        launcher: text,
        delay: fc.oneof(fc.integer({ min: -1, max: 4000 }), fc.double({ noNaN: false })),
        scroll: fc.integer({ min: -1, max: 101 }),
        frequencyDays: fc.integer({ min: -1, max: 4000 }),
      },
      { requiredKeys: [] },
    ),
    turnstile: fc.record({ siteKey: text }),
  },
  { requiredKeys: ['id', 'fields'] },
);

/** Configs built to be valid: unique names, labels where needed, options for choices, steps covering every field. */
const validConfig = fc
  .record({
    fields: fc.uniqueArray(
      fc.record({
        name: fc.constantFrom('email', 'name', 'company', 'plan', 'role', 'phone', 'size'),
        type: fc.constantFrom(...FIELD_TYPES),
        label: fc.constantFrom('Work email', 'Company size'),
        required: fc.boolean(),
        help: fc.constantFrom('We reply within a day', undefined),
      }),
      { selector: (f) => f.name, minLength: 1, maxLength: 5 },
    ),
    locale: fc.constantFrom('en', 'de', 'fr-CA', undefined),
    display: fc.option(
      fc.record({ mode: fc.constantFrom(...DISPLAY_MODES), trigger: fc.constantFrom(...TRIGGERS) }),
      { nil: undefined },
    ),
    twoSteps: fc.boolean(),
  })
  .map(({ fields, locale, display, twoSteps }) => {
    const full = fields.map((f) => ({
      ...(f.help === undefined ? { ...f, help: 'x' } : f),
      ...(f.type === 'select' || f.type === 'radio'
        ? { options: ['Small', { value: 'big', label: 'Big' }] }
        : {}),
    }));
    const visible = full.filter((f) => f.type !== 'hidden').map((f) => f.name);
    const steps =
      twoSteps && visible.length >= 2
        ? [
            { title: 'You', fields: visible.slice(0, 1) },
            { title: 'Your company', fields: visible.slice(1) },
          ]
        : undefined;
    return JSON.parse(JSON.stringify({ id: 'demo', locale, display, steps, fields: full }));
  });

/** Replaces a random nested value with something wrong, or adds a stray key. */
const mutated = fc
  .tuple(fc.oneof(config, validConfig), fc.array(fc.tuple(fc.nat(), weird, fc.boolean()), { maxLength: 2 }))
  .map(([c, edits]) => {
    const copy = structuredClone(c) as Record<string, unknown>;
    for (const [pick, value, addKey] of edits) {
      const spots: [Record<string, unknown>, string][] = [];
      const walk = (o: unknown) => {
        if (o && typeof o === 'object')
          for (const [k, v] of Object.entries(o)) {
            spots.push([o as Record<string, unknown>, k]);
            walk(v);
          }
      };
      walk(copy);
      const [target, key] = spots[pick % Math.max(1, spots.length)] ?? [copy, 'id'];
      if (addKey && !Array.isArray(target)) target.typo = value;
      else target[key] = value;
    }
    return copy;
  });

describe('checkConfig (browser) agrees with validateConfig (zod)', () => {
  it('accepts and rejects the same generated configs, naming a key zod also points at', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(config, validConfig, mutated), (input) => {
        const zod = validateConfig(input);
        const small = checkConfig(input);
        expect(small.ok).toBe(zod.ok);
        if (zod.ok) accepted++;
        // Same place: equal paths, or one inside the other (zod looks into union branches, the checker stops at the union).
        if (!small.ok && !zod.ok) {
          const at = small.issues[0]!.path;
          const near = zod.issues.some(
            (i) => i.path === at || i.path.startsWith(at) || at.startsWith(i.path),
          );
          expect(near, `${at} vs ${zod.issues.map((i) => i.path)}`).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
    // The corpus must exercise both outcomes, or the agreement proves little.
    expect(accepted).toBeGreaterThan(50);
  });
});
