/**
 * Field values: what a control holds, how answers are normalised before checking and sending. Forgiving
 * (GOV.UK): spaces, brackets, dots and hyphens in phone numbers are fine, a website without `https://` is
 * fine, and what the visitor typed is never rewritten in the field.
 */
import type { FieldConfig } from './config-schema.js';

/** Text controls hold strings, single checkboxes booleans, checkbox groups lists of option values. */
export type Value = string | boolean | string[];

export const isEmpty = (v: Value | undefined): boolean =>
  !(typeof v === 'string' ? v.trim() : Array.isArray(v) ? v.length : v);

/** A single checkbox or a consent box: holds a boolean. */
export const isTick = (f: FieldConfig): boolean =>
  f.type === 'consent' || (f.type === 'checkbox' && !f.options);

/** A choice among options: select, radio, checkbox group. */
export const isChoice = (f: FieldConfig): boolean =>
  f.type === 'select' || f.type === 'radio' || (f.type === 'checkbox' && !!f.options);

/** Drops spaces, brackets, dots and hyphens: `+44 (0)20-7946.0958` → `+4402079460958`. */
export const normalizePhone = (s: string): string => s.replace(/[\s().-]/g, '');

/** `example.com/x` → `https://example.com/x`; undefined when it cannot be a website address. */
export function normalizeUrl(s: string): string | undefined {
  try {
    const u = new URL(/^https?:\/\//i.test(s) ? s : `https://${s}`);
    if (/\.[a-z]{2,}$/i.test(u.hostname) && !/\s/.test(s)) return u.href;
  } catch {}
}

/** Accepts `1 000`, `12,5` and `12.5`; NaN when it is not a number. */
export function parseNumber(s: string): number {
  const digits = s.replace(/\s/g, '');
  return /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(digits) ? +digits.replace(',', '.') : Number.NaN;
}

/** The options as `{ value, label }`. */
export const optionsOf = (f: FieldConfig): { value: string; label: string }[] =>
  (f.options ?? []).map((o) => (typeof o === 'string' ? { value: o, label: o } : o));

/** The starting value: URL parameter, then cookie, then `default`. Consent boxes always start unticked. */
export function initialValue(f: FieldConfig, search: URLSearchParams, cookies: string): Value {
  const given =
    (f.param && search.get(f.param)) ??
    (f.cookie &&
      decode(cookies.match(new RegExp(`(?:^|; )${f.cookie.replace(/\W/g, '\\$&')}=([^;]*)`))?.[1])) ??
    f.default;
  if (f.type === 'consent') return false;
  if (isTick(f)) return given === true || /^(1|true|yes|on)$/i.test(String(given));
  const known = (v: unknown) => !f.options || optionsOf(f).some((o) => o.value === v);
  if (f.options && f.type === 'checkbox')
    return (Array.isArray(given) ? given : typeof given === 'string' ? given.split(',') : []).filter(known);
  const s = given == null || Array.isArray(given) ? '' : String(given);
  return known(s) ? s : '';
}

function decode(s: string | undefined): string | undefined {
  try {
    return s && decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * What a shown field adds to `lead.fields`: trimmed text, numbers as numbers, websites with a scheme,
 * phones as typed plus `<name>_normalized`. Empty optional answers are left out.
 */
export function toLeadFields(
  f: FieldConfig,
  v: Value | undefined,
): Record<string, string | number | boolean | string[]> {
  if (typeof v !== 'string') return v === undefined || (Array.isArray(v) && !v.length) ? {} : { [f.name]: v };
  const s = v.trim();
  if (!s) return {};
  if (f.type === 'tel') return { [f.name]: s, [`${f.name}_normalized`]: normalizePhone(s) };
  return { [f.name]: f.type === 'number' ? parseNumber(s) : f.type === 'url' ? (normalizeUrl(s) ?? s) : s };
}
