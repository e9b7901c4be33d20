/**
 * Reference tables from JSON Schema (made with `z.toJSONSchema` from the packages' zod schemas), with
 * descriptions from `descriptions.ts`. The build fails when a key has no description or a description
 * names no key, so the reference cannot drift from the code.
 */
import { escapeHtml } from './html.js';

// A JSON Schema node as z.toJSONSchema writes it (only what the tables read).
export interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  $ref?: string;
}

export interface Row {
  path: string;
  type: string;
  required: boolean;
  default?: string;
  limits: string;
  description: string;
}

/** Object-schema alternatives that carry a `type` constant: one table per variant (e.g. destinations). */
export function variants(schema: JsonSchema): JsonSchema[] {
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (!alternatives) return schema.properties?.type?.const !== undefined ? [schema] : [];
  return alternatives.flatMap(variants);
}

const isVariantList = (s: JsonSchema) => s.type === 'array' && !!s.items && variants(s.items).length > 1;

export function typeOf(
  s: JsonSchema,
  named: (s: JsonSchema) => string | undefined = () => undefined,
): string {
  const name = named(s);
  if (name) return name;
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((e) => JSON.stringify(e)).join(' | ');
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return [...new Set(alternatives.map((a) => typeOf(a, named)))].join(' | ');
  if (Array.isArray(s.type)) return s.type.join(' | ');
  if (s.type === 'array' && s.items) {
    const item = typeOf(s.items, named);
    return item.includes(' | ') ? `(${item})[]` : `${item}[]`;
  }
  if (s.type === 'object' && !s.properties && typeof s.additionalProperties === 'object') {
    return `{ [key]: ${typeOf(s.additionalProperties, named)} }`;
  }
  return s.type ?? 'any';
}

// z.number().int() writes the safe-integer range, which says nothing to a reader.
const bound = (n: number | undefined) =>
  n === undefined || Math.abs(n) >= Number.MAX_SAFE_INTEGER ? undefined : n;

function limitsOf(schema: JsonSchema): string {
  const s = { ...schema, minimum: bound(schema.minimum), maximum: bound(schema.maximum) };
  const out: string[] = [];
  if (s.minimum !== undefined && s.maximum !== undefined) out.push(`${s.minimum}–${s.maximum}`);
  else if (s.minimum !== undefined) out.push(`≥ ${s.minimum}`);
  else if (s.maximum !== undefined) out.push(`≤ ${s.maximum}`);
  if (s.minLength !== undefined && s.minLength > 1) out.push(`at least ${s.minLength} characters`);
  if (s.maxLength !== undefined) out.push(`at most ${s.maxLength} characters`);
  if (s.minItems !== undefined && s.minItems > 1) out.push(`at least ${s.minItems} items`);
  if (s.maxItems !== undefined) out.push(`at most ${s.maxItems} items`);
  if (s.pattern) out.push(`matches /${s.pattern}/`);
  if (s.format) out.push(s.format);
  return out.join(', ');
}

/** The object alternative of `false | { ... }` style unions, to describe its keys too. */
function objectPart(s: JsonSchema): JsonSchema | undefined {
  if (s.properties) return s;
  const alternatives = s.anyOf ?? s.oneOf;
  const objects = alternatives?.filter((a) => a.properties);
  return objects?.length === 1 ? objects[0] : undefined;
}

export interface FlattenOptions {
  /** Names a schema (e.g. `Touch`) so it is shown by name and not expanded. */
  named?: (s: JsonSchema) => string | undefined;
  /** Looks up the description of a path; undefined makes the build fail. */
  describe: (path: string) => string | undefined;
}

/** Every key of an object schema, depth first, with `[]` for array items. */
export function flatten(schema: JsonSchema, options: FlattenOptions, prefix = ''): Row[] {
  const rows: Row[] = [];
  const named = options.named ?? (() => undefined);
  for (const [key, s] of Object.entries(schema.properties ?? {})) {
    if (key === '$schema') continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const description = options.describe(path);
    if (description === undefined) {
      throw new Error(`docs: no description for "${path}". Add it to docs/build/descriptions.ts.`);
    }
    rows.push({
      path,
      type: typeOf(s, named),
      required: schema.required?.includes(key) ?? false,
      default: s.default === undefined ? undefined : JSON.stringify(s.default),
      limits: limitsOf(s),
      description,
    });
    if (named(s) || isVariantList(s)) continue;
    const inner = objectPart(s);
    if (inner) rows.push(...flatten(inner, options, path));
    else if (s.type === 'array' && s.items?.properties && !named(s.items)) {
      rows.push(...flatten(s.items, options, `${path}[]`));
    }
  }
  return rows;
}

/** Renders rows as an HTML table; every value is escaped. */
export function tableHtml(rows: Row[], caption?: string): string {
  const body = rows
    .map((r) => {
      const depth = r.path.split('.').length - 1;
      const meta = [
        r.required ? 'required' : '',
        r.default ? `default <code>${escapeHtml(r.default)}</code>` : '',
      ]
        .filter(Boolean)
        .join('; ');
      return `<tr id="${escapeHtml(`key-${r.path.replace(/[^\w-]+/g, '-')}`)}"><td class="key depth-${Math.min(depth, 3)}"><code>${escapeHtml(r.path)}</code></td><td><code>${escapeHtml(r.type)}</code>${r.limits ? `<br><span class="limits">${escapeHtml(r.limits)}</span>` : ''}</td><td>${meta}</td><td>${inlineCode(r.description)}</td></tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table class="reference">${caption ? `<caption>${escapeHtml(caption)}</caption>` : ''}
<thead><tr><th>key</th><th>type</th><th>required / default</th><th>meaning</th></tr></thead>
<tbody>${body}</tbody></table></div>`;
}

/** Escapes a description and turns its `backticks` into <code>. */
export function inlineCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}
