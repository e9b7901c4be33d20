/**
 * Checks one answer against its field's rules and returns the message to show, or nothing.
 * Runs only when the visitor asks to move on (Continue / Send), never on blur or while typing.
 */
import type { FieldConfig } from './config-schema.js';
import type { Translate } from './i18n/index.js';
import {
  isChoice,
  isEmpty,
  isTick,
  normalizePhone,
  normalizeUrl,
  parseNumber,
  type Value,
} from './values.js';

export function validateField(f: FieldConfig, v: Value | undefined, t: Translate): string | undefined {
  const Label = f.label ?? f.name;
  if (isEmpty(v))
    return f.required ? t(isTick(f) ? 'agree' : isChoice(f) ? 'choose' : 'enter', { Label }) : undefined;
  if (typeof v !== 'string' || isChoice(f)) return;
  const s = v.trim();
  const { min, max, type } = f;
  if (type === 'email' && !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(s)) return t('email');
  if (type === 'tel' && !/^\+?\d{5,15}$/.test(normalizePhone(s))) return t('tel');
  if (type === 'url' && !normalizeUrl(s)) return t('url');
  if (type === 'number') {
    const n = parseNumber(s);
    if (Number.isNaN(n)) return t('number', { Label });
    if (n < min!) return t('min', { Label, n: min! });
    if (n > max!) return t('max', { Label, n: max! });
  } else {
    if (s.length < min!) return t('tooShort', { Label, n: min! });
    if (s.length > max!) return t('tooLong', { Label, n: max! });
  }
  if (f.pattern && !new RegExp(`^(?:${f.pattern})$`).test(s)) return t('pattern', { Label });
}
