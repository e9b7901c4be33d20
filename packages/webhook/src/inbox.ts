/**
 * GET /inbox: a server-rendered page for the team: recent leads with channel, first/last touch and each
 * destination's status (with retry), the spam list (with release), and leads by channel as inline SVG.
 * Lead values are attacker-controlled, so every value is escaped, and a strict CSP forbids scripts outright.
 */
import { type AdminDeps, denyAdmin, NO_TOKEN_MESSAGE, releaseSpam, retryDelivery } from './admin.js';
import type { Incoming, Reply } from './http.js';
import type { DeliveryRow, StoredLead } from './store/types.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Tagged template that escapes every interpolation unless it is already rendered `Html`. */
class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}
function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    const rendered = Array.isArray(v)
      ? v.map((x) => (x instanceof Html ? x.value : escapeHtml(x))).join('')
      : v instanceof Html
        ? v.value
        : escapeHtml(v);
    out += rendered + strings[i + 1]!;
  });
  return new Html(out);
}

const CHART_DAYS = 30;
const PAGE = 50;

function touchText(t: { source: string; medium: string; campaign?: string | undefined } | undefined) {
  if (!t) return '—';
  return `${t.source} / ${t.medium}${t.campaign ? ` · ${t.campaign}` : ''}`;
}

function time(ms: number) {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
}

function chart(rows: { channel: string | null; count: number }[]): Html {
  if (rows.length === 0) return html`<p class="muted">No leads in the last ${CHART_DAYS} days.</p>`;
  const max = Math.max(...rows.map((r) => r.count));
  const bar = 22;
  const labelWidth = 170;
  const width = 560;
  const height = rows.length * bar + 4;
  const bars = rows.map((r, i) => {
    const w = Math.max(2, Math.round(((width - labelWidth - 50) * r.count) / max));
    const y = i * bar + 2;
    return html`<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${r.channel ?? '(no attribution)'}</text><rect x="${labelWidth}" y="${y + 3}" width="${w}" height="${bar - 8}" rx="3" fill="#4f46e5"></rect><text x="${labelWidth + w + 6}" y="${y + 15}">${r.count}</text>`;
  });
  return html`<svg role="img" aria-label="Leads by last-touch channel, last ${CHART_DAYS} days" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-size="13" font-family="system-ui, sans-serif" fill="#1f2937">${bars}</svg>`;
}

function hidden(token: string) {
  return html`<input type="hidden" name="token" value="${token}">`;
}

function deliveryCell(d: DeliveryRow, token: string): Html {
  const label =
    d.status === 'failed'
      ? d.permanent
        ? 'refused'
        : 'dead letter'
      : d.status === 'pending'
        ? 'pending'
        : 'delivered';
  const title = [
    `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`,
    d.lastStatus ? `HTTP ${d.lastStatus}` : '',
    d.lastError ?? '',
    d.status === 'delivered' ? (d.detail ?? '') : '',
    d.status === 'pending' && d.nextAt ? `next ${time(d.nextAt)}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const retry =
    d.status === 'delivered'
      ? ''
      : html`<form method="post" action="/inbox/retry">${hidden(token)}<input type="hidden" name="delivery" value="${d.id}"><button>Retry</button></form>`;
  return html`<div class="dest"><span class="badge ${d.status}" title="${title}">${d.destination}: ${label}</span>${retry}</div>`;
}

function leadRow(s: StoredLead, deliveries: DeliveryRow[], token: string): Html {
  const a = s.lead.attribution;
  return html`<tr><td>${time(s.receivedAt)}</td><td><code>${s.lead.id}</code><br><span class="muted">${s.lead.formId}</span></td><td>${a?.lastTouch.channel ?? '—'}</td><td>${touchText(a?.firstTouch)}</td><td>${touchText(a?.lastTouch)}</td><td>${deliveries.length ? deliveries.map((d) => deliveryCell(d, token)) : html`<span class="muted">no destinations</span>`}</td></tr>`;
}

function spamRow(s: StoredLead, token: string): Html {
  return html`<tr><td>${time(s.receivedAt)}</td><td><code>${s.lead.id}</code><br><span class="muted">${s.lead.formId}</span></td><td>${s.spamReason}</td><td><form method="post" action="/inbox/release">${hidden(token)}<input type="hidden" name="lead" value="${s.lead.id}"><button>Release</button></form></td></tr>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;color:#1f2937;margin:2rem auto;max-width:1200px;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid #e5e7eb}
th{font-weight:600;color:#4b5563}.muted{color:#6b7280}code{font-size:12px}
.dest{display:flex;gap:.4rem;align-items:center;margin:.15rem 0}form{margin:0}
.badge{border-radius:999px;padding:.05rem .55rem;font-size:12px}
.delivered{background:#dcfce7;color:#166534}.pending{background:#fef9c3;color:#854d0e}.failed{background:#fee2e2;color:#991b1b}
button{font:inherit;font-size:12px;padding:.1rem .5rem;cursor:pointer}
`;

function securityHeaders(nonce: string): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  };
}

async function renderInbox(deps: AdminDeps, token: string, before: number | undefined): Promise<Reply> {
  const { store } = deps;
  const [leads, spam, byChannel] = await Promise.all([
    store.listLeads({ limit: PAGE, before }),
    store.listLeads({ limit: PAGE, spam: true }),
    store.countByChannel(deps.now() - CHART_DAYS * 86_400_000),
  ]);
  const rows = await Promise.all(
    leads.map(async (l) => leadRow(l, await store.listDeliveries({ leadId: l.lead.id }), token)),
  );
  const last = leads.at(-1);
  const older =
    leads.length === PAGE && last
      ? html`<p><a href="/inbox?token=${encodeURIComponent(token)}&amp;before=${last.receivedAt}">Older leads →</a></p>`
      : '';
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const page = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Leadkit inbox</title><style nonce="${nonce}">${new Html(STYLE)}</style></head><body>
<h1>Leadkit inbox</h1>
<h2>Leads by channel (last touch, ${CHART_DAYS} days)</h2>${chart(byChannel)}
<h2>Leads</h2>
<table><thead><tr><th>Received (UTC)</th><th>Lead / form</th><th>Channel</th><th>First touch</th><th>Last touch</th><th>Destinations</th></tr></thead><tbody>${rows.length ? rows : html`<tr><td colspan="6" class="muted">No leads yet.</td></tr>`}</tbody></table>${older}
<h2>Spam list (${spam.length}${spam.length === PAGE ? '+' : ''})</h2>
<p class="muted">Flagged leads are answered like any other and never delivered until released.</p>
<table><thead><tr><th>Received (UTC)</th><th>Lead / form</th><th>Reason</th><th></th></tr></thead><tbody>${spam.length ? spam.map((s) => spamRow(s, token)) : html`<tr><td colspan="4" class="muted">Empty.</td></tr>`}</tbody></table>
</body></html>`;
  return { status: 200, headers: securityHeaders(nonce), body: page.value };
}

function plain(status: number, message: string, extra?: Record<string, string>): Reply {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra },
    body: message,
  };
}

/** /inbox (GET, token in the query) and its forms /inbox/retry, /inbox/release (POST, token in the body). */
export async function handleInbox(request: Incoming, deps: AdminDeps): Promise<Reply> {
  const url = request.url;
  if (request.method === 'GET' && url.pathname === '/inbox') {
    const token = url.searchParams.get('token');
    const denied = denyAdmin(token, deps.config);
    if (denied) {
      return plain(
        denied.status,
        denied.status === 403
          ? NO_TOKEN_MESSAGE
          : 'Open /inbox?token=<adminToken> (the adminToken from leadkit.config.json).',
      );
    }
    const before = Number(url.searchParams.get('before')) || undefined;
    return renderInbox(deps, token!, before);
  }
  if (request.method === 'POST' && (url.pathname === '/inbox/retry' || url.pathname === '/inbox/release')) {
    const text = await request.text(4096);
    const form = new URLSearchParams(text ?? '');
    const token = form.get('token');
    const denied = denyAdmin(token, deps.config);
    if (denied) return plain(denied.status, 'Missing or wrong admin token.');
    if (url.pathname === '/inbox/retry') {
      const id = Number(form.get('delivery'));
      if (!Number.isInteger(id) || !(await retryDelivery(deps, id))) return plain(404, `No delivery ${id}.`);
    } else {
      const id = form.get('lead') ?? '';
      if (!(await releaseSpam(deps, id))) return plain(404, 'That lead is not in the spam list.');
    }
    return plain(303, 'Done.', { location: `/inbox?token=${encodeURIComponent(token!)}` });
  }
  return plain(405, `${request.method} ${url.pathname} is not supported.`);
}
