/**
 * Script-tag build: English is bundled; `de`, `fr` and `es` are small files next to `leadkit.js`
 * (`leadkit.de.js`, ...) loaded when a form needs them. Each file calls `leadkit('locale', 'de', {...})`.
 */
import { arrive, arrivedFile, siblingFile } from '../sibling-files.js';
import type { Catalogue } from './en.js';
import type { CatalogueSource } from './index.js';

const SHIPPED = ['de', 'fr', 'es'];

/** The `locale` command: a catalogue file arrived. */
export const addCatalogue = (language: string, catalogue: Catalogue): void => arrive(language, catalogue);

export const scriptCatalogues =
  (script: HTMLScriptElement | null): CatalogueSource =>
  (language) =>
    SHIPPED.includes(language)
      ? siblingFile<Catalogue>(script, language, 'showing built-in strings in English')
      : // A page may hand over a language of its own: `leadkit('locale', 'pt', {...})`.
        arrivedFile<Catalogue>(language);
