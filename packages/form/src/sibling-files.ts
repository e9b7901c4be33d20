/**
 * Script-tag build: files next to `leadkit.js` (`leadkit.de.js`, `leadkit.popup.js`, ...) loaded when a
 * form needs them. Each hands over its content through the command queue (`leadkit('locale', 'de', {...})`,
 * `leadkit('popup', {...})`), so either file may run first. Under a strict CSP they load like `leadkit.js`
 * itself (same origin, same nonce).
 */
const arrived: Record<string, unknown> = {};
const waiting: Record<string, ((content: unknown) => void)[]> = {};

/** A file's content arrived (`undefined`: the file could not load). */
export function arrive(name: string, content: unknown): void {
  arrived[name] = content;
  for (const done of waiting[name] ?? []) done(content);
  delete waiting[name];
}

/** What `leadkit.<name>.js` (or a page's own call of its command) handed over, without loading anything. */
export const arrivedFile = <T>(name: string) => arrived[name] as T | undefined;

/**
 * The content of `leadkit.<name>.js`, loading the file on first use; undefined if it cannot load (then
 * `fallback` says what the visitor gets instead) or this script's own address is unknown.
 */
export function siblingFile<T>(
  script: HTMLScriptElement | null,
  name: string,
  fallback: string,
): T | undefined | Promise<T | undefined> {
  if (name in arrived || !script?.src) return arrived[name] as T | undefined;
  return new Promise((resolve) => {
    if (!waiting[name]) {
      waiting[name] = [];
      const tag = document.createElement('script');
      tag.src = script.src.replace(/\.js(\?|#|$)/, `.${name}.js$1`);
      tag.nonce = script.nonce;
      tag.onerror = () => {
        console.warn(`[leadkit] Could not load ${tag.src}; ${fallback}.`);
        arrive(name, undefined);
      };
      document.head.append(tag);
    }
    waiting[name].push(resolve as (content: unknown) => void);
  });
}
