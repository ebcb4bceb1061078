import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TransientError } from '../errors.ts';
import { DavClient } from './dav-client.ts';
import { createGuardedFetch } from './transport.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

// The 60-minute soak (2026-12-03) died at minute 53: a run's budget ran out just before a request,
// the request was still made with the aborted signal, and its rejection went unhandled (the
// process, or in `calhub start` the sync thread and so the hub, ended).
describe('a request made once the run is already aborted', () => {
  let server: http.Server;
  let url = '';
  before(async () => {
    server = http.createServer((_req, res) => res.writeHead(207, { 'content-type': 'application/xml' }).end('<multistatus xmlns="DAV:"/>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cal/`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('fails as aborted, and nothing is left unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const run = new AbortController();
      run.abort(new Error("the run's budget of 300000 ms is spent"));
      const ctx = { credentials: { kind: 'basic' as const, username: 'a', password: 'b' }, signal: run.signal, log: quiet, now: () => new Date() };
      const dav = new DavClient(createGuardedFetch({ allowPrivateNetworks: true }), ctx, undefined, url);
      await assert.rejects(dav.request({ method: 'PROPFIND', url, depth: '0' }), (e: unknown) => e instanceof TransientError && /aborted: the run's budget/.test(e.message));
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
