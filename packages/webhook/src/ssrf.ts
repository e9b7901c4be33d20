/**
 * The SSRF guard for Node: every destination request goes through this fetch.
 *
 * Why an undici Agent: Node's fetch ignores http.Agent, but accepts an undici `dispatcher`. Our Agent's
 * `connect.lookup` resolves the name and drops every non-public address before the socket connects, so
 * the address checked is the address used (no window for DNS rebinding, and names like
 * 127.0.0.1.nip.io are caught). IP literals skip lookup in Node, so the URL is checked first too.
 * Redirects are never followed: a 3xx comes back as a response for the caller to judge.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';
import {
  assertRequestAllowed,
  blockedAddressReason,
  findSsrfError,
  hostSet,
  normalizeHost,
  SsrfBlockedError,
} from './ssrf-rules.js';

export type { LookupFunction } from 'node:net';
export {
  blockedAddressReason,
  createUrlGuardedFetch,
  SsrfBlockedError,
} from './ssrf-rules.js';

/** Resolves every address of a name (the shape of `dns.lookup` with `all: true`). */
export type ResolveAll = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface GuardedFetchOptions {
  /** Hosts exempt from every check (exact host match), e.g. ["127.0.0.1"] for a local receiver. */
  allowHosts?: readonly string[];
  /** The resolver; defaults to the system's (`dns.lookup`, which honours /etc/hosts). */
  resolve?: ResolveAll;
}

/** A `net` lookup that only ever hands public addresses to the socket (allowed hosts pass as-is). */
export function createGuardedLookup(
  allowHosts: ReadonlySet<string>,
  resolve: ResolveAll = dnsLookup as ResolveAll,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const host = normalizeHost(hostname);
      const usable = allowHosts.has(host)
        ? addresses
        : addresses.filter((a) => blockedAddressReason(a.address) === undefined);
      const first = usable[0];
      if (!first) {
        const refused = addresses.map((a) => `${a.address}: ${blockedAddressReason(a.address)}`).join('; ');
        const error = new SsrfBlockedError(
          `Refused to connect to ${hostname}: it resolves only to non-public addresses (${refused || 'none'}). ` +
            'Destinations must be public; if this receiver is yours, list its host in security.allowHosts.',
          host,
          addresses[0]?.address,
        );
        return callback(error, '', 0);
      }
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, usable);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * A fetch that only reaches public https destinations (see the file comment). Hosts in `allowHosts`
 * skip the checks and may use http. Refusals reject with SsrfBlockedError.
 */
export function createGuardedFetch(options: GuardedFetchOptions = {}): typeof fetch {
  const allow = hostSet(options.allowHosts);
  const dispatcher = new Agent({ connect: { lookup: createGuardedLookup(allow, options.resolve) } });
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    assertRequestAllowed(input, allow);
    try {
      // `dispatcher` is Node's extension to RequestInit.
      return await fetch(input, { ...init, redirect: 'manual', dispatcher } as RequestInit);
    } catch (error) {
      throw findSsrfError(error) ?? error;
    }
  }) as typeof fetch;
}
