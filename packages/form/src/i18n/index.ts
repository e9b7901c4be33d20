import { type Catalogue, en, type Message, type MessageKey } from './en.js';

export type { Catalogue, Message, MessageKey };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export interface Locale {
  /** The tag put on the widget root (`lang`). */
  lang: string;
  dir: 'ltr' | 'rtl';
  t: Translate;
}

/** Finds the catalogue for a primary language subtag (`de`); may load it. Undefined: English is used. */
export type CatalogueSource = (language: string) => Catalogue | undefined | Promise<Catalogue | undefined>;

/** `de-AT` → `de`. */
export const languageOf = (tag: string) => tag.split('-')[0]!.toLowerCase();

/**
 * A translator over `catalogue` (English when missing) with single strings replaced by `overrides`, so a
 * site can reword anything or supply a whole language without a build. Plurals use `Intl.PluralRules`.
 */
export function createLocale(
  tag: string,
  catalogue: Catalogue | undefined,
  overrides: Partial<Record<MessageKey, string>> = {},
  dir?: 'ltr' | 'rtl',
): Locale {
  // A language we have no strings for, and no overrides: say what we show (English).
  const lang = catalogue || Object.keys(overrides).length ? tag : 'en';
  const plural = new Intl.PluralRules(languageOf(lang));
  const t: Translate = (key, vars = {}) => {
    const msg: Message = overrides[key] ?? (catalogue ?? en)[key];
    const text = typeof msg === 'string' ? msg : (msg[plural.select(+(vars.n ?? 0))] ?? msg.other);
    return text.replace(/\{(\w+)\}/g, (_, k: string) =>
      String(k === 'label' ? lowerFirst(String(vars.Label)) : (vars[k] ?? '')),
    );
  };
  return { lang, dir: dir ?? (/^(ar|he|fa|ur|ps|sd|ug|yi|dv)\b/i.test(lang) ? 'rtl' : 'ltr'), t };
}

/** "Work email" → "work email"; "URL" and "LinkedIn profile" keep their capitals. */
const lowerFirst = (label: string) =>
  /^[A-Z][a-z]*(\s|$)/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
