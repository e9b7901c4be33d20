/**
 * The rules that look at more than one key, written once and used by both the zod schema
 * (`config-schema.ts`) and the browser checker (`config-check.ts`), so both say the same thing.
 */
import { CHOICE_TYPES } from './config-constants.js';
import type { FieldConfig, FormConfig } from './config-schema.js';

/** Rules within one field (shared with the browser checker, so both say the same). */
export function fieldProblem(f: FieldConfig): [string, string] | undefined {
  if (f.type !== 'hidden' && f.label === undefined) return ['label', `is required for type ${f.type}`];
  if ((CHOICE_TYPES as readonly string[]).includes(f.type) && !f.options)
    return ['options', `is required for type ${f.type}`];
  if (f.min! > f.max!) return ['min', 'must not be greater than max'];
}

/** Rules across fields: unique names, `showIf` naming another field, steps placing every visible field once. */
export function crossProblem(c: FormConfig): [(string | number)[], string] | undefined {
  const names = c.fields.map((f) => f.name);
  for (const [i, f] of c.fields.entries()) {
    if (names.indexOf(f.name) < i) return [['fields', i, 'name'], `duplicates "${f.name}"`];
    const target = f.showIf?.field;
    if (target !== undefined && (target === f.name || !names.includes(target)))
      return [['fields', i, 'showIf', 'field'], 'must name another field'];
  }
  if (!c.steps) return;
  const placed: string[] = [];
  for (const [i, s] of c.steps.entries())
    for (const [j, n] of s.fields.entries()) {
      if (!names.includes(n) || placed.includes(n))
        return [['steps', i, 'fields', j], `"${n}" is unknown or repeated`];
      placed.push(n);
    }
  for (const [i, f] of c.fields.entries())
    if (f.type !== 'hidden' && !placed.includes(f.name))
      return [['fields', i, 'name'], `"${f.name}" is in no step`];
}

/** `['fields', 2, 'type']` → `fields[2].type`. */
export const formatPath = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${String(p)}` : String(p))).join('') ||
  '(root)';
