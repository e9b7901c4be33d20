/** What a lead records about where it was sent from: the core's attribution, the page, locale and time zone. */
import type { Attribution } from '@leadkit/core';
import type { LeadContext } from './lead.js';

const cap = (s: string) => s.slice(0, 2048);

export function pageContext(attribution: Attribution | undefined): LeadContext {
  return {
    ...(attribution && { attribution }),
    page: { url: cap(location.href), title: cap(document.title), referrer: cap(document.referrer) },
    context: { locale: navigator.language, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
  };
}
