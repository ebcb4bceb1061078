/**
 * ConformanceHarness for the CalDAV connector against a real Radicale or Xandikos started on
 * loopback, reached through a fault-injecting proxy. "Another client" is plain HTTP (PUT/DELETE)
 * straight to the server.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { createCaldavConnector } from '../../connectors/caldav/index.ts';
import { serializeCalendarObject } from '../../connectors/caldav/ical/index.ts';
import type { ConformanceHarness } from '../../connectors/conformance/harness.ts';
import type { ConnectorContext } from '../../connectors/connector.ts';
import { parseEvent } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { authHeader, DAV_SERVERS, makeCalendar, skipUnlessInstalled, startRadicale, startXandikos, type DavServer } from './dav-servers.ts';
import { forwardTo } from './forward.ts';
import { openTestStore } from './test-store.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export function davContext(server: DavServer): ConnectorContext {
  return {
    credentials: { kind: 'basic', username: server.username, password: server.password },
    signal: new AbortController().signal,
    log: quiet,
    now: () => new Date(),
  };
}

/** What a suite of `describeOnDavServers` works with: set once its `before` has run. */
export interface DavSuite {
  dav: DavServer;
  /** An in-memory store (PGlite), migrated. */
  store: Store;
}

/**
 * One `describe` per CalDAV server (DAV_SERVERS: Radicale, Xandikos), skipped where it is not
 * installed. Before its tests the server and an in-memory store are started; after them both are
 * stopped. `body` declares the tests and reads `s.dav` and `s.store` inside them.
 */
export function describeOnDavServers(title: (name: string) => string, body: (s: DavSuite) => void): void {
  for (const server of DAV_SERVERS) {
    describe(title(server.name), { skip: skipUnlessInstalled(server) }, () => {
      const s = {} as Partial<DavSuite>;
      before(async () => {
        s.dav = await server.start();
        s.store = await openTestStore();
        await s.store.migrate();
      });
      after(async () => {
        await s.store?.close();
        await s.dav?.stop();
      });
      body(s as DavSuite);
    });
  }
}

export async function davFetch(server: DavServer, url: string, init: { method: string; body?: string; headers?: Record<string, string> }): Promise<Response> {
  const res = await fetch(url, { method: init.method, body: init.body, headers: { ...authHeader(server), 'content-type': 'text/calendar; charset=utf-8', ...init.headers } });
  if (!res.ok) throw new Error(`${init.method} ${url} → ${res.status} ${await res.text()}`);
  return res;
}

/** Lists the resources of a collection (href → body) with plain HTTP. */
async function readAll(server: DavServer, calUrl: string): Promise<Map<string, string>> {
  const res = await fetch(calUrl, { method: 'PROPFIND', headers: { ...authHeader(server), depth: '1', 'content-type': 'application/xml' }, body: '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>' });
  const hrefs = [...(await res.text()).matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/g)].map((m) => m[1]!).filter((h) => h !== new URL(calUrl).pathname);
  const out = new Map<string, string>();
  for (const h of hrefs) out.set(h, await (await davFetch(server, new URL(h, calUrl).toString(), { method: 'GET' })).text());
  return out;
}

const restored = (body: string) => body.replace(/\r?\nEND:VEVENT/, '\r\nX-CALHUB-RESTORED:1\r\nEND:VEVENT');

/**
 * Makes the server reject every sync token it issued for this collection, the way each does it
 * for real. Both derive tokens from content, so a token for the current state stays valid; one
 * object is therefore changed slightly as well. Radicale forgets tokens older than
 * max_sync_token_age (we drop its token cache); Xandikos derives tokens from its git history, so
 * the collection is re-created (as after a restore from backup).
 */
export async function invalidateTokens(server: DavServer, calUrl: string): Promise<void> {
  const items = await readAll(server, calUrl);
  if (server.kind === 'radicale') {
    const rel = decodeURIComponent(new URL(calUrl).pathname).split('/').filter(Boolean);
    await rm(path.join(server.storageDir, 'collection-root', ...rel, '.Radicale.cache', 'sync-token'), { recursive: true, force: true });
    const [href, body] = [...items][0] ?? [];
    if (href && body) await davFetch(server, new URL(href, calUrl).toString(), { method: 'PUT', body: restored(body) });
    return;
  }
  await davFetch(server, calUrl, { method: 'DELETE' });
  await makeCalendar(server, decodeURIComponent(new URL(calUrl).pathname.split('/').filter(Boolean).pop()!));
  let first = true;
  for (const [href, body] of items) {
    const text = first ? restored(body) : body;
    first = false;
    await davFetch(server, new URL(href, calUrl).toString(), { method: 'PUT', body: text });
  }
}

type Fault = 'rate-limited' | 'server-error' | 'grant-revoked';

/**
 * A pass-through proxy in front of the server that answers the next request with an armed fault
 * (429 + Retry-After, 503, 401), since the real servers cannot be told to fail on demand.
 */
async function faultProxy(target: string): Promise<{ url: string; arm(f: Fault): void; close(): Promise<void> }> {
  let armed: Fault | null = null;
  const server = http.createServer((req, res) => {
    if (armed) {
      const f = armed;
      armed = null;
      req.resume();
      if (f === 'rate-limited') res.writeHead(429, { 'retry-after': '2' }).end();
      else if (f === 'server-error') res.writeHead(503).end();
      else res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    forwardTo(target, req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, arm: (f) => { armed = f; }, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

export function makeCaldavHarness(kind: 'radicale' | 'xandikos', pageSize = 5): () => Promise<ConformanceHarness> {
  return async () => {
    const server = kind === 'radicale' ? await startRadicale() : await startXandikos();
    const calUrl = await makeCalendar(server, `conformance-${randomUUID().slice(0, 8)}`);
    const proxy = await faultProxy(server.url);
    const viaProxy = new URL(new URL(calUrl).pathname, proxy.url).toString();
    const connector = createCaldavConnector({ serverUrl: proxy.url, allowPrivateNetworks: true }, { pageSize });
    let n = 0;
    return {
      connector,
      ctx: davContext(server),
      calendar: { providerCalendarId: viaProxy, timeZone: 'UTC' },
      pageSize,
      remote: {
        async createEvent(input) {
          n += 1;
          // Every other resource has no `.ics` suffix: tsdav drops those; we must not.
          const name = n % 2 === 0 ? `plain-${n}-${randomUUID().slice(0, 8)}` : `ev-${n}-${randomUUID().slice(0, 8)}.ics`;
          const url = new URL(name, calUrl).toString();
          await davFetch(server, url, { method: 'PUT', body: serializeCalendarObject([parseEvent(input)]), headers: { 'if-none-match': '*' } });
          return new URL(url).pathname;
        },
        async updateTitle(remoteId, title) {
          const url = new URL(remoteId, calUrl).toString();
          const body = await (await davFetch(server, url, { method: 'GET' })).text();
          const next = body.replace(/\r?\n[ \t]/g, '').replace(/^SUMMARY[^:]*:.*$/m, `SUMMARY:${title}`);
          await davFetch(server, url, { method: 'PUT', body: next.includes('SUMMARY:') ? next : next.replace('END:VEVENT', `SUMMARY:${title}\r\nEND:VEVENT`) });
        },
        async deleteEvent(remoteId) {
          await davFetch(server, new URL(remoteId, calUrl).toString(), { method: 'DELETE' });
        },
        invalidateCursors: () => invalidateTokens(server, calUrl),
        failNext: async (f) => proxy.arm(f),
      },
      cleanup: async () => {
        await proxy.close();
        await server.stop();
      },
    };
  };
}
