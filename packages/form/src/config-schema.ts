/**
 * The form configuration schema: the single source of truth for what a form config may contain.
 * Full zod, for npm users (`validateConfig`), the docs and tests. Browsers get `config-check.ts`, a small
 * hand-written checker that a property test proves accepts and rejects exactly what this schema does.
 * Limits on lengths live on the server (the lead schema); here we catch what a person gets wrong:
 * typos in keys, wrong types, unknown field types, missing labels, fields in no step.
 */
import * as z from 'zod';
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
import { MESSAGE_KEYS } from './i18n/en.js';

const text = z.string().min(1);
const url = z.string().regex(URL_LIKE, 'must be an http(s) URL or a path starting with /');
const fieldName = z
  .string()
  .regex(FIELD_NAME, 'must be a letter or _, then letters, digits, _ or - (64 at most)');
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const seconds = (max: number) => z.number().min(0).max(max);

export const FieldSchema = z
  .strictObject({
    /** Key of the value in `lead.fields`. */
    name: fieldName,
    type: z.enum(FIELD_TYPES),
    /** Visible label; for `consent` the statement recorded with the lead. Required except for `hidden`. */
    label: text.optional(),
    placeholder: text.optional(),
    /** Hint under the label: one short sentence, no links. */
    help: text.optional(),
    required: z.boolean().optional(),
    /** A regular expression the whole answer must match (text-like fields). */
    pattern: text.refine(isRegExp, 'must be a valid regular expression').optional(),
    /** `number`: smallest value; text-like fields: fewest characters. */
    min: z.number().optional(),
    /** `number`: largest value; text-like fields: most characters. */
    max: z.number().optional(),
    /** Choices for `select`, `radio` and grouped `checkbox`: `"Sales"` or `{ "value": "sales", "label": "Sales" }`. */
    options: z
      .array(z.union([text, z.strictObject({ value: text, label: text })]))
      .min(1)
      .optional(),
    default: z.union([scalar, z.array(z.string())]).optional(),
    /** Show the field only while another field's value equals (one of) the given value(s). */
    showIf: z
      .strictObject({ field: fieldName, equals: z.union([scalar, z.array(scalar).min(1)]) })
      .optional(),
    /** Prefill from this URL query parameter. */
    param: text.optional(),
    /** Prefill from this cookie (after `param`). */
    cookie: text.optional(),
    /** Override the `autocomplete` token chosen from the type and name. */
    autocomplete: text.optional(),
    /** `consent`: privacy-policy link shown next to (not inside) the label. */
    link: z.strictObject({ href: url, text }).optional(),
  })
  .superRefine((f, ctx) => {
    const problem = fieldProblem(f);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem[0]], message: problem[1] });
  });

export const DisplaySchema = z.strictObject({
  /** `inline` renders in place; `popup` is a modal dialog; `slide-in` a non-modal panel in a corner. */
  mode: z.enum(DISPLAY_MODES),
  /** What opens a popup or slide-in. @default 'click' (a launcher button, or `opener` elements) */
  trigger: z.enum(TRIGGERS).optional(),
  /** CSS selector of host-page elements that open the form when clicked (then no launcher for popups). */
  opener: text.optional(),
  /** Text of the launcher button. @default the `launcher` message */
  launcher: text.optional(),
  /** Seconds before a `delay` trigger opens the form. @default 5 */
  delay: seconds(3600).optional(),
  /** Scroll depth in percent for a `scroll` trigger. @default 50 */
  scroll: seconds(100).optional(),
  /** Automatic triggers open the form at most once per visitor per this many days. @default 30 */
  frequencyDays: seconds(3650).optional(),
});

export const FormConfigSchema = z
  .strictObject({
    /** Identifies the form in every lead (`lead.formId`). */
    id: z.string().regex(FORM_ID, 'must be 1-128 letters, digits, _ or -'),
    /** Where leads are POSTed. The `<leadkit-form endpoint>` attribute or script `data-endpoint` also set it. */
    endpoint: url.optional(),
    title: text.optional(),
    intro: text.optional(),
    fields: z.array(FieldSchema).min(1),
    /** Multi-step forms: each step names its fields; every visible field belongs to exactly one step. */
    steps: z
      .array(z.strictObject({ title: text, fields: z.array(fieldName).min(1) }))
      .min(2)
      .optional(),
    submitLabel: text.optional(),
    success: z
      .strictObject({ title: text.optional(), message: text.optional(), redirect: url.optional() })
      .optional(),
    /** Language of built-in strings (`en`, `de`, `fr`, `es` built in). @default the closest `lang` on the page */
    locale: z.string().regex(LOCALE_TAG, 'must be a language tag like en or de-AT').optional(),
    dir: z.enum(DIRECTIONS).optional(),
    /** Replace built-in strings by key (any language, no build needed). */
    messages: z.partialRecord(z.enum(MESSAGE_KEYS as [string, ...string[]]), text).optional(),
    /** `optional` marks optional fields "(optional)" (GOV.UK); `asterisk` marks required ones with *. */
    requiredStyle: z.enum(REQUIRED_STYLES).optional(),
    display: DisplaySchema.optional(),
    /** Render a Cloudflare Turnstile widget (the page loads Turnstile's script itself). */
    turnstile: z.strictObject({ siteKey: text }).optional(),
  })
  .superRefine((c, ctx) => {
    const problem = crossProblem(c as FormConfig);
    if (problem) ctx.addIssue({ code: 'custom', path: problem[0], message: problem[1] });
  });

/** A form configuration as written (JSON or TypeScript). */
export type FormConfig = z.input<typeof FormConfigSchema>;
export type FieldConfig = z.input<typeof FieldSchema>;
export type DisplayConfig = z.input<typeof DisplaySchema>;
export type FieldType = (typeof FIELD_TYPES)[number];

/** One problem, with the path written the way a person points at it: `fields[2].type`. */
export interface ConfigIssue {
  path: string;
  message: string;
}

export type ConfigResult = { ok: true; config: FormConfig } | { ok: false; issues: ConfigIssue[] };

/** Validates a form config with the full schema; issues name the key, e.g. `fields[2].type`. */
export function validateConfig(input: unknown): ConfigResult {
  const r = FormConfigSchema.safeParse(input);
  if (r.success) return { ok: true, config: r.data };
  return {
    ok: false,
    // Point at each unknown key itself (`fields[0].lable: unknown key`), as the browser checker does.
    issues: r.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((key) => ({ path: formatPath([...i.path, key]), message: 'unknown key' }))
        : [{ path: formatPath(i.path), message: i.message }],
    ),
  };
}

/**
 * Types a config in TypeScript and checks it; throws listing every issue.
 * @example
 * export default defineConfig({ id: 'demo', fields: [{ name: 'email', type: 'email', label: 'Work email', required: true }] });
 */
export function defineConfig(config: FormConfig): FormConfig {
  const r = validateConfig(config);
  if (!r.ok)
    throw new Error(`Invalid form config: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return config;
}

function isRegExp(source: string): boolean {
  try {
    return !!new RegExp(source);
  } catch {
    return false;
  }
}
