/**
 * A small config checker for browser bundles, mirroring `config-schema.ts` (the zod source of truth) key
 * for key at a fraction of zod/mini's size; the cross-key rules are the same functions (`config-rules.ts`).
 * `config-check.test.ts` proves on generated and hand-written configs that it accepts and rejects exactly
 * what the zod schema does.
 */
import {
  DIRECTIONS,
  DISPLAY_MODES,
  FIELD_NAME,
  FIELD_TYPES,
  FORM_ID,
  LOCALE_TAG,
  REQUIRED_STYLES,
  TRIGGERS,
  URL_LIKE,
} from './config-constants.js';
import { crossProblem, fieldProblem, formatPath } from './config-rules.js';
import type { ConfigResult, FormConfig } from './config-schema.js';
import { MESSAGE_KEYS } from './i18n/en.js';

/** Returns a problem `[path, message]`, or nothing. `o` marks an optional key. */
// biome-ignore lint/suspicious/noExplicitAny: a checker's input is any JSON
type Check = ((v: any, path: (string | number)[]) => Problem) & { o?: 1 };
type Problem = [(string | number)[], string] | undefined | false;

const test =
  // biome-ignore lint/suspicious/noExplicitAny: a checker's input is any JSON
    (ok: (v: any) => unknown, message: string): Check =>
    (v, p) =>
      !ok(v) && [p, message];
const opt = (c: Check): Check =>
  Object.assign((v: unknown, p: (string | number)[]) => c(v, p), { o: 1 as const });
const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

const text = test((v) => typeof v === 'string' && v, 'expected non-empty text');
const str = test((v) => typeof v === 'string', 'expected text');
const match = (re: RegExp, what: string) =>
  test((v) => typeof v === 'string' && re.test(v), `must be ${what}`);
const num = (min = -Infinity, max = Infinity) =>
  test((v) => Number.isFinite(v) && v >= min && v <= max, `expected a number from ${min} to ${max}`);
const bool = test((v) => typeof v === 'boolean', 'expected true or false');
const oneOf = (list: readonly string[]) =>
  test((v) => list.includes(v), `expected one of ${list.join(', ')}`);
const anyOf = (what: string, ...checks: Check[]) =>
  test((v) => checks.some((c) => !c(v, [])), `expected ${what}`);

const list =
  (item: Check, min = 0): Check =>
  (v, p) =>
    Array.isArray(v) && v.length >= min
      ? v.reduce<Problem>((e, x, i) => e || item(x, [...p, i]), undefined)
      : [p, `expected a list${min ? ` of at least ${min}` : ''}`];

const obj =
  // biome-ignore lint/suspicious/noExplicitAny: the rule receives the object this check just verified
    (shape: Record<string, Check>, rule?: (v: any) => Problem): Check =>
    (v, p): Problem => {
      if (!isObj(v)) return [p, 'expected an object'];
      // Own keys only: `constructor` or `__proto__` in a config is as unknown as any typo.
      const known = Object.keys(shape);
      for (const k in v) if (!known.includes(k)) return [[...p, k], 'unknown key'];
      for (const k in shape) {
        const e: Problem =
          v[k] === undefined ? !shape[k]!.o && [[...p, k], 'is required'] : shape[k]!(v[k], [...p, k]);
        if (e) return e;
      }
      const e = rule?.(v);
      return e && ([[...p, ...e[0]], e[1]] as Problem);
    };

const url = match(URL_LIKE, 'an http(s) URL or a path starting with /');
const name = match(FIELD_NAME, 'a letter or _, then letters, digits, _ or - (64 at most)');
const scalar = anyOf('text, a number or true/false', str, num(), bool);
const period = (max: number) => opt(num(0, max));

const field = obj(
  {
    name,
    type: oneOf(FIELD_TYPES),
    label: opt(text),
    placeholder: opt(text),
    help: opt(text),
    required: opt(bool),
    pattern: opt(
      (v, p) =>
        text(v, p) ||
        test(() => {
          try {
            return new RegExp(v);
          } catch {}
        }, 'must be a valid regular expression')(v, p),
    ),
    min: opt(num()),
    max: opt(num()),
    options: opt(list(anyOf('text or { value, label }', text, obj({ value: text, label: text })), 1)),
    default: opt(anyOf('text, a number, true/false or a list of text', scalar, list(str))),
    showIf: opt(obj({ field: name, equals: anyOf('a value or a list of values', scalar, list(scalar, 1)) })),
    param: opt(text),
    cookie: opt(text),
    autocomplete: opt(text),
    link: opt(obj({ href: url, text })),
  },
  (f) => {
    const e = fieldProblem(f);
    return e && [[e[0]], e[1]];
  },
);

const config = obj(
  {
    id: match(FORM_ID, '1-128 letters, digits, _ or -'),
    endpoint: opt(url),
    title: opt(text),
    intro: opt(text),
    fields: list(field, 1),
    steps: opt(list(obj({ title: text, fields: list(name, 1) }), 2)),
    submitLabel: opt(text),
    success: opt(obj({ title: opt(text), message: opt(text), redirect: opt(url) })),
    locale: opt(match(LOCALE_TAG, 'a language tag like en or de-AT')),
    dir: opt(oneOf(DIRECTIONS)),
    messages: opt((v, p) =>
      isObj(v)
        ? Object.keys(v).reduce<Problem>(
            (e, k) => e || oneOf(MESSAGE_KEYS)(k, [...p, k]) || opt(text)(v[k], [...p, k]),
            undefined,
          )
        : [p, 'expected an object'],
    ),
    requiredStyle: opt(oneOf(REQUIRED_STYLES)),
    display: opt(
      obj({
        mode: oneOf(DISPLAY_MODES),
        trigger: opt(oneOf(TRIGGERS)),
        opener: opt(text),
        launcher: opt(text),
        delay: period(3600),
        scroll: period(100),
        frequencyDays: period(3650),
      }),
    ),
    turnstile: opt(obj({ siteKey: text })),
  },
  crossProblem,
);

/** Checks a config in the browser. On failure the issue names the key: `fields[2].type: expected one of …`. */
export function checkConfig(input: unknown): ConfigResult {
  const e = config(input, []);
  return e
    ? { ok: false, issues: [{ path: formatPath(e[0]), message: e[1] }] }
    : { ok: true, config: input as FormConfig };
}
