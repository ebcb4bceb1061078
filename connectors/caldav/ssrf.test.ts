import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { UnsupportedError } from '../errors.ts';
import { createCaldavConnector } from './connector.ts';
import { DavClient } from './dav-client.ts';
import { forbiddenAddressReason, SsrfBlockedError, type Resolver } from '../../shared/net/index.ts';
import { createGuardedFetch } from './transport.ts';

const ctx = {
  credentials: { kind: 'basic' as const, username: 'u', password: 'p' },
  signal: new AbortController().signal,
  log: { debug() {}, info() {}, warn() {}, error() {} },
  now: () => new Date(),
};

/** DNS as an attacker would arrange it; names not listed do not resolve. */
const dnsTable: Record<string, string[]> = {
  localhost: ['127.0.0.1'],
  'localtest.me': ['127.0.0.1'],
  '127.0.0.1.nip.io': ['127.0.0.1'],
  'metadata.google.internal': ['169.254.169.254'],
  'rebind.example': ['93.184.216.34', '127.0.0.1'],
  'v6only.example': ['::1'],
  'mapped.example': ['::ffff:10.0.0.1'],
  'intranet.example': ['192.168.0.10'],
};
const resolver: Resolver = async (host) => {
  const addrs = dnsTable[host];
  if (!addrs) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('ssrf guard', () => {
  let server: http.Server;
  let hits = 0;
  let port = 0;
  before(async () => {
    server = http.createServer((req, res) => {
      hits += 1;
      if (req.url === '/hop') res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('internal secret');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('classifies addresses: internal ones refused, public ones allowed', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::a00:1', '2002:a9fe:a9fe::1']) {
      assert.ok(forbiddenAddressReason(ip), `${ip} should be refused`);
    }
    for (const ip of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '100.128.0.1', '172.32.0.1', '::ffff:8.8.8.8']) {
      assert.equal(forbiddenAddressReason(ip), null, `${ip} should be allowed`);
    }
  });

  it('refuses 30+ internal and disguised targets before any connection is made', async () => {
    const f = createGuardedFetch({ resolver });
    const targets = [
      `http://127.0.0.1:${port}/`, `http://localhost:${port}/`, `http://localhost.:${port}/`, `http://LOCALHOST:${port}/`,
      `http://2130706433:${port}/`, `http://0x7f000001:${port}/`, `http://0177.0.0.1:${port}/`, `http://017700000001:${port}/`,
      `http://0x7f.1:${port}/`, `http://127.1:${port}/`, `http://127.000.000.001:${port}/`, `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`, `http://[::ffff:7f00:1]:${port}/`, `http://[0:0:0:0:0:ffff:127.0.0.1]:${port}/`,
      `http://0.0.0.0:${port}/`, `http://0:${port}/`, `http://[::]:${port}/`, 'http://10.0.0.1/', 'http://172.16.5.4/',
      'http://192.168.1.1/', 'http://169.254.169.254/latest/meta-data/', 'http://[::ffff:169.254.169.254]/', 'http://100.64.0.1/',
      'http://[fd00::1]/', 'http://[fe80::1]/', 'http://[64:ff9b::7f00:1]/', 'http://[2002:7f00:1::]/', 'http://[::127.0.0.1]/',
      'http://224.0.0.1/', 'http://255.255.255.255/', `https://127.0.0.1:${port}/`, `http://localtest.me:${port}/`,
      `http://127.0.0.1.nip.io:${port}/`, 'http://metadata.google.internal/computeMetadata/v1/', `http://rebind.example:${port}/`,
      `http://v6only.example:${port}/`, 'http://mapped.example/', 'http://intranet.example/',
    ];
    assert.ok(targets.length >= 25);
    for (const t of targets) {
      await assert.rejects(f(t), (e: unknown) => {
        const err = e instanceof SsrfBlockedError ? e : (e as Error).cause;
        return err instanceof SsrfBlockedError;
      }, `${t} was not refused`);
    }
    assert.equal(hits, 0, 'a refused target was connected to');
  });

  it('re-checks every redirect hop', async () => {
    const guarded = createGuardedFetch({ resolver });
    // "public.test" stands for a public server that redirects into the internal network.
    const viaPublic = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      if (url.hostname === 'public.test') return fetch(`http://127.0.0.1:${port}${url.pathname}`, { ...init, redirect: 'manual' });
      return guarded(input, init);
    }) as typeof fetch;
    const dav = new DavClient(viaPublic, ctx);
    const before = hits;
    // Another site: refused before the guard is even asked (credentials.test.ts); either way, never connected.
    await assert.rejects(dav.request({ method: 'PROPFIND', url: 'http://public.test/hop' }), (e: unknown) => e instanceof UnsupportedError && /refusing to connect|redirected to another site/.test((e as Error).message));
    assert.equal(hits, before + 1, 'only the public hop may be reached');
  });

  it('allows private networks only when configured, and the connector refuses by default', async () => {
    const open = createGuardedFetch({ allowPrivateNetworks: true });
    assert.equal(await (await open(`http://127.0.0.1:${port}/`)).text(), 'internal secret');
    const connector = createCaldavConnector({ serverUrl: `http://127.0.0.1:${port}/` });
    const before = hits;
    await assert.rejects(connector.listCalendars(ctx), (e: unknown) => e instanceof UnsupportedError && (e as UnsupportedError).reason === 'ssrf-blocked');
    assert.equal(hits, before);
  });
});
