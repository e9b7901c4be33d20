/**
 * The demo's receiving "CRM": verifies each Standard Webhooks request with `verifyWebhook`, keeps what
 * arrived (also across restarts, in the data folder) and lists it on a small page. It also serves /go, a
 * page on another host name that links to the landing page, so the browser sends a real Referer.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Html, html } from './html.mjs';

export const WEBHOOK_PATH = '/webhooks/leadkit';
const MAX_BODY = 1_048_576;

/** Loopback names that reach the same server; /go is served on the one the landing page does not use. */
const OTHER_NAME = { '127.0.0.1': 'localhost', localhost: '127.0.0.1' };

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('body over 1 MB'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function loadReceived(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return []; // a line cut short by a crash: skip it
      }
    });
}

const touchText = (t) =>
  t ? `${t.channel}: ${t.source} / ${t.medium}${t.campaign ? ` · ${t.campaign}` : ''}` : '—';

const CONTACT_KEYS = new Set(['name', 'first_name', 'last_name', 'email', 'company', 'consent']);

function person(fields = {}) {
  const name = fields.name ?? [fields.first_name, fields.last_name].filter(Boolean).join(' ');
  const other = Object.entries(fields)
    .filter(([key, value]) => !CONTACT_KEYS.has(key) && value !== null && value !== '')
    .map(([key, value]) => `${key.replace(/_/g, ' ')}: ${Array.isArray(value) ? value.join(', ') : value}`);
  // Without a name, the email address names the contact.
  return name
    ? { name, email: fields.email ?? '', company: fields.company ?? '', other }
    : { name: fields.email ?? '(no name)', email: '', company: fields.company ?? '', other };
}

function row(entry) {
  const lead = entry.payload?.data;
  const a = lead?.attribution;
  const who = person(lead?.fields);
  const q = entry.payload?.qualification;
  const signature = entry.verified
    ? html`<span class="ok">✓ verified</span>`
    : html`<span class="bad">✗ refused</span><br><span class="muted">${entry.error}</span>`;
  return html`<tr>
<td>${new Date(entry.receivedAt).toISOString().replace('T', ' ').slice(0, 19)}</td>
<td><strong>${who.name}</strong>${who.email ? html`<br>${who.email}` : ''}${who.company ? html`<br><span class="muted">${who.company}</span>` : ''}${who.other.map((line) => html`<br><span class="muted">${line}</span>`)}${q ? html`<br><span class="muted">score ${q.score} (${q.grade}) · ${entry.payload.stage ?? q.stage} · owner ${q.owner?.name ?? '—'}</span>` : ''}</td>
<td>${a?.lastTouch?.channel ?? '—'}</td>
<td>${touchText(a?.firstTouch)}</td>
<td>${touchText(a?.lastTouch)}</td>
<td>${signature}${entry.repeats ? html`<br><span class="muted">+${entry.repeats} repeat(s), ignored</span>` : ''}</td>
<td><code>${entry.id ?? '—'}</code><br><span class="muted">${lead?.formId ?? ''}</span></td>
</tr>`;
}

const STYLE = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2937; background: #f6f7f9; }
header { background: #312e81; color: #fff; padding: 14px 28px; display: flex; align-items: baseline; gap: 16px; }
header h1 { font-size: 18px; margin: 0; }
header p { margin: 0; opacity: .8; font-size: 14px; }
main { padding: 20px 28px; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid #e5e7eb; }
th, td { text-align: left; vertical-align: top; padding: 10px 12px; border-bottom: 1px solid #e5e7eb; font-size: 14px; }
th { background: #f3f4f6; font-weight: 600; }
code { font-size: 12px; }
.muted { color: #6b7280; font-size: 13px; }
.ok { color: #047857; font-weight: 600; }
.bad { color: #b91c1c; font-weight: 600; }
article { max-width: 640px; margin: 40px auto; background: #fff; padding: 32px 40px; border: 1px solid #e5e7eb; }
article a { color: #4338ca; font-weight: 600; }
`;

function page(title, nonce, body, refresh = false) {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${refresh ? new Html('<meta http-equiv="refresh" content="5">') : ''}
<title>${title}</title><style nonce="${nonce}">${new Html(STYLE)}</style></head><body>${body}</body></html>`
    .value;
}

/**
 * @param {{ secret: string, dataDir: string, siteUrl: () => string, verifyWebhook: Function }} options
 *   `verifyWebhook` from @leadkit/webhook; `siteUrl` the landing page's base URL (known once it listens).
 */
export function createCrm({ secret, dataDir, siteUrl, verifyWebhook }) {
  const file = join(dataDir, 'crm-received.jsonl');
  const received = loadReceived(file);
  const byId = new Map(received.filter((e) => e.verified).map((e) => [e.id, e]));

  function record(entry) {
    received.push(entry);
    appendFileSync(file, `${JSON.stringify(entry)}\n`);
  }

  async function receive(req, res) {
    const body = await readBody(req);
    let verified;
    try {
      verified = verifyWebhook({ secret, headers: req.headers, body });
    } catch (err) {
      record({
        receivedAt: Date.now(),
        id: req.headers['webhook-id'] ?? null,
        verified: false,
        error: err.message,
      });
      res.writeHead(400, { 'content-type': 'text/plain' }).end(err.message);
      return;
    }
    const seen = byId.get(verified.id);
    if (seen) {
      // At-least-once delivery: the same webhook-id again is a repeat, acknowledged and ignored.
      seen.repeats = (seen.repeats ?? 0) + 1;
    } else {
      const entry = { receivedAt: Date.now(), id: verified.id, verified: true, payload: verified.payload };
      byId.set(entry.id, entry);
      record(entry);
    }
    res.writeHead(204).end();
  }

  function inbox(res) {
    const nonce = randomBytes(12).toString('base64');
    const rows = [...received].reverse().map(row);
    const body = html`<header><h1>Demo CRM</h1><p>Leads received from Leadkit by signed webhook (Standard Webhooks), newest first. Refreshes every 5 s.</p></header>
<main><table><thead><tr><th>Received (UTC)</th><th>Contact</th><th>Channel</th><th>First touch</th><th>Last touch</th><th>Signature</th><th>webhook-id / form</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="7" class="muted">Nothing yet. Submit the form on the landing page.</td></tr>`}</tbody></table></main>`;
    send(res, nonce, page('Demo CRM: received leads', nonce, body, true));
  }

  function go(req, res) {
    const hostHeader = req.headers.host ?? '';
    const hostname = hostHeader.replace(/:\d+$/, '');
    const landing = new URL(siteUrl());
    // The same host name as the landing page would be a self-referral (GA4 ignores those): switch names.
    if (hostname === landing.hostname && OTHER_NAME[hostname]) {
      const port = hostHeader.slice(hostname.length);
      res.writeHead(302, { location: `http://${OTHER_NAME[hostname]}${port}/go` }).end();
      return;
    }
    const nonce = randomBytes(12).toString('base64');
    const body = html`<article><p class="muted">The Support Ops Weekly · issue 42</p><h1>Five tools our readers swear by</h1>
<p>This page plays a blog on another site. Following the link below sends the browser's own
<code>Referer</code> header, so Leadkit records an organic referral from <strong>${hostname}</strong>.</p>
<p>1. <a href="${`${landing.origin}/`}">Harbor, the shared inbox for support teams</a>: our pick of the year.</p></article>`;
    send(res, nonce, page('The Support Ops Weekly', nonce, body));
  }

  function send(res, nonce, text) {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'`,
      'cache-control': 'no-store',
    });
    res.end(text);
  }

  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname === WEBHOOK_PATH && req.method === 'POST') {
      receive(req, res).catch((err) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(err.message);
      });
    } else if (pathname === '/' && req.method === 'GET') inbox(res);
    else if (pathname === '/go' && req.method === 'GET') go(req, res);
    else if (pathname === '/received.json' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`No page at ${pathname}. Try / (received leads) or /go (a referral to the landing page).`);
    }
  });
  return { server, received };
}
