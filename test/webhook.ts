/**
 * How browser tests run a real @leadkit/webhook next to a loopback site. Plain options, no @leadkit
 * import (the repository root depends on no package): pass them to `startServer` from `@leadkit/webhook/node`.
 */
import { join } from 'node:path';

/**
 * Accepts leads from `siteOrigin` only (CORS), with no rate limit and no minimum fill time (a test fills a
 * form faster than a person), stores them in `dir`/leads.db, on a free port, silent, leaving signals alone.
 */
export function loopbackWebhookOptions(siteOrigin: string, dir: string) {
  return {
    config: { allowedOrigins: [siteOrigin], rateLimit: false as const, spam: { minFillMs: 0 } },
    port: 0,
    dbPath: join(dir, 'leads.db'),
    handleSignals: false,
    log: () => {},
  };
}
