/**
 * Conditions: the one small language of scoring rules, owner rules and destination `when` filters.
 *
 *   { "field": "fields.companySize", "in": ["51-200", "201-1000"] }
 *   { "field": "score", "gte": 50 }
 *   { "field": "journey.pages", "contains": "/pricing" }
 *   { "all": [ ... ] }, { "any": [ ... ] }, { "not": { ... } }
 *
 * A field test has exactly one of eq, ne, in, gt, gte, lt, lte, contains, matches, exists. Strings compare
 * without case. A list value (journey.pages, a multi-select field) passes when any item passes;
 * `contains` on a list means "has this item", on text "has this substring". Numbers in text ("250")
 * compare as numbers. A missing value fails every test but `ne` and `exists: false`.
 */
import { z } from 'zod';
import { readSubject, SUBJECT_PATHS, type Subject, type SubjectValue } from './subject.js';

type Scalar = string | number | boolean;

export interface FieldTest {
  field: string;
  eq?: Scalar;
  ne?: Scalar;
  in?: Scalar[];
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  contains?: string;
  matches?: string;
  exists?: boolean;
}

export type Condition = FieldTest | { all: Condition[] } | { any: Condition[] } | { not: Condition };

const TESTS = ['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte', 'contains', 'matches', 'exists'] as const;
type TestName = (typeof TESTS)[number];
const MAX_DEPTH = 8;
const MAX_LIST = 1000;

type Issue = { path: (string | number)[]; message: string };

const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** Why a subject path is not usable, or undefined when it is. */
export function pathProblem(path: string): string | undefined {
  if (path in SUBJECT_PATHS) return undefined;
  if (path.startsWith('fields.') && path.length > 'fields.'.length) return undefined;
  return `"${path}" is not something a condition can look at; use fields.<name> or one of ${Object.keys(SUBJECT_PATHS).join(', ')}`;
}

function checkTest(name: TestName, value: unknown): string | undefined {
  switch (name) {
    case 'eq':
    case 'ne':
      return isScalar(value) ? undefined : 'must be a string, number or boolean';
    case 'in':
      return Array.isArray(value) && value.length > 0 && value.length <= MAX_LIST && value.every(isScalar)
        ? undefined
        : `must be a list of 1-${MAX_LIST} strings, numbers or booleans`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'contains':
      return typeof value === 'string' && value.length > 0 ? undefined : 'must be a non-empty string';
    case 'matches':
      if (typeof value !== 'string') return 'must be a regular expression as a string';
      try {
        new RegExp(value, 'i');
        return undefined;
      } catch (e) {
        return `is not a valid regular expression (${(e as Error).message})`;
      }
    case 'exists':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
  }
}

function checkCondition(value: unknown, path: (string | number)[], issues: Issue[], depth: number): void {
  if (depth > MAX_DEPTH) {
    issues.push({ path, message: `conditions nest at most ${MAX_DEPTH} deep` });
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issues.push({
      path,
      message:
        'must be a condition object: { "field": ..., "eq": ... }, { "all": [...] }, { "any": [...] } or { "not": {...} }',
    });
    return;
  }
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  for (const combinator of ['all', 'any'] as const) {
    if (combinator in o) {
      if (keys.length !== 1)
        issues.push({
          path,
          message: `"${combinator}" stands alone; move ${keys.filter((k) => k !== combinator).join(', ')} into a condition inside it`,
        });
      const list = o[combinator];
      if (!Array.isArray(list) || list.length === 0) {
        issues.push({ path: [...path, combinator], message: 'must be a non-empty list of conditions' });
        return;
      }
      list.forEach((c, i) => {
        checkCondition(c, [...path, combinator, i], issues, depth + 1);
      });
      return;
    }
  }
  if ('not' in o) {
    if (keys.length !== 1)
      issues.push({ path, message: '"not" stands alone; put the other keys in the condition inside it' });
    checkCondition(o.not, [...path, 'not'], issues, depth + 1);
    return;
  }
  if (typeof o.field !== 'string') {
    issues.push({
      path: [...path, 'field'],
      message: 'is required: the value to test, e.g. "fields.company" or "score"',
    });
  } else {
    const problem = pathProblem(o.field);
    if (problem) issues.push({ path: [...path, 'field'], message: problem });
  }
  const tests = keys.filter((k) => k !== 'field');
  for (const k of tests) {
    if (!(TESTS as readonly string[]).includes(k)) {
      issues.push({ path: [...path, k], message: `is not a test; use one of ${TESTS.join(', ')}` });
      continue;
    }
    const problem = checkTest(k as TestName, o[k]);
    if (problem) issues.push({ path: [...path, k], message: problem });
  }
  const known = tests.filter((k) => (TESTS as readonly string[]).includes(k));
  if (known.length !== 1) {
    issues.push({
      path,
      message: `needs exactly one test (${TESTS.join(', ')}); ${known.length ? `found ${known.join(' and ')}: combine several with { "all": [...] }` : 'found none'}`,
    });
  }
}

/**
 * A condition in config. Validated by hand so each error names the exact key (a zod union would only
 * say "invalid input" for the whole condition); in JSON Schema it is an open object, described in the docs.
 */
export const ConditionSchema = z
  .custom<Condition>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), {
    message:
      'must be a condition object: { "field": ..., "eq": ... }, { "all": [...] }, { "any": [...] } or { "not": {...} }',
  })
  .superRefine((value, ctx) => {
    const issues: Issue[] = [];
    checkCondition(value, [], issues, 0);
    for (const i of issues) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
  });

/** Every subject path a condition reads (to refuse e.g. `score` inside scoring rules). */
export function pathsOf(condition: Condition): string[] {
  if ('all' in condition) return condition.all.flatMap(pathsOf);
  if ('any' in condition) return condition.any.flatMap(pathsOf);
  if ('not' in condition) return pathsOf(condition.not);
  return [condition.field];
}

// ---- evaluation ----

const lower = (v: Scalar) => (typeof v === 'string' ? v.toLowerCase() : v);

function asNumber(v: string | number | boolean): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function equals(item: Scalar, expected: Scalar): boolean {
  if (typeof expected === 'number') return asNumber(item) === expected;
  if (typeof expected === 'boolean')
    return item === expected || String(item).toLowerCase() === String(expected);
  return String(lower(item)) === expected.toLowerCase();
}

const regexCache = new Map<string, RegExp>();
function regex(source: string): RegExp {
  let r = regexCache.get(source);
  if (!r) {
    r = new RegExp(source, 'i');
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(source, r);
  }
  return r;
}

function itemPasses(item: Scalar, t: FieldTest): boolean {
  if (t.eq !== undefined) return equals(item, t.eq);
  if (t.in !== undefined) return t.in.some((e) => equals(item, e));
  if (t.contains !== undefined) return String(item).toLowerCase().includes(t.contains.toLowerCase());
  if (t.matches !== undefined) return regex(t.matches).test(String(item));
  const n = asNumber(item);
  if (n === undefined) return false;
  if (t.gt !== undefined) return n > t.gt;
  if (t.gte !== undefined) return n >= t.gte;
  if (t.lt !== undefined) return n < t.lt;
  if (t.lte !== undefined) return n <= t.lte;
  return false;
}

const present = (v: SubjectValue): v is Scalar | readonly string[] =>
  v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);

function testField(t: FieldTest, value: SubjectValue): boolean {
  if (t.exists !== undefined) return present(value) === t.exists;
  if (t.ne !== undefined) return !testField({ field: t.field, eq: t.ne }, value);
  if (!present(value)) return false;
  if (Array.isArray(value)) {
    // On a list, `contains` asks for an item, not a substring of one.
    if (t.contains !== undefined)
      return value.some((item) => item.toLowerCase() === t.contains!.toLowerCase());
    return value.some((item) => itemPasses(item, t));
  }
  return itemPasses(value as Scalar, t);
}

export function evaluate(condition: Condition, subject: Subject): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluate(c, subject));
  if ('any' in condition) return condition.any.some((c) => evaluate(c, subject));
  if ('not' in condition) return !evaluate(condition.not, subject);
  return testField(condition, readSubject(subject, condition.field));
}

// ---- a readable name, for fired scoring rules without one ----

const show = (v: Scalar) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
const SYMBOLS: Partial<Record<TestName, string>> = { eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤' };

/** e.g. `fields.companySize in ["51-200", "201-1000"]`, `score ≥ 50`, `all(a, b)`. */
export function describeCondition(condition: Condition): string {
  if ('all' in condition) return condition.all.map(describeCondition).join(' and ');
  if ('any' in condition) return `(${condition.any.map(describeCondition).join(' or ')})`;
  if ('not' in condition) return `not (${describeCondition(condition.not)})`;
  const t = condition;
  for (const name of TESTS) {
    const value = t[name];
    if (value === undefined) continue;
    if (name === 'exists') return value ? `${t.field} is set` : `${t.field} is empty`;
    if (name === 'in') return `${t.field} in [${(value as Scalar[]).map(show).join(', ')}]`;
    if (name === 'matches') return `${t.field} matches /${value as string}/`;
    return `${t.field} ${SYMBOLS[name] ?? name} ${show(value as Scalar)}`;
  }
  return t.field;
}
