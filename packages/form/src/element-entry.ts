/**
 * `import '@leadkit/form/element'` defines `<leadkit-form>` (a side effect, guarded against double
 * definition). Framework users: import it inside an effect so server rendering never touches `customElements`.
 */
import { defineFormElement } from './element.js';
import { builtInCatalogues } from './i18n/catalogues.js';

defineFormElement(builtInCatalogues);

export { TAG } from './element.js';
