/**
 * The widget's stylesheet. Public custom properties (all optional) are read once on :host into short
 * private ones; the dark scheme only changes the fallbacks, so a site's own values win in both schemes.
 * Logical properties throughout, so `dir="rtl"` mirrors the layout. Popup and slide-in rules (the only
 * animation, and its reduced-motion switch) are in `popup-css.ts`.
 */
export const CSS = `:host{display:block;--a:var(--leadkit-accent,#1d4ed8);--c:var(--leadkit-accent-text,#fff);--t:var(--leadkit-text,#1f2328);--m:var(--leadkit-muted,#57606a);--g:var(--leadkit-background,#fff);--b:var(--leadkit-border,#6e7781);--e:var(--leadkit-error,#b42318);--r:var(--leadkit-radius,6px)}
@media (prefers-color-scheme:dark){:host{--a:var(--leadkit-accent,#6cb6ff);--c:var(--leadkit-accent-text,#0d1117);--t:var(--leadkit-text,#e6edf3);--m:var(--leadkit-muted,#9da7b3);--g:var(--leadkit-background,#0d1117);--b:var(--leadkit-border,#8b949e);--e:var(--leadkit-error,#ff8d85)}}
*{box-sizing:border-box}
.lk{font:var(--leadkit-font,inherit);line-height:1.5;color:var(--t)}
form,.done{display:grid;gap:1.25rem}
h2,h3,p{margin:0}
[tabindex="-1"]:focus{outline:0}
:focus-visible,.sum:focus{outline:3px solid var(--leadkit-focus,var(--a));outline-offset:2px}
label,legend{display:block;font-weight:600;padding:0;scroll-margin-top:var(--leadkit-scroll-margin,1rem)}
fieldset{border:0;margin:0;padding:0;min-width:0}
.fld{display:grid;gap:.25rem}
.hint{color:var(--m)}
.msg{color:var(--e);font-weight:600}
.bad{border-inline-start:4px solid var(--e);padding-inline-start:.75rem}
.cond{border-inline-start:4px solid var(--b);padding-inline-start:1rem;margin-inline-start:.6rem}
input,select,textarea{font:inherit;color:inherit;width:100%;min-height:2.75rem;padding:.5rem;border:2px solid var(--b);border-radius:var(--r);background:var(--g)}
textarea{min-height:6rem}
[aria-invalid=true]{border-color:var(--e)}
.opt{display:flex;align-items:center;gap:.6rem;min-height:2.75rem}
.opt input{width:1.5rem;height:1.5rem;min-height:0;margin:0;flex:none;accent-color:var(--a)}
.opt label{font-weight:400;flex:1}
a,.back{color:var(--a)}
button{font:inherit;cursor:pointer;border:0;border-radius:var(--r)}
.btn{justify-self:start;font-weight:600;min-height:2.75rem;padding:.6rem 1.25rem;background:var(--a);color:var(--c)}
.back{justify-self:start;padding:0;background:none;text-decoration:underline}
.sum{border:4px solid var(--e);padding:1rem}
.sum a{color:var(--e);font-weight:600}
.bar{height:4px;background:var(--b)}.bar i{display:block;height:100%;background:var(--a)}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
[role=status]:not(:empty){margin-top:1rem}`;
