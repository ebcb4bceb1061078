import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DavClient } from './dav-client.ts';
import { forbiddenAddressReason, SsrfBlockedError, type Resolver } from '../../shared/net/index.ts';
import { createGuardedFetch } from './transport.ts';

/** One address inside every IANA special-purpose block (IPv4 and IPv6 registries), and the disguises around them. */
const FORBIDDEN = [
  // IPv4 special-purpose registry
  '0.0.0.0', '0.1.2.3', '10.0.0.1', '10.255.255.255', '100.64.0.1', '100.127.255.254', '127.0.0.1', '127.255.0.1',
  '169.254.0.1', '169.254.169.254', '172.16.0.1', '172.31.255.254', '192.0.0.1', '192.0.0.9', '192.0.0.170', '192.0.2.1',
  '192.31.196.1', '192.52.193.1', '192.88.99.1', '192.168.0.1', '192.175.48.1', '198.18.0.1', '198.19.255.254',
  '198.51.100.7', '203.0.113.9', '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255',
  // IPv6 special-purpose registry
  '::', '::1', '::ffff:127.0.0.1', '::ffff:10.1.2.3', '::ffff:7f00:1', '::ffff:0:a00:1', '::ffff:0:8.8.8.8', '::ffff:0:127.0.0.1',
  '64:ff9b::a00:1', '64:ff9b::127.0.0.1', '64:ff9b:1::1', '64:ff9b:1::8.8.8.8', '64:ff9b:1:ffff::1', '100::1', '100:0:0:1::1',
  '2001::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001:1::1', '2001:2::1', '2001:3::1', '2001:4:112::1', '2001:10::1',
  '2001:20::1', '2001:30::1', '2001:db8::1', '2002:7f00:1::1', '2002:a9fe:a9fe::1', '2620:4f:8000::1', '3fff::1', '5f00::1',
  'fc00::1', 'fd12:3456::1', 'fe80::1', 'febf::1', 'fec0::1', 'ff02::1', '::127.0.0.1', '::10.0.0.1', '4000::1', 'e000::1',
];
const PUBLIC = ['93.184.216.34', '1.1.1.1', '8.8.8.8', '100.128.0.1', '172.32.0.1', '192.0.1.1', '2606:4700:4700::1111', '2a00:1450:4001::1', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];

// Issue 18 (R6): ≥ 60 SSRF targets and redirect chains refused; ::ffff:0:a.b.c.d and 64:ff9b:1::/48 were not.
describe('SSRF guard: every IANA special-purpose block', () => {
  it(`classifies ${FORBIDDEN.length} special-purpose addresses as forbidden and public ones as allowed`, () => {
    assert.ok(FORBIDDEN.length >= 60);
    const missed = FORBIDDEN.filter((ip) => forbiddenAddressReason(ip) === null);
    assert.deepEqual(missed, [], 'not refused');
    const wrong = PUBLIC.filter((ip) => forbiddenAddressReason(ip) !== null);
    assert.deepEqual(wrong, [], 'public addresses refused');
  });

  let server: http.Server;
  let hits = 0;
  let port = 0;
  before(async () => {
    server = http.createServer((req, res) => {
      hits += 1;
      const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to');
      if (to) res.writeHead(302, { location: to }).end();
      else res.writeHead(200).end('internal');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('refuses every one of them as a literal URL and behind a DNS name, before connecting', async () => {
    const names: Record<string, string[]> = Object.fromEntries(FORBIDDEN.map((ip, i) => [`h${i}.attacker.example`, [ip]]));
    const resolver: Resolver = async (h) => (names[h] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    const f = createGuardedFetch({ resolver });
    const targets = [...FORBIDDEN.map((ip) => `http://${ip.includes(':') ? `[${ip}]` : ip}:${port}/`), ...Object.keys(names).map((h) => `http://${h}:${port}/`)];
    let refused = 0;
    for (const t of targets) {
      await assert.rejects(f(t), (e: unknown) => e instanceof SsrfBlockedError || (e as Error).cause instanceof SsrfBlockedError || /refusing to connect/.test(String((e as Error).message)), t);
      refused += 1;
    }
    assert.ok(refused >= 120, `${refused} refused`);
    assert.equal(hits, 0);
  });

  it('refuses redirect chains into them: same-site hops meet the guard, other sites are not followed', async () => {
    // "public.example.com" stands for a public server (served locally); its siblings resolve inward.
    const resolver: Resolver = async (h) => (h === 'inner.example.com' ? [{ address: '10.0.0.7', family: 4 }] : h === 'meta.example.com' ? [{ address: '169.254.169.254', family: 4 }] : []);
    const guarded = createGuardedFetch({ resolver });
    const viaPublic = (async (input: string | URL, init?: RequestInit) => {
      const url = new URL(String(input));
      if (url.hostname === 'public.example.com') return fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, { ...init, redirect: 'manual' });
      return guarded(input, init);
    }) as typeof fetch;
    const ctx = { credentials: { kind: 'basic' as const, username: 'u', password: 'p' }, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date() };
    const hop = (to: string) => `http://public.example.com/r?to=${encodeURIComponent(to)}`;
    const chains = [
      hop('http://inner.example.com/'), hop('http://meta.example.com/latest/meta-data/'), hop(hop('http://inner.example.com/x')),
      hop('http://127.0.0.1/'), hop('http://[::ffff:0:7f00:1]/'), hop('http://[64:ff9b:1::a00:1]/'), hop('http://localhost/'),
      hop(hop(hop('http://169.254.169.254/'))), hop('http://10.0.0.1/'), hop('http://[fd00::1]/'),
    ];
    const before = hits;
    for (const c of chains) {
      await assert.rejects(new DavClient(viaPublic, ctx, undefined, 'http://public.example.com/').request({ method: 'PROPFIND', url: c }), /refusing to connect|redirected to another site/, c);
    }
    const publicHops = chains.reduce((n, c) => n + (c.match(/public\.example\.com/g) ?? []).length, 0);
    assert.equal(hits - before, publicHops, 'only the public hops were reached');
  });
});
