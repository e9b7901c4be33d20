import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch, createGuardedLookup, type ResolveAll } from '../src/ssrf.js';
import {
  blockedAddressReason,
  createUrlGuardedFetch,
  hostSet,
  parseIPv6,
  SsrfBlockedError,
} from '../src/ssrf-rules.js';

// A real receiver on loopback: counts hits per path, redirects /redirect to /target.
const hits: string[] = [];
let server: Server;
let origin: string;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/redirect') {
      res.writeHead(302, { location: `${origin}/target` }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function refusal(promise: Promise<unknown>): Promise<SsrfBlockedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SsrfBlockedError);
  return error as SsrfBlockedError;
}

describe('blockedAddressReason', () => {
  it.each([
    ['0.0.0.0', 'this network'],
    ['0.1.2.3', 'this network'],
    ['10.0.0.1', 'private 10.0.0.0/8'],
    ['10.255.255.255', 'private 10.0.0.0/8'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.254', 'CGNAT'],
    ['100.100.100.200', 'CGNAT'], // Alibaba Cloud metadata
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.169.254', 'link-local'], // AWS/GCP/Azure metadata
    ['172.16.0.1', 'private 172.16.0.0/12'],
    ['172.31.255.255', 'private 172.16.0.0/12'],
    ['192.0.0.8', 'IETF protocol'],
    ['192.0.2.10', 'documentation'],
    ['192.88.99.1', '6to4 relay'],
    ['192.168.1.1', 'private 192.168.0.0/16'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.1', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback ::1'],
    ['[::1]', 'loopback ::1'],
    ['fc00::1', 'unique local'],
    ['fd00:ec2::254', 'unique local'], // AWS IMDS over IPv6
    ['fe80::1%eth0', 'link-local fe80'],
    ['febf::1', 'link-local fe80'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback'],
    ['::ffff:169.254.169.254', 'IPv4-mapped link-local'],
    ['::ffff:10.1.2.3', 'IPv4-mapped private'],
    ['64:ff9b::10.0.0.1', 'NAT64 64:ff9b::/96 of private'],
    ['64:ff9b::7f00:1', 'NAT64 64:ff9b::/96 of loopback'],
    ['64:ff9b:1::1', 'local-use NAT64'],
    ['2002:7f00:1::', '6to4 2002::/16 of loopback'],
    ['2002:c0a8:101::1', '6to4 2002::/16 of private'],
    ['2001:db8::1', 'documentation 2001:db8'],
    ['2001::1', 'Teredo'],
    ['2001:2::1', 'benchmarking'],
    ['3fff::1', 'documentation 3fff'],
    ['100::1', 'discard-only'],
    ['::127.0.0.1', 'outside global unicast'], // deprecated IPv4-compatible form
    ['1::', 'outside global unicast'],
    ['not-an-ip', 'not an IP address'],
  ])('%s is refused as %s', (address, expected) => {
    expect(blockedAddressReason(address)).toContain(expected);
  });

  it.each([
    '93.184.215.14',
    '1.1.1.1',
    '8.8.8.8',
    '100.63.255.255', // just below CGNAT
    '100.128.0.0', // just above CGNAT
    '172.15.255.255',
    '172.32.0.0',
    '169.253.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808', // NAT64 of 8.8.8.8 is public
    '2002:808:808::1', // 6to4 of 8.8.8.8
  ])('%s is public', (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
  });

  it('parses IPv6 shapes strictly', () => {
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toHaveLength(16);
    expect(parseIPv6('1::2::3')).toBeUndefined();
    expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeUndefined();
    expect(parseIPv6('1:2:3:4:5:6:7')).toBeUndefined();
    expect(parseIPv6('::ffff:300.1.1.1')).toBeUndefined();
    expect(parseIPv6('12345::')).toBeUndefined();
  });
});

describe('createGuardedFetch', () => {
  const guarded = createGuardedFetch();

  it.each([
    'https://127.0.0.1/',
    'https://10.0.0.1/',
    'https://172.16.5.4/',
    'https://192.168.0.1/',
    'https://169.254.169.254/latest/meta-data/',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
    'https://224.0.0.1/',
    'https://[::1]/',
    'https://[fd12:3456::1]/',
    'https://[fe80::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:a9fe:a9fe]/', // 169.254.169.254, mapped and in hex
    'https://[64:ff9b::a00:1]/',
    'https://0x7f.0.0.1/', // the URL parser turns these into 127.0.0.1
    'https://2130706433/',
    'https://017700000001/',
  ])('refuses the literal address in %s before connecting', async (url) => {
    const error = await refusal(guarded(url));
    expect(error.message).toMatch(/^Refused to connect to .+ \(.+\): destinations must be public addresses/);
    expect(error.message).toContain('security.allowHosts');
  });

  it('refuses a name the system resolver maps to loopback (localhost), at the connect-time lookup', async () => {
    // The URL check stops "localhost" by name already; this drives the lookup the socket uses.
    const lookup = createGuardedLookup(hostSet([]));
    const error = await new Promise<unknown>((resolve) =>
      lookup('localhost', { all: true }, (err) => resolve(err)),
    );
    expect(error).toBeInstanceOf(SsrfBlockedError);
    expect((error as Error).message).toMatch(
      /Refused to connect to localhost: it resolves only to non-public/,
    );
    expect((error as Error).message).toMatch(/127\.0\.0\.1: loopback|::1: loopback/);
    const byName = await refusal(guarded(`https://localhost:${port}/`));
    expect(byName.message).toContain('local or intranet host');
    expect(hits).toHaveLength(0);
  });

  it('refuses local-only names without resolving them', async () => {
    for (const host of ['localhost', 'printer.local', 'metadata.google.internal', 'intranet']) {
      const error = await refusal(guarded(`https://${host}/`));
      expect(error.message).toContain('local or intranet host');
    }
  });

  it('filters resolved addresses at connect time, so a rebinding name cannot reach a private address', async () => {
    const answers: Record<string, string[]> = {
      'rebind.example.com': ['10.0.0.7', '169.254.169.254'],
      'partly.example.com': ['192.168.1.10', '127.0.0.1'],
    };
    const resolve: ResolveAll = (hostname, _options, callback) =>
      callback(
        null,
        (answers[hostname] ?? []).map((address) => ({ address, family: 4 })),
      );
    const rebinding = createGuardedFetch({ resolve });
    const error = await refusal(rebinding('https://rebind.example.com/hook'));
    expect(error.message).toContain('10.0.0.7: private 10.0.0.0/8');
    expect(error.message).toContain('169.254.169.254: link-local');
    expect(error.host).toBe('rebind.example.com');
    const second = await refusal(rebinding(`https://partly.example.com:${port}/`));
    expect(second.address).toBe('192.168.1.10');
  });

  it('hands only public addresses to the socket when a name has both kinds', () => {
    const resolve: ResolveAll = (_h, _o, callback) =>
      callback(null, [
        { address: '127.0.0.1', family: 4 },
        { address: '93.184.215.14', family: 4 },
        { address: 'fd00::1', family: 6 },
      ]);
    const lookup = createGuardedLookup(hostSet([]), resolve);
    let all: unknown;
    lookup('mixed.example.com', { all: true }, (_err, addresses) => {
      all = addresses;
    });
    expect(all).toEqual([{ address: '93.184.215.14', family: 4 }]);
    let single: unknown;
    lookup('mixed.example.com', {}, (_err, address, family) => {
      single = [address, family];
    });
    expect(single).toEqual(['93.184.215.14', 4]);
  });

  it('refuses plain http, naming the fix', async () => {
    const error = await refusal(guarded('http://example.com/hook'));
    expect(error.message).toContain('must use https');
    await refusal(guarded(`${origin}/`));
  });

  it('refuses non-http schemes', async () => {
    const error = await refusal(guarded('file:///etc/passwd'));
    expect(error.message).toContain('must use https');
  });

  it('lets an allowed host through, over http, against a real loopback server', async () => {
    const local = createGuardedFetch({ allowHosts: ['127.0.0.1'] });
    const response = await local(`${origin}/allowed`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello');
    expect(hits).toContain('/allowed');
  });

  it('matches allowHosts exactly: another loopback spelling stays refused', async () => {
    const local = createGuardedFetch({ allowHosts: ['127.0.0.1'] });
    await refusal(local(`http://localhost:${port}/`));
    await refusal(local(`https://127.0.0.2:${port}/`));
  });

  it('never follows redirects, even when asked to', async () => {
    const local = createGuardedFetch({ allowHosts: ['127.0.0.1'] });
    hits.length = 0;
    const response = await local(`${origin}/redirect`, { redirect: 'follow' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${origin}/target`);
    expect(hits).toEqual(['/redirect']);
  });

  it('accepts a Request object (the way ky calls it)', async () => {
    const local = createGuardedFetch({ allowHosts: ['127.0.0.1'] });
    const response = await local(new Request(`${origin}/request`, { method: 'POST', body: 'x' }));
    expect(response.status).toBe(200);
    await refusal(guarded(new Request('https://10.1.1.1/')));
  });
});

describe('createUrlGuardedFetch (runtimes without DNS control)', () => {
  it('checks literals, local names and the scheme, then calls the runtime fetch with redirects off', async () => {
    const seen: RequestInit[] = [];
    const edge = createUrlGuardedFetch({
      allowHosts: ['127.0.0.1'],
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        seen.push(init ?? {});
        return fetch(input, init);
      }) as typeof fetch,
    });
    await refusal(edge('https://169.254.169.254/'));
    await refusal(edge('https://localhost/'));
    await refusal(edge('http://example.com/'));
    hits.length = 0;
    const response = await edge(`${origin}/redirect`);
    expect(response.status).toBe(302);
    expect(seen).toEqual([{ redirect: 'manual' }]);
    expect(hits).toEqual(['/redirect']);
  });
});
