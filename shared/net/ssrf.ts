/**
 * SSRF guard for user-supplied CalDAV URLs (architecture §8). Addresses are checked after DNS
 * resolution, on every connection (the transport's `lookup` hook, so the socket connects to the
 * very address that was checked — no re-resolution window for DNS rebinding), and IP-literal
 * hosts are checked before connecting because Node skips `lookup` for them.
 */
import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The classification comes from ipaddr.js, whose ranges follow the IANA IPv4 and IPv6
 * special-purpose address registries: every block in them is refused, not only the private ones
 * (a CalDAV server never lives at a documentation, benchmarking, AS112 or translation address).
 * Forms that carry an IPv4 address (mapped, NAT64 well-known prefix, 6to4) are judged by it.
 */
const V4_NAMES: Record<string, string> = {
  unspecified: 'this-network (0.0.0.0/8)', broadcast: 'broadcast', multicast: 'multicast (224/4)', linkLocal: 'link-local / cloud metadata (169.254/16)',
  loopback: 'loopback (127/8)', carrierGradeNat: 'carrier-grade NAT (100.64/10)', private: 'private (RFC 1918)', reserved: 'reserved / documentation / benchmarking',
  as112: 'AS112 (RFC 7534)', amt: 'AMT (RFC 7450)',
};

function v4Reason(ip: ipaddr.IPv4): string | null {
  const range = ip.range();
  return range === 'unicast' ? null : (V4_NAMES[range] ?? range);
}

/** 64:ff9b::/96 (not the local-use 64:ff9b:1::/48) carries a routable IPv4 address in its last 32 bits. */
const NAT64 = ipaddr.IPv6.parse('64:ff9b::');

function v6Reason(ip: ipaddr.IPv6): string | null {
  if (ip.isIPv4MappedAddress()) return v4Reason(ip.toIPv4Address());
  const range = ip.range();
  const b = ip.toByteArray();
  const embedded = (at: number) => new ipaddr.IPv4(b.slice(at, at + 4));
  if (range === 'rfc6052' && ip.match(NAT64, 96)) return v4Reason(embedded(12));
  if (range === '6to4') return v4Reason(embedded(2));
  if (range !== 'unicast') return `special-purpose IPv6 (${range})`;
  // Only 2000::/3 is global unicast; the rest (IPv4-compatible ::/96, 100:0:0:1::/64, unassigned space) is not a server's address.
  if ((b[0]! & 0xe0) !== 0x20) return 'not global unicast (outside 2000::/3)';
  return null;
}

/** Why an IP address must not be reached, or null when it is a public address. */
export function forbiddenAddressReason(address: string): string | null {
  const text = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (net.isIPv4(text)) return v4Reason(ipaddr.IPv4.parse(text));
  if (net.isIPv6(text)) return v6Reason(ipaddr.IPv6.parse(text));
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
