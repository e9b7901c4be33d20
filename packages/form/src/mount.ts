/** `mount(container, config)` for npm users: all built-in languages, SSR-safe. */

import { builtInSources } from './built-in-sources.js';
import type { FormConfig } from './config-schema.js';
import { type MountHandle, type MountOptions, mountForm, noopHandle } from './mount-form.js';

export type { MountHandle, MountOptions };

/**
 * Renders the form described by `config` at the end of `container`, in an open shadow root, and returns
 * `unmount` (with `open()`/`close()` for popups and slide-ins). Without a DOM (SSR) it returns a no-op.
 * @example
 * const unmount = mount(document.querySelector('#signup')!, {
 *   id: 'signup',
 *   endpoint: 'https://hooks.example.com/v1/leads',
 *   fields: [{ name: 'email', type: 'email', label: 'Work email', required: true }],
 * });
 * // later, e.g. when the route changes:
 * unmount();
 */
export function mount(container: Element, config: FormConfig, options: MountOptions = {}): MountHandle {
  if (typeof document === 'undefined') return noopHandle();
  const host = document.createElement('div');
  container.append(host);
  const unmount = mountForm(host, config, options, builtInSources);
  return Object.assign(() => {
    unmount();
    host.remove();
  }, unmount);
}
