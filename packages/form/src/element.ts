/**
 * `<leadkit-form>`: the form as a custom element. Its config is a JSON child, so pages with a strict CSP
 * keep working (no inline script runs):
 *
 *   <leadkit-form endpoint="https://hooks.example.com/v1/leads">
 *     <script type="application/json">{ "id": "demo", "fields": [...] }</script>
 *   </leadkit-form>
 *
 * Registration is guarded: a tag already defined (a second copy of the script) is left alone.
 */
import { type FormSources, type MountHandle, type MountOptions, mountForm } from './mount-form.js';

export const TAG = 'leadkit-form';

/** Defines `<leadkit-form>` once; `defaults` are page-wide options (e.g. the script's `data-endpoint`). */
export function defineFormElement(sources: FormSources, defaults: MountOptions = {}): void {
  if (typeof customElements === 'undefined' || customElements.get(TAG)) return;
  customElements.define(
    TAG,
    class extends HTMLElement {
      // `declare`: no class-field initialiser (and no helper for it in the shipped file).
      declare _handle?: MountHandle;

      connectedCallback() {
        // While the page is still parsing, the JSON child may not exist yet.
        if (document.readyState === 'loading')
          document.addEventListener('DOMContentLoaded', () => this._mount());
        else this._mount();
      }

      disconnectedCallback() {
        this._handle?.();
        this._handle = undefined;
      }

      /** Opens a popup or slide-in form. */
      open() {
        this._handle?.open();
      }

      close() {
        this._handle?.close();
      }

      _mount() {
        if (!this.isConnected || this._handle) return;
        let config: unknown;
        try {
          config = JSON.parse(this.querySelector('script[type="application/json"]')!.textContent!);
        } catch (error) {
          return console.error(
            `[leadkit] <${TAG}> not shown: it needs a <script type="application/json"> child holding the form config (${error}).`,
          );
        }
        const endpoint = this.getAttribute('endpoint') ?? defaults.endpoint;
        this._handle = mountForm(this, config, { ...defaults, endpoint }, sources);
      }
    },
  );
}
