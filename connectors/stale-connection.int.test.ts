/**
 * A keep-alive connection the server closes just as the client reuses it (a provider closing idle
 * connections, the emulator under load): a read is sent again once, a write never. A proxy in
 * front of the emulators resets the first reused connection after `arm()` before answering a byte.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createGoogleConnector } from './google/google.connector.ts';
import { makeGoogleHarness, type GoogleTestSetup } from './google/test-support.ts';
import { createMicrosoftConnector } from './microsoft/microsoft.connector.ts';
import { startMicrosoftTestbed, type MicrosoftTestbed } from './microsoft/test-support.ts';
import { createGuardedFetch } from './caldav/transport.ts';

interface Hostile {
  url: string;
  /** The next request that arrives on a reused connection is reset unanswered. */
  arm(): void;
  /** Requests reset, by method. */
  resets: string[];
  close(): Promise<void>;
}

/** `target` null: answers every request itself with 200 and its method. */
async function hostileProxy(target: string | null): Promise<Hostile> {
  const served = new WeakMap<object, number>();
  let armed = false;
  const resets: string[] = [];
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    const n = (served.get(req.socket) ?? 0) + 1;
    served.set(req.socket, n);
    if (armed && n > 1) {
      armed = false;
      resets.push(req.method!);
      req.socket.resetAndDestroy();
      return;
    }
    if (!target) {
      req.resume();
      req.on('end', () => res.end(req.method));
      return;
    }
    const up = http.request(new URL(req.url!, target), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (r) => {
      res.writeHead(r.statusCode!, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arm: () => void (armed = true),
    resets,
    close: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

describe('a read on a reused connection the server closed is sent again once; a write is not', () => {
  describe('google', () => {
    let h: GoogleTestSetup;
    let proxy: Hostile;
    before(async () => {
      h = await makeGoogleHarness({ emptyPageEvery: 0 });
      proxy = await hostileProxy(h.url);
    });
    after(async () => {
      await proxy?.close();
      await h?.cleanup();
    });

    it('a listing succeeds; a create fails and is not sent again', async () => {
      const connector = createGoogleConnector({ baseUrl: proxy.url });
      await connector.listCalendars(h.ctx);
      proxy.arm();
      assert.ok((await connector.listCalendars(h.ctx)).length > 0);
      assert.deepEqual(proxy.resets, ['GET']);
      const before = h.control.requests().filter((r) => r.method === 'POST').length;
      proxy.arm();
      await assert.rejects(connector.createCalendar(h.ctx, { name: 'not twice', timeZone: 'UTC' }));
      assert.deepEqual(proxy.resets, ['GET', 'POST']);
      assert.equal(h.control.requests().filter((r) => r.method === 'POST').length, before, 'the write was not sent again');
    });
  });

  describe('microsoft', () => {
    let tb: MicrosoftTestbed;
    let proxy: Hostile;
    before(async () => {
      tb = await startMicrosoftTestbed();
      proxy = await hostileProxy(tb.emu.url);
    });
    after(async () => {
      await proxy?.close();
      await tb?.emu.close();
    });

    it('a listing succeeds; a create fails and is not sent again', async () => {
      const connector = createMicrosoftConnector({ baseUrl: proxy.url });
      await connector.listCalendars(tb.ctx);
      proxy.arm();
      assert.ok((await connector.listCalendars(tb.ctx)).length > 0);
      assert.deepEqual(proxy.resets, ['GET']);
      proxy.arm();
      await assert.rejects(connector.createCalendar(tb.ctx, { name: 'not twice', timeZone: null }));
      assert.deepEqual(proxy.resets, ['GET', 'POST']);
      assert.ok(!(await connector.listCalendars(tb.ctx)).some((c) => c.name === 'not twice'), 'the write was not sent again');
    });
  });

  describe('caldav transport', () => {
    let proxy: Hostile;
    before(async () => (proxy = await hostileProxy(null)));
    after(() => proxy?.close());

    it('a PROPFIND succeeds; a PUT fails and is not sent again', async () => {
      const f = createGuardedFetch({ allowPrivateNetworks: true });
      assert.equal(await (await f(`${proxy.url}/cal/`, { method: 'PROPFIND' })).text(), 'PROPFIND');
      proxy.arm();
      assert.equal(await (await f(`${proxy.url}/cal/`, { method: 'REPORT', body: '<x/>' })).text(), 'REPORT');
      assert.deepEqual(proxy.resets, ['REPORT']);
      proxy.arm();
      await assert.rejects(f(`${proxy.url}/cal/a.ics`, { method: 'PUT', body: 'BEGIN:VCALENDAR' }));
      assert.deepEqual(proxy.resets, ['REPORT', 'PUT']);
    });
  });
});
