/** Popup and slide-in rules, adopted after the widget's stylesheet (`css.ts`) by forms that use them. */
export const POPUP_CSS = `dialog{color:var(--t);background:var(--g);border:0;border-radius:var(--r);padding:3.25rem 1.5rem 1.5rem;width:min(var(--leadkit-width,32rem),100vw - 2rem);max-height:calc(100dvh - 2rem);overflow:auto;box-shadow:0 8px 32px #0006;animation:i .2s}
dialog::backdrop{background:#000a}
.x{position:absolute;top:.5rem;inset-inline-end:.5rem;width:2.75rem;height:2.75rem;font-size:1.75rem;background:none;color:inherit}.x::before{content:"\\d7"}
.slide,.fab{position:fixed;inset:auto;inset-block-end:1rem;inset-inline-end:1rem;margin:0;z-index:var(--leadkit-z-index,2147483000)}
@keyframes i{from{opacity:0;transform:translateY(1rem)}}
@media (prefers-reduced-motion:reduce){*{animation:none!important}}`;
