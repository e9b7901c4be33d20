/** All built-in catalogues, for npm builds (the script-tag build loads non-English ones on demand). */
import { de } from './de.js';
import { type Catalogue, en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import type { CatalogueSource } from './index.js';

export const CATALOGUES: Record<string, Catalogue> = { en, de, fr, es };

export const builtInCatalogues: CatalogueSource = (language) => CATALOGUES[language];
