/** R9: each field type gets the type, autocomplete purpose and spellcheck of research/forms.md §3. */
import { describe, expect, it } from 'vitest';
import type { FieldConfig } from '../src/config-schema.js';
import { inputAttributes } from '../src/field-attributes.js';

const cases: [Partial<FieldConfig>, ReturnType<typeof inputAttributes>][] = [
  [
    { name: 'name', type: 'text' },
    { type: 'text', autocomplete: 'name', spellcheck: false, dir: 'auto' },
  ],
  [
    { name: 'firstName', type: 'text' },
    { type: 'text', autocomplete: 'given-name', spellcheck: false, dir: 'auto' },
  ],
  [
    { name: 'last_name', type: 'text' },
    { type: 'text', autocomplete: 'family-name', spellcheck: false, dir: 'auto' },
  ],
  [
    { name: 'company', type: 'text' },
    { type: 'text', autocomplete: 'organization', spellcheck: false, dir: 'auto' },
  ],
  [
    { name: 'jobTitle', type: 'text' },
    { type: 'text', autocomplete: 'organization-title', dir: 'auto' },
  ],
  [
    { name: 'postcode', type: 'text' },
    { type: 'text', autocomplete: 'postal-code', spellcheck: false, dir: 'auto' },
  ],
  [
    { name: 'email', type: 'email' },
    { type: 'email', autocomplete: 'email', spellcheck: false, dir: 'ltr' },
  ],
  [
    { name: 'phone', type: 'tel' },
    { type: 'tel', autocomplete: 'tel', spellcheck: false, dir: 'ltr' },
  ],
  [
    { name: 'site', type: 'url' },
    { type: 'url', autocomplete: 'url', spellcheck: false, dir: 'ltr' },
  ],
  // Never type=number: a text input with a numeric keyboard.
  [
    { name: 'seats', type: 'number' },
    { type: 'text', inputMode: 'decimal', spellcheck: false, dir: 'ltr' },
  ],
  [{ name: 'message', type: 'textarea' }, { dir: 'auto' }],
  [
    { name: 'country', type: 'select' },
    { type: 'text', autocomplete: 'country-name', dir: 'auto' },
  ],
  [
    { name: 'anything', type: 'text', autocomplete: 'nickname' },
    { type: 'text', autocomplete: 'nickname', dir: 'auto' },
  ],
];

describe('input attributes per field', () => {
  it.each(cases)('%o', (field, expected) => {
    const attrs = Object.fromEntries(
      Object.entries(inputAttributes(field as FieldConfig)).filter(([, v]) => v !== undefined),
    );
    expect(attrs).toEqual(expected);
  });
});
