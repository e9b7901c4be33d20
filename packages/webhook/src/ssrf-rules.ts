/**
 * SSRF rules that need no DNS: which IP addresses are public, and which destination URLs may be fetched.
 * Runtime-neutral (no Node imports), so Workers and other edge runtimes can use `createUrlGuardedFetch`.
 * The Node guard in ./ssrf.ts adds the check after DNS resolution, at connect time.
 */

/** Thrown (or returned as a failure) when a destination would reach a non-public address. */
export class SsrfBlockedError extends Error {
  readonly code = 'LEADKIT_SSRF_BLOCKED';
  override readonly name = 'SsrfBlockedError';
  constructor(
    message: string,
    /** The host the destination names. */
    readonly host: string,
    /** The refused address, when one was resolved or given literally. */
    readonly address?: string,
  ) {
    super(message);
  }
}

type Range = readonly [prefix: readonly number[], bits: number, label: string];

// IANA special-purpose IPv4 registry: everything here is unreachable or must stay internal.
const V4_BLOCKED: readonly Range[] = [
  [[0], 8, '"this network" 0.0.0.0/8'],
  [[10], 8, 'private 10.0.0.0/8'],
  [[100, 64], 10, 'shared address space (CGNAT) 100.64.0.0/10'],
  [[127], 8, 'loopback 127.0.0.0/8'],
  [[169, 254], 16, 'link-local 169.254.0.0/16 (cloud metadata lives here)'],
  [[172, 16], 12, 'private 172.16.0.0/12'],
  [[192, 0, 0], 24, 'IETF protocol assignments 192.0.0.0/24'],
  [[192, 0, 2], 24, 'documentation 192.0.2.0/24'],
  [[192, 88, 99], 24, '6to4 relay anycast 192.88.99.0/24'],
  [[192, 168], 16, 'private 192.168.0.0/16'],
  [[198, 18], 15, 'benchmarking 198.18.0.0/15'],
  [[198, 51, 100], 24, 'documentation 198.51.100.0/24'],
  [[203, 0, 113], 24, 'documentation 203.0.113.0/24'],
  [[224], 4, 'multicast 224.0.0.0/4'],
  [[240], 4, 'reserved 240.0.0.0/4 (incl. broadcast)'],
];

// Written as bytes: [0x20, 0x01, 0x0d, 0xb8] is 2001:db8::.
const V6_BLOCKED: readonly Range[] = [
  [[], 128, 'unspecified ::'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128, 'loopback ::1'],
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, 'discard-only 100::/64'],
  [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48, 'local-use NAT64 64:ff9b:1::/48'],
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'documentation 2001:db8::/32'],
  [[0x20, 0x01, 0x00], 23, 'IETF protocol assignments 2001::/23 (Teredo, benchmarking, ORCHID)'],
  [[0x3f, 0xff, 0x00], 20, 'documentation 3fff::/20'],
  [[0xfc], 7, 'unique local fc00::/7'],
  [[0xfe, 0x80], 10, 'link-local fe80::/10'],
  [[0xfe, 0xc0], 10, 'site-local fec0::/10'],
  [[0xff], 8, 'multicast ff00::/8'],
];

function inRange(bytes: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const take = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** Strict dotted-quad IPv4 (what DNS answers and the URL parser produce). */
export function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

/** IPv6 (with optional brackets, zone id and dotted IPv4 tail) as 16 bytes. */
export function parseIPv6(text: string): number[] | undefined {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(':')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
        out.push(Number.parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

function blockedV4(bytes: readonly number[]): string | undefined {
  for (const [prefix, bits, label] of V4_BLOCKED) if (inRange(bytes, prefix, bits)) return label;
  return undefined;
}

function blockedV6(bytes: readonly number[]): string | undefined {
  // Forms that carry an IPv4 address are judged by that address, so ::ffff:127.0.0.1 is loopback.
  const embedded = (at: number) => bytes.slice(at, at + 4);
  if (inRange(bytes, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96)) {
    const v4 = blockedV4(embedded(12));
    return v4 && `IPv4-mapped ${v4}`;
  }
  if (inRange(bytes, [0x00, 0x64, 0xff, 0x9b], 96)) {
    const v4 = blockedV4(embedded(12));
    return v4 && `NAT64 64:ff9b::/96 of ${v4}`;
  }
  if (inRange(bytes, [0x20, 0x02], 16)) {
    const v4 = blockedV4(embedded(2));
    return v4 && `6to4 2002::/16 of ${v4}`;
  }
  for (const [prefix, bits, label] of V6_BLOCKED) if (inRange(bytes, prefix, bits)) return label;
  // Only global unicast is routable on the internet; everything else is reserved.
  if (!inRange(bytes, [0x20], 3)) return 'reserved (outside global unicast 2000::/3)';
  return undefined;
}

/**
 * Why an IP address must not be contacted, or undefined when it is public.
 * Text that is not an IP address at all is refused too ("not an IP address").
 */
export function blockedAddressReason(address: string): string | undefined {
  const v4 = parseIPv4(address);
  if (v4) return blockedV4(v4);
  const v6 = parseIPv6(address);
  if (v6) return blockedV6(v6);
  return 'not an IP address';
}

/** True when `text` is an IPv4 or IPv6 literal (brackets allowed). */
export function isIpLiteral(text: string): boolean {
  return parseIPv4(text) !== undefined || parseIPv6(text) !== undefined;
}

// Names that only ever mean this machine or the local network.
const LOCAL_NAME = /(^|\.)(localhost|local|internal|home\.arpa|lan|intranet)$/;

/** Lowercase, without brackets or a trailing dot: the form allowHosts are compared in. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

export function hostSet(allowHosts: readonly string[] | undefined): ReadonlySet<string> {
  return new Set((allowHosts ?? []).map(normalizeHost));
}

const ALLOW_HINT = 'If this receiver is yours, list its host in security.allowHosts.';

/**
 * Checks what can be checked without DNS: the scheme (https, or http for allowed hosts), IP literals
 * and names that are local by definition. Throws SsrfBlockedError; returns the normalised host.
 */
export function assertUrlAllowed(url: URL, allowHosts: ReadonlySet<string>): string {
  const host = normalizeHost(url.hostname);
  const allowed = allowHosts.has(host);
  if (url.protocol !== 'https:' && !(allowed && url.protocol === 'http:')) {
    throw new SsrfBlockedError(
      `Refused ${url.protocol}//${url.host}: destination URLs must use https (http is allowed only for hosts in security.allowHosts).`,
      host,
    );
  }
  if (allowed) return host;
  if (isIpLiteral(host)) {
    const reason = blockedAddressReason(host);
    if (reason) {
      throw new SsrfBlockedError(
        `Refused to connect to ${host} (${reason}): destinations must be public addresses. ${ALLOW_HINT}`,
        host,
        host,
      );
    }
  } else if (LOCAL_NAME.test(host) || !host.includes('.')) {
    throw new SsrfBlockedError(
      `Refused to connect to ${host}: it names a local or intranet host, not a public one. ${ALLOW_HINT}`,
      host,
    );
  }
  return host;
}

/**
 * The SsrfBlockedError inside an error's cause chain (fetch wraps connect errors in "fetch failed").
 * Matched by its code too: a guard from another copy of this package (a bundle, a second install) throws
 * an SsrfBlockedError of a different class, and it must still fail for good instead of retrying.
 */
export function findSsrfError(error: unknown): SsrfBlockedError | undefined {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    if (e instanceof SsrfBlockedError) return e;
    if ((e as { code?: unknown }).code === 'LEADKIT_SSRF_BLOCKED' && e instanceof Error) {
      return e as SsrfBlockedError;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function requestUrl(input: RequestInfo | URL): URL {
  if (input instanceof URL) return input;
  return new URL(typeof input === 'string' ? input : input.url);
}

/**
 * `assertUrlAllowed` for a fetch input. A refused Request's body is cancelled (not awaited): callers such
 * as ky keep a tee of it and cancel their branch later, and a tee settles only once both branches have.
 */
export function assertRequestAllowed(input: RequestInfo | URL, allowHosts: ReadonlySet<string>): void {
  try {
    assertUrlAllowed(requestUrl(input), allowHosts);
  } catch (error) {
    if (input instanceof Request && input.body && !input.bodyUsed) void input.body.cancel().catch(() => {});
    throw error;
  }
}

/**
 * A fetch for runtimes without DNS control (Cloudflare Workers, Deno Deploy, Vercel Edge): https only,
 * no IP literals outside public space, no local names, redirects never followed. It cannot see what a
 * name resolves to, so a public name pointing at a private address is not caught here; those platforms
 * do not route to private networks, which is what makes this enough there. On Node use ./ssrf.ts.
 */
export function createUrlGuardedFetch(
  options: { allowHosts?: readonly string[]; fetch?: typeof fetch } = {},
): typeof fetch {
  const allow = hostSet(options.allowHosts);
  const base = options.fetch ?? globalThis.fetch;
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    assertRequestAllowed(input, allow);
    return base(input, { ...init, redirect: 'manual' });
  }) as typeof fetch;
}
