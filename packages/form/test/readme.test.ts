/** The README documents every config key, and its script-tag example is a valid config. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DisplaySchema, FieldSchema, FormConfigSchema, validateConfig } from '../src/config-schema.js';
import { MESSAGE_KEYS } from '../src/i18n/en.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const keys = (schema: { shape: object }) => Object.keys(schema.shape);

describe('README', () => {
  it('names every config, field and display key, and every message key', () => {
    const all = [...keys(FormConfigSchema), ...keys(FieldSchema), ...keys(DisplaySchema), ...MESSAGE_KEYS];
    expect(all.length).toBeGreaterThan(40);
    expect(all.filter((k) => !readme.includes(`\`${k}\``))).toEqual([]);
  });

  it('shows a script-tag example whose JSON config is valid', () => {
    const json = /<script type="application\/json">([\s\S]*?)<\/script>/.exec(readme)?.[1];
    expect(validateConfig(JSON.parse(json!))).toMatchObject({ ok: true });
  });
});
