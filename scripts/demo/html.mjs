/** HTML escaping for the demo's server-rendered pages: every value a visitor sent is text, never markup. */

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Already-rendered markup, passed through `html` unescaped. */
export class Html {
  constructor(value) {
    this.value = value;
  }
  toString() {
    return this.value;
  }
}

/** Tagged template: escapes every interpolation unless it is `Html` (arrays are joined). */
export function html(strings, ...values) {
  const render = (v) => (v instanceof Html ? v.value : escapeHtml(v));
  let out = strings[0];
  values.forEach((v, i) => {
    out += (Array.isArray(v) ? v.map(render).join('') : render(v)) + strings[i + 1];
  });
  return new Html(out);
}
