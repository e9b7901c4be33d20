/**
 * The pages a person sees after posting a plain HTML form: thank you, or what went wrong and a way back.
 * Server-rendered, every value escaped, no scripts (the inbox's strict CSP).
 */
import { Html, html, securityHeaders, styleNonce } from './html.js';
import type { Issue, Reply } from './http.js';

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a}h1{font-size:1.5rem}li{margin:.25rem 0}a{color:#0b57d0}';

function page(
  status: number,
  title: string,
  body: Html,
  back: string | undefined,
  headers: Record<string, string> = {},
): Reply {
  const nonce = styleNonce();
  const link = back ? html`<p><a href="${back}">Back to the form</a></p>` : new Html('');
  const doc = html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style nonce="${nonce}">${new Html(STYLE)}</style></head>
<body><main><h1>${title}</h1>${body}${link}</main></body>
</html>`;
  return { status, headers: { ...headers, ...securityHeaders(nonce) }, body: doc.value };
}

/** 200: the lead is stored. `back` is the page the form was on, when it may be linked to. */
export function thankYouPage(back: string | undefined): Reply {
  return page(200, 'Thank you', html`<p>Your message was received.</p>`, back);
}

/** A refusal (4xx/5xx) with its message, one list item per problem, and a back link. */
export function problemPage(
  status: number,
  message: string,
  issues: Issue[] | undefined,
  back: string | undefined,
  headers: Record<string, string> = {},
): Reply {
  const title = status >= 500 || status === 429 ? 'Please try again shortly' : 'The form could not be sent';
  const list =
    issues && issues.length > 0
      ? html`<ul>${issues.map((i) => html`<li><code>${i.path}</code>: ${i.message}</li>`)}</ul>`
      : new Html('');
  return page(status, title, html`<p>${message}</p>${list}`, back, headers);
}
