/**
 * The attributes each input gets: HTML `type`, `autocomplete` purpose (WCAG 1.3.5), `inputmode`,
 * `spellcheck` and `dir`. Numbers are text inputs with a numeric keyboard (never `type=number`: the
 * scroll wheel changes values and letters give no feedback). Text fields named like a purpose get its
 * token: `company` → `organization`.
 */
import type { FieldConfig } from './config-schema.js';

export interface InputAttributes {
  type?: string;
  autocomplete?: string;
  inputMode?: string;
  spellcheck?: boolean;
  dir?: string;
}

const BY_NAME: [RegExp, string][] = [
  [/^(full_?)?name$/i, 'name'],
  [/^(first|given)_?name$/i, 'given-name'],
  [/^(last|family)_?name|surname$/i, 'family-name'],
  [/^(company|organi[sz]ation)$/i, 'organization'],
  [/^(job_?)?title|role$/i, 'organization-title'],
  [/^(postcode|postal_?code|zip)$/i, 'postal-code'],
  [/^country$/i, 'country-name'],
];

export function inputAttributes(f: FieldConfig): InputAttributes {
  const { type } = f;
  const typed = type === 'email' || type === 'tel' || type === 'url';
  const named = BY_NAME.find(([re]) => re.test(f.name))?.[1];
  const autocomplete =
    f.autocomplete ?? (typed ? type : type === 'text' || type === 'select' ? named : undefined);
  return {
    type: typed ? type : type === 'textarea' ? undefined : 'text',
    autocomplete,
    inputMode: type === 'number' ? 'decimal' : undefined,
    // Names, codes and addresses are not dictionary words.
    spellcheck:
      typed || type === 'number' || (!!named && named !== 'organization-title' && type === 'text')
        ? false
        : undefined,
    // Addresses and numbers read left to right even in right-to-left forms; free text follows its content.
    dir: typed || type === 'number' ? 'ltr' : 'auto',
  };
}
