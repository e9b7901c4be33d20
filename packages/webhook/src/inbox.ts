/**
 * GET /inbox: a server-rendered page for the team: recent leads with email, score, stage, owner, channel,
 * first/last touch and each destination's status (with retry), one lead in full (`?lead=<id>`, the link
 * Slack messages carry), the spam list (with release), leads by channel as inline SVG, and the funnel
 * report (./inbox-report.ts).
 * Lead values are attacker-controlled, so every value is escaped, and a strict CSP forbids scripts outright.
 */
import { type AdminDeps, denyAdmin, NO_TOKEN_MESSAGE, releaseSpam, retryDelivery } from './admin.js';
import { leadEmail } from './email.js';
import { Html, html, securityHeaders, styleNonce } from './html.js';
import type { Incoming, Reply } from './http.js';
import { renderReport, reportCsv } from './inbox-report.js';
import { INBOX_STYLE } from './inbox-style.js';
import type { DeliveryRow, OutcomeRow, StoredLead } from './store/types.js';

export { escapeHtml } from './html.js';

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
    return html`<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${r.channel ?? '(no attribution)'}</text><rect class="bar" x="${labelWidth}" y="${y + 3}" width="${w}" height="${bar - 8}" rx="3"></rect><text x="${labelWidth + w + 6}" y="${y + 15}">${r.count}</text>`;
  });
  const summary = rows.map((r) => `${r.channel ?? '(no attribution)'} ${r.count}`).join(', ');
  return html`<svg role="img" aria-label="Leads by last-touch channel, last ${CHART_DAYS} days: ${summary}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-size="13" font-family="system-ui, sans-serif">${bars}</svg>`;
}

function hidden(token: string) {
  return html`<input type="hidden" name="token" value="${token}">`;
}

/** Inbox links carry the token in the query, as the page itself was opened. */
export function inboxHref(token: string, path = '/inbox', params: Record<string, string> = {}): string {
  const q = new URLSearchParams({ token, ...params });
  return `${path}?${q}`;
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

function who(s: StoredLead): string {
  if (s.erasedAt !== null) return '(erased)';
  return leadEmail(s.lead) ?? '(no email)';
}

function stageBadge(s: StoredLead): Html {
  return html`<span class="badge stage stage-${s.stage}">${s.stage}</span>`;
}

function scoreText(s: StoredLead): string {
  const q = s.qualification;
  return q ? `${q.score} · ${q.grade}` : '—';
}

function leadRow(s: StoredLead, deliveries: DeliveryRow[], token: string): Html {
  const a = s.lead.attribution;
  return html`<tr><td>${time(s.receivedAt)}</td><td><a href="${inboxHref(token, '/inbox', { lead: s.lead.id })}">${who(s)}</a><br><span class="muted">${s.lead.formId}</span></td><td class="num">${scoreText(s)}</td><td>${stageBadge(s)}</td><td>${s.qualification?.owner?.name ?? '—'}</td><td>${a?.lastTouch.channel ?? '—'}</td><td>${touchText(a?.firstTouch)}</td><td>${touchText(a?.lastTouch)}</td><td>${deliveries.length ? deliveries.map((d) => deliveryCell(d, token)) : html`<span class="muted">no destinations</span>`}</td></tr>`;
}

function spamRow(s: StoredLead, token: string): Html {
  return html`<tr><td>${time(s.receivedAt)}</td><td><code>${s.lead.id}</code><br><span class="muted">${s.lead.formId}</span></td><td>${s.spamReason}</td><td><form method="post" action="/inbox/release">${hidden(token)}<input type="hidden" name="lead" value="${s.lead.id}"><button>Release</button></form></td></tr>`;
}

/** The page frame shared by the inbox views: title, nonce'd style, navigation. */
export function inboxPage(title: string, token: string, current: 'leads' | 'report', body: Html): Reply {
  const nonce = styleNonce();
  const link = (view: 'leads' | 'report', label: string) =>
    html`<a href="${inboxHref(token, view === 'leads' ? '/inbox' : '/inbox/report')}"${new Html(current === view ? ' aria-current="page"' : '')}>${label}</a>`;
  const page = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title><style nonce="${nonce}">${new Html(INBOX_STYLE)}</style></head><body>
<nav aria-label="Inbox">${link('leads', 'Leads')}${link('report', 'Funnel report')}</nav>
<main>${body}</main>
</body></html>`;
  return { status: 200, headers: securityHeaders(nonce), body: page.value };
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
      ? html`<p><a href="${inboxHref(token, '/inbox', { before: String(last.receivedAt) })}">Older leads →</a></p>`
      : '';
  return inboxPage(
    'Leadkit inbox',
    token,
    'leads',
    html`<h1>Leadkit inbox</h1>
<h2>Leads by channel (last touch, ${CHART_DAYS} days)</h2>${chart(byChannel)}
<h2>Leads</h2>
<div class="scroll"><table><thead><tr><th>Received (UTC)</th><th>Email / form</th><th class="num">Score · grade</th><th>Stage</th><th>Owner</th><th>Channel</th><th>First touch</th><th>Last touch</th><th>Destinations</th></tr></thead><tbody>${rows.length ? rows : html`<tr><td colspan="9" class="muted">No leads yet.</td></tr>`}</tbody></table></div>${older}
<h2>Spam list (${spam.length}${spam.length === PAGE ? '+' : ''})</h2>
<p class="muted">Flagged leads are answered like any other and never delivered until released.</p>
<table><thead><tr><th>Received (UTC)</th><th>Lead / form</th><th>Reason</th><th></th></tr></thead><tbody>${spam.length ? spam.map((s) => spamRow(s, token)) : html`<tr><td colspan="4" class="muted">Empty.</td></tr>`}</tbody></table>`,
  );
}

function fieldValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function touchRows(
  label: string,
  t: NonNullable<StoredLead['lead']['attribution']>['firstTouch'] | undefined,
) {
  if (!t) return html`<tr><td>${label}</td><td>—</td></tr>`;
  return html`<tr><td>${label}</td><td>${t.channel} · ${touchText(t)}<br><span class="muted">${t.landingPage}${t.referrer ? ` ← ${t.referrer}` : ''} · ${t.timestamp}</span></td></tr>`;
}

/** One lead: who, score and why, stage and owner, touches, outcomes from the CRM, deliveries. */
async function renderLead(deps: AdminDeps, token: string, id: string): Promise<Reply> {
  const s = await deps.store.getLead(id);
  if (!s) {
    const page = inboxPage(
      'Lead not found',
      token,
      'leads',
      html`<h1>No lead ${id}</h1><p>It may have been deleted after the retention period. <a href="${inboxHref(token)}">All leads</a></p>`,
    );
    return { ...page, status: 404 };
  }
  const [deliveries, outcomes] = await Promise.all([
    deps.store.listDeliveries({ leadId: id }),
    deps.store.listOutcomes(id) as Promise<OutcomeRow[]> | OutcomeRow[],
  ]);
  const q = s.qualification;
  const a = s.lead.attribution;
  const fields = Object.entries(s.lead.fields).map(
    ([k, v]) => html`<tr><td>${k}</td><td>${fieldValue(v)}</td></tr>`,
  );
  const outcomeRows = outcomes.map(
    (o) =>
      html`<tr><td>${time(o.at)}</td><td>${o.status}</td><td class="num">${o.amount === null ? '' : `${o.amount} ${o.currency ?? ''}`}</td><td>${o.reason ?? ''}</td></tr>`,
  );
  return inboxPage(
    `Lead ${who(s)}`,
    token,
    'leads',
    html`<p><a href="${inboxHref(token)}">← All leads</a></p>
<h1>${who(s)}</h1>
<p>${stageBadge(s)} <span class="muted">received ${time(s.receivedAt)} UTC · form ${s.lead.formId} · id <code>${s.lead.id}</code></span></p>
${s.erasedAt === null ? '' : html`<p class="answer">Personal data erased ${time(s.erasedAt)} UTC; anonymous facts kept for reports.</p>`}
<table class="fields"><tbody>
<tr><td>Score · grade</td><td>${scoreText(s)}${q?.fired.length ? html`<br><span class="muted">${q.fired.map((f) => `${f.rule} (${f.points > 0 ? '+' : ''}${f.points})`).join(' · ')}</span>` : ''}</td></tr>
<tr><td>Owner</td><td>${q?.owner ? `${q.owner.name}${q.owner.email ? ` <${q.owner.email}>` : ''}` : '—'}</td></tr>
<tr><td>First contact</td><td>${s.contactedAt === null ? 'not yet' : `${time(s.contactedAt)} UTC`}</td></tr>
${touchRows('First touch', a?.firstTouch)}${touchRows('Last touch', a?.lastTouch)}
${fields}
</tbody></table>
<h2>Outcomes from sales</h2>
<table><thead><tr><th>At (UTC)</th><th>Status</th><th class="num">Amount</th><th>Reason</th></tr></thead><tbody>${outcomeRows.length ? outcomeRows : html`<tr><td colspan="4" class="muted">None reported yet.</td></tr>`}</tbody></table>
<h2>Destinations</h2>
${deliveries.length ? deliveries.map((d) => deliveryCell(d, token)) : html`<p class="muted">No destinations.</p>`}`,
  );
}

function plain(status: number, message: string, extra?: Record<string, string>): Reply {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra },
    body: message,
  };
}

/** Asked for a view without a (right) token: a form for it that keeps the rest of the address. */
function askForToken(url: URL, status: number): Reply {
  const nonce = styleNonce();
  const keep = [...url.searchParams].filter(([k]) => k !== 'token');
  const page = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Leadkit inbox: admin token</title><style nonce="${nonce}">${new Html(INBOX_STYLE)}</style></head><body><main>
<h1>Leadkit inbox</h1>
<p>${status === 401 && url.searchParams.has('token') ? 'That token is not right. ' : ''}Enter the <code>adminToken</code> from leadkit.config.json.</p>
<form method="get" action="${url.pathname}">${keep.map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}<label>Admin token <input type="password" name="token" autocomplete="current-password" required></label> <button>Open</button></form>
</main></body></html>`;
  return { status, headers: securityHeaders(nonce), body: page.value };
}

const VIEWS = ['/inbox', '/inbox/report', '/inbox/report.csv'];

/**
 * /inbox, /inbox?lead=<id>, /inbox/report and /inbox/report.csv (GET, token in the query) and the forms
 * /inbox/retry, /inbox/release (POST, token in the body).
 */
export async function handleInbox(request: Incoming, deps: AdminDeps): Promise<Reply> {
  const url = request.url;
  if (request.method === 'GET' && VIEWS.includes(url.pathname)) {
    const token = url.searchParams.get('token');
    const denied = denyAdmin(token, deps.config);
    if (denied) {
      return denied.status === 403 ? plain(403, NO_TOKEN_MESSAGE) : askForToken(url, denied.status);
    }
    if (url.pathname === '/inbox/report') return renderReport(deps, token!, url.searchParams);
    if (url.pathname === '/inbox/report.csv') return reportCsv(deps, url.searchParams);
    const lead = url.searchParams.get('lead');
    if (lead) return renderLead(deps, token!, lead);
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
