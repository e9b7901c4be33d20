/** The inbox pages' one style sheet (sent with a CSP nonce): light and dark, charts coloured from it. */
export const INBOX_STYLE = `
:root{color-scheme:light dark;--fg:#1f2937;--muted:#6b7280;--bg:#fff;--line:#e5e7eb;--card:#f8fafc;
--accent:#4f46e5;--on-accent:#fff;--money:#047857;--track:#eef2ff;--link:#4338ca}
@media (prefers-color-scheme:dark){:root{--fg:#e5e7eb;--muted:#9ca3af;--bg:#0f172a;--line:#334155;
--card:#1e293b;--accent:#818cf8;--on-accent:#0f172a;--money:#34d399;--track:#1e1b4b;--link:#a5b4fc}}
body{font:14px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:1.5rem auto;max-width:1200px;padding:0 1rem}
a{color:var(--link)}h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin-top:2rem}h3{font-size:1rem;margin:.2rem 0 .5rem}
nav{display:flex;gap:1rem;border-bottom:1px solid var(--line);padding-bottom:.5rem}
nav a[aria-current]{font-weight:600;color:var(--fg);text-decoration:none}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid var(--line)}
th{font-weight:600;color:var(--muted)}.muted{color:var(--muted)}code{font-size:12px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tfoot td{font-weight:600;border-top:2px solid var(--line)}
.dest{display:flex;gap:.4rem;align-items:center;margin:.15rem 0}form{margin:0}
.badge{border-radius:999px;padding:.05rem .55rem;font-size:12px;white-space:nowrap}
.delivered{background:#dcfce7;color:#166534}.pending{background:#fef9c3;color:#854d0e}.failed{background:#fee2e2;color:#991b1b}
.stage{background:var(--card);border:1px solid var(--line)}.stage-mql,.stage-sql{border-color:var(--accent)}
.stage-customer{background:#dcfce7;color:#166534;border-color:#86efac}
button,select,input{font:inherit;font-size:13px}button{padding:.1rem .5rem;cursor:pointer}
svg text{fill:var(--fg)}svg .bar{fill:var(--accent)}svg .money{fill:var(--money)}svg .track{fill:var(--track)}
svg .value{fill:var(--muted)}
.filters{display:flex;flex-wrap:wrap;gap:.6rem 1.2rem;align-items:end;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.75rem 1rem}
.filters label{display:flex;flex-direction:column;gap:.2rem;font-size:12px;color:var(--muted)}
.filters fieldset{border:0;margin:0;padding:0;display:flex;gap:.8rem;align-items:center}
.filters legend{font-size:12px;color:var(--muted);padding:0;margin-bottom:.2rem;float:left;width:100%}
.filters fieldset label{flex-direction:row;color:var(--fg);font-size:13px;align-items:center}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:.75rem;margin:1rem 0}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.6rem .8rem}
.kpi b{display:block;font-size:1.5rem;font-variant-numeric:tabular-nums}.kpi span{color:var(--muted);font-size:12px}
.answer{font-size:1rem;background:var(--card);border-left:4px solid var(--money);padding:.6rem .9rem;border-radius:4px}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem}
@media (max-width:900px){.pair{grid-template-columns:1fr}}
.scroll{overflow-x:auto}
.pair th,.pair td{padding:.35rem .4rem}
details{margin-top:1.5rem}summary{cursor:pointer;font-weight:600}
dl.defs{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dl.defs dt{font-weight:600}dl.defs dd{margin:0}
.fields td:first-child{color:var(--muted);width:14rem}
.chips{display:flex;flex-wrap:wrap;gap:.35rem;margin-top:.2rem}
.chip{border:1px solid var(--line);border-radius:999px;padding:.15rem .7rem;text-decoration:none;color:var(--fg);background:var(--bg)}
.chip[aria-current]{background:var(--accent);border-color:var(--accent);color:var(--on-accent)}
.filters form{display:flex;gap:.6rem;align-items:end}
.download{font-weight:600}
caption{text-align:left;caption-side:top;padding:.2rem 0}
`;
