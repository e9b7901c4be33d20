/**
 * Script-tag build: English is bundled; `de`, `fr` and `es` are small files next to `leadkit.js`
 * (`leadkit.de.js`, ...) loaded when a form needs them. Each file calls `leadkit('locale', 'de', {...})`.
 * Under a strict CSP they load like `leadkit.js` itself (same origin, same nonce).
 */
import type { Catalogue } from './en.js';
import type { CatalogueSource } from './index.js';

const SHIPPED = ['de', 'fr', 'es'];
const loaded: Record<string, Catalogue> = {};
const waiting: Record<string, ((c: Catalogue | undefined) => void)[]> = {};

/** The `locale` command: a catalogue file arrived. */
export function addCatalogue(language: string, catalogue: Catalogue): void {
  loaded[language] = catalogue;
  for (const done of waiting[language] ?? []) done(catalogue);
  delete waiting[language];
}

export function scriptCatalogues(script: HTMLScriptElement | null): CatalogueSource {
  return (language) => {
    if (loaded[language] || !SHIPPED.includes(language) || !script?.src) return loaded[language];
    return new Promise((resolve) => {
      if (!waiting[language]) {
        const tag = document.createElement('script');
        tag.src = script.src.replace(/\.js(\?|#|$)/, `.${language}.js$1`);
        tag.nonce = script.nonce;
        tag.onerror = () => {
          console.warn(`[leadkit] Could not load ${tag.src}; showing built-in strings in English.`);
          addCatalogue(language, undefined as never);
        };
        document.head.append(tag);
      }
      waiting[language] ??= [];
      waiting[language].push(resolve);
    });
  };
}
