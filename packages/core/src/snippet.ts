/**
 * The inline loader to paste in a page's <head>. It defines `window.leadkit` as a queue (calls made
 * before the script arrives run when it does), remembers the landing URL and referrer before any
 * router can change them, and loads the script-tag build async. ES5, so it runs on any page.
 */

// JSON string that is also safe inside an inline <script> (no "</script>" breakout).
const js = (value: string) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * The snippet's JavaScript (without the <script> tags) for the script at `src`, with `data` set as
 * `data-*` attributes on it: `snippet(url, { consent: 'pending', 'hidden-fields': 'on' })`.
 */
export function snippet(src: string, data: Record<string, string> = {}): string {
  let attributes = '';
  for (const name in data) attributes += `s.setAttribute(${js(`data-${name}`)},${js(data[name]!)});`;
  return (
    '!function(w,d,s,l){if(w.leadkit)return;' +
    'l=w.leadkit=function(){(l.q=l.q||[]).push(arguments)};' +
    'l.u=location.href;l.r=d.referrer;' +
    `s=d.createElement("script");s.async=!0;s.src=${js(src)};${attributes}` +
    '(d.head||d.documentElement).appendChild(s)}(window,document)'
  );
}
