/** `showIf`: a field is shown while its controlling field is shown and holds (one of) the expected value(s). */
import type { FieldConfig } from './config-schema.js';
import type { Value } from './values.js';

export function isShown(
  f: FieldConfig,
  values: Record<string, Value>,
  byName: Map<string, FieldConfig>,
  depth = 0,
): boolean {
  const rule = f.showIf;
  if (!rule) return true;
  const control = byName.get(rule.field);
  // A cycle (a shows if b, b shows if a) can never be satisfied: hide rather than recurse forever.
  if (!control || depth > 20 || !isShown(control, values, byName, depth + 1)) return false;
  const wanted = ([] as unknown[]).concat(rule.equals).map(String);
  return ([] as unknown[]).concat(values[rule.field]).some((v) => wanted.includes(String(v)));
}
