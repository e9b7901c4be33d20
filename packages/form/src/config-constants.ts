/**
 * Literals shared by the zod schema (`config-schema.ts`) and the browser checker (`config-check.ts`),
 * so both accept exactly the same vocabulary.
 */
export const FIELD_TYPES = [
  'text',
  'email',
  'tel',
  'url',
  'number',
  'textarea',
  'select',
  'radio',
  'checkbox',
  'consent',
  'hidden',
] as const;

export const DISPLAY_MODES = ['inline', 'popup', 'slide-in'] as const;
export const TRIGGERS = ['click', 'delay', 'scroll', 'exit'] as const;
export const DIRECTIONS = ['ltr', 'rtl'] as const;
export const REQUIRED_STYLES = ['optional', 'asterisk'] as const;

/** Field names become keys of `lead.fields`: short, no spaces, no dots. */
export const FIELD_NAME = /^[A-Za-z_][\w-]{0,63}$/;
/** Form ids travel with every lead and appear in storage keys. */
export const FORM_ID = /^[\w-]{1,128}$/;
/** Absolute http(s) URL or a same-origin path. Anything else (javascript:, data:) is refused. */
export const URL_LIKE = /^(https?:\/\/[^\s/]|\/)[^\s]*$/;
/** BCP 47-ish language tag: `en`, `de-AT`, `zh-Hant-TW`. */
export const LOCALE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Types whose `options` list is required (a choice among several). */
export const CHOICE_TYPES = ['select', 'radio'] as const;
