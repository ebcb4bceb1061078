/**
 * Issue 15: a pull asked for while a calendar's first (full) listing runs, on a real Radicale and
 * Redis. The ask comes after the listing was taken, so the listing cannot have seen a change made
 * just before it; the run lists again from the token it reached, and the follow-up job the queue
 * keeps for the ask finds it served and asks the provider nothing (before, it was a whole second
 * run after the first, ~0.15-0.3 s on the user's path). A proxy in front of Radicale holds the
 * first listing's answer (already made by the server) until the change and the ask are done.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { makeConnect } from '../../hub/connect.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Store } from '../../shared/store/index.ts';
import { SyncEngine } from '../../sync-engine/index.ts';
import { putEvent } from '../support/dav-content.ts';
import { hasBinary, makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { openTestStore } from '../support/test-store.ts';

/** Forwards to Radicale; counts sync-collection REPORTs; with `hold` armed, keeps the next one's answer until it is released. */
async function listingProxy(target: string) {
  let hold: { answered: () => void; gate: Promise<void> } | null = null;
  const counts = { listings: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const listing = req.method === 'REPORT' && body.includes('sync-collection');
      if (listing) counts.listings += 1;
      const held = listing ? hold : null;
      if (held) hold = null;
      const up = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (r) => {
        const answer: Buffer[] = [];
        r.on('data', (c: Buffer) => answer.push(c));
        r.on('end', async () => {
          if (held) {
            held.answered();
            await held.gate;
          }
          res.writeHead(r.statusCode ?? 502, r.headers).end(Buffer.concat(answer));
        });
      });
      up.on('error', () => res.writeHead(502).end());
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    counts,
    /** Holds the next listing's answer: resolves `answered` once the server has answered it. */
    holdNext() {
      let answered!: () => void;
      let release!: () => void;
      const ready = new Promise<void>((r) => (answered = r));
      hold = { answered, gate: new Promise<void>((r) => (release = r)) };
      return { answered: ready, release: () => release() };
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const until = async (cond: () => Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
};

describe('a pull asked for during a first sync (Radicale)', { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
  let radicale: DavServer;
  let proxy: Awaited<ReturnType<typeof listingProxy>>;
  let store: Store;
  let redis: Redis;
  let engine: SyncEngine;
  let tenantId = '';
  let calUrl = '';

  before(async () => {
    radicale = await startRadicale();
    proxy = await listingProxy(radicale.url);
    store = await openTestStore();
    await store.migrate();
    redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
    const log = createLogger({ level: 'silent' });
    engine = new SyncEngine({
      connection: redis,
      prefix: `calhub-asks-${randomBytes(4).toString('hex')}`,
      deps: { store, log, connect: makeConnect({ store, keyring, config: { ...loadConfig({}), caldavAllowPrivateNetworks: true }, log }) },
    });
    tenantId = (await store.tenants.create('asks')).tenant.id;
    const account = await store.tenant(tenantId).accounts.upsert({
      provider: 'caldav', externalId: radicale.username, config: { serverUrl: proxy.url },
      credentials: keyring.encrypt(JSON.stringify({ username: radicale.username, password: radicale.password })),
    });
    calUrl = await makeCalendar(radicale, 'Work');
    for (let i = 0; i < 3; i++) await putEvent(radicale, calUrl, { uid: `seed-${i}`, summary: `seed ${i}`, start: `DTSTART:2026120${i + 1}T090000Z`, end: `DTEND:2026120${i + 1}T100000Z` });
    const viaProxy = new URL(new URL(calUrl).pathname, proxy.url).toString();
    await store.tenant(tenantId).calendars.upsertMany(account.id, [{ providerCalendarId: viaProxy, name: 'Work', timeZone: 'UTC', color: null, readOnly: false }]);
    engine.startWorker(2);
  });

  after(async () => {
    await engine?.queue.obliterate({ force: true }).catch(() => undefined);
    await engine?.close();
    redis?.disconnect();
    await store?.close();
    await proxy?.close();
    await radicale?.stop();
  });

  it('sees a change made just before the ask, and the follow-up the queue keeps for it does not ask the provider again', async () => {
    const [cal] = await store.tenant(tenantId).calendars.list();
    const titles = async () => (await store.tenant(tenantId).events.list(cal!.id)).map((e) => e.event.title).sort();
    const held = proxy.holdNext();
    await engine.requestPull(tenantId, cal!.id); // what `accounts connect` asks for
    await held.answered; // Radicale has made the listing: what changes now, it does not hold
    await putEvent(radicale, calUrl, { uid: 'late-1', summary: 'made before the ask', start: 'DTSTART:20261210T090000Z', end: 'DTEND:20261210T100000Z' });
    await engine.requestPull(tenantId, cal!.id); // what `resync` asks for
    held.release();
    await until(async () => {
      const n = await engine.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
      return Object.values(n).every((v) => v === 0) && (await engine.queue.getJobCounts('completed')).completed === 2;
    });
    assert.deepEqual(await titles(), ['made before the ask', 'seed 0', 'seed 1', 'seed 2']);
    assert.equal(proxy.counts.listings, 2, 'the first listing and one listing again from its token');
    const results = (await engine.queue.getJobs(['completed'])).map((j) => j.returnvalue as { served?: boolean; fullListing?: boolean }).sort((a, b) => Number(Boolean(a.served)) - Number(Boolean(b.served)));
    assert.equal(results[0]!.fullListing, true, 'the first run: a full listing');
    assert.deepEqual(results[1], { served: true }, 'the follow-up job found the ask served and ran no sync');
  });

  it('asks before the run starts coalesce into it: one listing, and a change made before them is seen', async () => {
    const [cal] = await store.tenant(tenantId).calendars.list();
    const titles = async () => (await store.tenant(tenantId).events.list(cal!.id)).map((e) => e.event.title).sort();
    await engine.queue.obliterate({ force: true });
    await engine.queue.pause();
    const before = proxy.counts.listings;
    await putEvent(radicale, calUrl, { uid: 'late-2', summary: 'made before the queued asks', start: 'DTSTART:20261211T090000Z', end: 'DTEND:20261211T100000Z' });
    for (let i = 0; i < 5; i++) await engine.requestPull(tenantId, cal!.id);
    await engine.queue.resume();
    await until(async () => (await titles()).includes('made before the queued asks'));
    await until(async () => Object.values(await engine.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed')).every((v) => v === 0));
    assert.equal(proxy.counts.listings - before, 1, 'one listing for five asks made before it');
  });
});
