/**
 * Puts the stylesheet into a shadow root. Constructable stylesheets first: they are not subject to CSP
 * `style-src`, so strict pages need no change. Older engines get a `<style>` element carrying the
 * page's nonce (script `data-nonce` / mount option `nonce`).
 */
import { CSS } from './css.js';

let shared: CSSStyleSheet | undefined;

export function adoptStyles(root: ShadowRoot, nonce?: string): void {
  if (
    'adoptedStyleSheets' in root &&
    typeof CSSStyleSheet === 'function' &&
    'replaceSync' in CSSStyleSheet.prototype
  ) {
    if (!shared) {
      shared = new CSSStyleSheet();
      shared.replaceSync(CSS);
    }
    root.adoptedStyleSheets = [shared];
    return;
  }
  const style = document.createElement('style');
  if (nonce) style.nonce = nonce;
  style.textContent = CSS;
  root.prepend(style);
}
