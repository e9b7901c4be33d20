/** npm builds: every language and the popup code bundled, nothing loaded at run time. */
import { builtInCatalogues } from './i18n/catalogues.js';
import type { FormSources } from './mount-form.js';
import { popup } from './popup.js';

export const builtInSources: FormSources = { catalogues: builtInCatalogues, popup: () => popup };
