/**
 * `import '@leadkit/form/element'` defines `<leadkit-form>` (a side effect, guarded against double
 * definition). Framework users: import it inside an effect so server rendering never touches `customElements`.
 */

import { builtInSources } from './built-in-sources.js';
import { defineFormElement } from './element.js';

defineFormElement(builtInSources);

export { TAG } from './element.js';
