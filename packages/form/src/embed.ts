/**
 * The script-tag build (`dist/leadkit.js`): Preact, signals, the core journey and the widget in one file.
 * The journey is `@leadkit/core/capture`'s (no classifier or source list): the server derives each touch's
 * channel from its landing page and referrer.
 *
 *   <script async src="/leadkit.js" data-endpoint="https://hooks.example.com/v1/leads"></script>
 *   <leadkit-form><script type="application/json">{ "id": "demo", "fields": [...] }</script></leadkit-form>
 *   leadkit('form', { id: 'demo', fields: [...] }, { target: '#signup' })
 *
 * A second copy of this file on the page changes nothing.
 */
import { captureCommands, installCommands } from '@leadkit/core/capture';
import type { PopupKit } from './display.js';
import { defineFormElement } from './element.js';
import { addCatalogue, scriptCatalogues } from './i18n/load-catalogue.js';
import { type FormSources, mountForm } from './mount-form.js';
import { readScriptOptions } from './script-options.js';
import { arrive, siblingFile } from './sibling-files.js';

// Only set while this file first runs: read it before anything async.
const script = document.currentScript as HTMLScriptElement | null;
const w = window as Window & { __leadkitForm?: 1 };

if (!w.__leadkitForm) {
  w.__leadkitForm = 1;
  const { consent, ...options } = readScriptOptions(script);
  const sources: FormSources = {
    catalogues: scriptCatalogues(script),
    // Popups and slide-ins: `leadkit.popup.js`, loaded once a form on the page is one.
    popup: () => siblingFile<PopupKit>(script, 'popup', 'popup and slide-in forms are not shown'),
  };
  const commands = captureCommands(consent);
  installCommands({
    ...commands,
    locale: addCatalogue,
    popup: (kit: PopupKit) => arrive('popup', kit),
    /** `leadkit('form', config, { target })`: mounts at `target` (a selector), else at the end of <body>. */
    form: (config: unknown, where: { target?: string } = {}) => {
      const go = () => {
        const container = where.target ? document.querySelector(where.target) : document.body;
        if (!container)
          return console.error(`[leadkit] leadkit('form'): no element matches "${where.target}".`);
        mountForm(container.appendChild(document.createElement('div')), config, options, sources);
      };
      if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', go);
      else go();
    },
  });
  // Start the journey now: the landing URL and referrer are read synchronously, storage waits for idle.
  commands.init();
  // Forms mount in a task of their own, so this file's evaluation stays one short task.
  setTimeout(() => defineFormElement(sources, options));
}
