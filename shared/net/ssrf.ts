/**
 * SSRF guard for user-supplied CalDAV URLs (architecture §8). Addresses are checked after DNS
 * resolution, on every connection (the transport's `lookup` hook, so the socket connects to the
 * very address that was checked — no re-resolution window for DNS rebinding), and IP-literal
 * hosts are checked before connecting because Node skips `lookup` for them.
 */
import dns from 'node:dns';
import net from 'node:net';

/** Why an IPv4 address (as 4 octets) must not be reached, or null. */
function v4Reason(o: number[]): string | null {
  const [a, b, c] = o as [number, number, number, number];
  if (a === 0) return 'this-network (0.0.0.0/8)';
  if (a === 10) return 'private (10/8)';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local / cloud metadata (169.254/16)';
  if (a === 172 && b >= 16 && b <= 31) return 'private (172.16/12)';
  if (a === 192 && b === 168) return 'private (192.168/16)';
  if (a === 100 && b >= 64 && b <= 127) return 'carrier-grade NAT (100.64/10)';
  if (a === 192 && b === 0 && c === 0) return 'IETF protocol assignments (192.0.0/24)';
  if (a === 192 && b === 0 && c === 2) return 'documentation (192.0.2/24)';
  if (a === 198 && (b === 18 || b === 19)) return 'benchmarking (198.18/15)';
  if (a === 198 && b === 51 && c === 100) return 'documentation (198.51.100/24)';
  if (a === 203 && b === 0 && c === 113) return 'documentation (203.0.113/24)';
  if (a >= 224) return 'multicast / reserved (224/3)';
  return null;
}

/** 8 groups of 16 bits, or null when not an IPv6 address. */
function v6Groups(ip: string): number[] | null {
  let s = ip.toLowerCase().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!net.isIPv6(s)) return null;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const o = dotted[1]!.split('.').map(Number);
    s = s.slice(0, -dotted[1]!.length) + `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [head, tail] = s.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - h.length - t.length).fill('0');
  const groups = [...h, ...fill, ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

const embeddedV4 = (g: number[], at: number) => [g[at]! >> 8, g[at]! & 0xff, g[at + 1]! >> 8, g[at + 1]! & 0xff];

function v6Reason(g: number[]): string | null {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return 'unspecified (::)';
  if (zeros(0, 7) && g[7] === 1) return 'loopback (::1)';
  if (zeros(0, 5) && g[5] === 0xffff) return v4Reason(embeddedV4(g, 6)) ?? null; // IPv4-mapped ::ffff:a.b.c.d
  if (zeros(0, 6)) return 'IPv4-compatible (::/96)';
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4Reason(embeddedV4(g, 6)); // NAT64 64:ff9b::/96
  if (g[0] === 0x2002) return v4Reason(embeddedV4(g, 1)); // 6to4 2002:a.b.c.d::/48
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local (fe80::/10)';
  if ((g[0]! & 0xffc0) === 0xfec0) return 'site-local (fec0::/10)';
  if ((g[0]! & 0xfe00) === 0xfc00) return 'unique local (fc00::/7)';
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast (ff00::/8)';
  if (g[0] === 0x2001 && g[1] === 0xdb8) return 'documentation (2001:db8::/32)';
  if (g[0] === 0x100 && zeros(1, 4)) return 'discard (100::/64)';
  return null;
}

/** Why an IP address must not be reached, or null when it is a public address. */
export function forbiddenAddressReason(ip: string): string | null {
  if (net.isIPv4(ip)) return v4Reason(ip.split('.').map(Number));
  const g = v6Groups(ip);
  if (g) return v6Reason(g);
  return 'not an IP address';
}

export class SsrfBlockedError extends Error {
  readonly code = 'ERR_CALDAV_SSRF_BLOCKED';
  constructor(host: string, address: string, reason: string) {
    super(`refusing to connect to ${host} (${address}): ${reason} addresses are not allowed (set CALDAV_ALLOW_PRIVATE_NETWORKS=true to allow)`);
    this.name = 'SsrfBlockedError';
  }
}

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Resolves `hostname` and returns an allowed address; refuses when ANY resolved address is internal. */
export async function resolveAllowed(hostname: string, resolver: Resolver = systemResolver): Promise<{ address: string; family: number }> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const literal = net.isIP(host);
  const addrs = literal ? [{ address: host, family: literal }] : await resolver(host.replace(/\.$/, ''));
  if (addrs.length === 0) throw new Error(`${hostname} did not resolve`);
  for (const a of addrs) {
    const reason = forbiddenAddressReason(a.address);
    if (reason) throw new SsrfBlockedError(hostname, a.address, reason);
  }
  return addrs[0]!;
}

/** Node connects to IP-literal hosts without calling `lookup`; those are checked with this. */
export function assertLiteralAllowed(hostname: string): void {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (!net.isIP(host)) return;
  const reason = forbiddenAddressReason(host);
  if (reason) throw new SsrfBlockedError(hostname, host, reason);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | Array<{ address: string; family: number }>, family?: number) => void;

/** A `lookup` for http.request/net.connect that resolves, checks and pins every connection. */
export function guardedLookup(resolver: Resolver = systemResolver) {
  return (hostname: string, options: { all?: boolean } | number | undefined, callback: LookupCallback): void => {
    resolveAllowed(hostname, resolver).then(
      (a) => (typeof options === 'object' && options?.all ? callback(null, [a]) : callback(null, a.address, a.family)),
      (e: NodeJS.ErrnoException) => callback(e, ''),
    );
  };
}
