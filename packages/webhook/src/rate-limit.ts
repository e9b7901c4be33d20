/** Per-IP and per-form intake limits (in memory, per process), answered with 429 and Retry-After. */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { LeadkitConfig } from './config.js';

export interface IntakeLimits {
  /** Seconds to wait when over the limit, else undefined. */
  ip(ip: string): Promise<number | undefined>;
  form(formId: string): Promise<number | undefined>;
}

async function over(limiter: RateLimiterMemory | undefined, key: string): Promise<number | undefined> {
  if (!limiter) return undefined;
  try {
    await limiter.consume(key);
    return undefined;
  } catch (res) {
    if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw res;
  }
}

export function createLimits(config: LeadkitConfig['rateLimit']): IntakeLimits {
  const perIp =
    config && new RateLimiterMemory({ points: config.perIp.points, duration: config.perIp.durationSeconds });
  const perForm =
    config &&
    new RateLimiterMemory({ points: config.perForm.points, duration: config.perForm.durationSeconds });
  return {
    ip: (ip) => over(perIp || undefined, ip),
    form: (formId) => over(perForm || undefined, formId),
  };
}
