/**
 * Puts a stylesheet into a shadow root, after those already there. Constructable stylesheets first: they
 * are not subject to CSP `style-src`, so strict pages need no change. Older engines get a `<style>`
 * element carrying the page's nonce (script `data-nonce` / mount option `nonce`).
 */
const sheets: Record<string, CSSStyleSheet> = {};

export function adoptStyles(root: ShadowRoot, css: string, nonce?: string): void {
  if (
    'adoptedStyleSheets' in root &&
    typeof CSSStyleSheet === 'function' &&
    'replaceSync' in CSSStyleSheet.prototype
  ) {
    let sheet = sheets[css];
    if (!sheet) {
      sheet = sheets[css] = new CSSStyleSheet();
      sheet.replaceSync(css);
    }
    // A form mounted again in the same host (the element re-attached) reuses what is there.
    if (!root.adoptedStyleSheets.includes(sheet))
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return;
  }
  const style = document.createElement('style');
  if (nonce) style.nonce = nonce;
  style.textContent = css;
  root.append(style);
}
