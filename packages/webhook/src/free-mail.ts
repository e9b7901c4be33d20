/**
 * Business or free-mail address, from the `free-email-domains` list (HubSpot's free-mail domains,
 * republished near daily). Subdomains count as their parent (mail.yahoo.com is yahoo.com), so a provider's
 * regional or legacy hosts are free too; a business domain is never a subdomain of a free one.
 */
import FREE_DOMAINS from 'free-email-domains';

const FREE = new Set<string>(FREE_DOMAINS);

export type EmailType = 'business' | 'free' | 'none';

export function isFreeMailDomain(domain: string): boolean {
  const labels = domain.toLowerCase().replace(/\.$/, '').split('.');
  // Stop at two labels: the list has no bare suffixes (com, co.uk), so shorter never matches anyway.
  for (let i = 0; i <= labels.length - 2; i++) {
    if (FREE.has(labels.slice(i).join('.'))) return true;
  }
  return false;
}

export function emailType(domain: string | undefined): EmailType {
  if (!domain) return 'none';
  return isFreeMailDomain(domain) ? 'free' : 'business';
}
