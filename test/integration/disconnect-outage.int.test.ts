/**
 * Disconnecting an account while a third provider is down (a user's report): a user with Google,
 * Microsoft and Radicale calendars, two-way busy-block rules between each pair, a worker on
 * PostgreSQL and Redis, and Radicale stopped. Disconnecting the Microsoft account must remove its
 * busy blocks from the Google calendar before the command answers, not when the queue gets to it
 * (they stayed two minutes, until Radicale came back), and `copiesElsewhereLeft` must name what is
 * still not deleted at a provider (it said `[]` with a worker while the Google copies were there).
 * The Microsoft calendar's own copies deleted at its provider must not look like a mass removal
 * to a pull landing before the calendar is gone (MASS_CHANGE_GUARD, a failed job for an operator).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createCaldavConnector } from '../../connectors/caldav/index.ts';
import { createGoogleConnector } from '../../connectors/google/index.ts';
import type { ConnectorContext } from '../../connectors/index.ts';
import { createMicrosoftConnector } from '../../connectors/microsoft/index.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { disconnectAccount, openHub, type Hub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { EventWriterService, settle } from '../../sync-engine/index.ts';
import { davContext } from '../support/caldav-harness.ts';
import { hasBinary, makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { tcpForward, type TcpForward } from '../support/tcp-forward.ts';

const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `t_discout_${process.pid}_${randomBytes(3).toString('hex')}`;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const oauth = (token: string): ConnectorContext => ({ credentials: { kind: 'oauth', getAccessToken: async () => token }, signal: new AbortController().signal, log: quiet, now: () => new Date() });
const at = (h: number) => ({ dateTime: `2026-12-16T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });

describe('disconnecting an account while Radicale is down', { skip: hasBinary('radicale') ? false : 'radicale is not installed', timeout: 300_000 }, () => {
  let dav: DavServer;
  let forward: TcpForward;
  let google: RunningGoogleEmulator;
  let graph: MicrosoftEmulator;
  let store: Store;
  let redis: Redis;
  let hub: Hub;
  let tenantId: string;
  const cal = { g: '', m: '', r: '' };
  const acc = { m: '', m9: '' };
  const cal9 = { g: '', m: '' };
  let gCal = '';

  before(async () => {
    dav = await startRadicale();
    forward = await tcpForward('127.0.0.1', Number(new URL(dav.url).port));
    google = await startGoogleEmulator();
    graph = await startMicrosoftEmulator();
    store = await Store.open({ databaseUrl: `${PG}?options=${encodeURIComponent(`-c search_path=${SCHEMA},public`)}`, schema: SCHEMA });
    await store.migrate();
    tenantId = (await store.tenants.create('disconnect-outage')).tenant.id;
    redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });

    const viaForward = (u: string) => u.replace(`:${new URL(dav.url).port}/`, `:${forward.port}/`);
    const davUrl = viaForward(await makeCalendar(dav, 'u08'));
    google.control.createUser({ email: 'u08@example.com', timeZone: 'UTC' });
    gCal = google.control.createCalendar({ ownerEmail: 'u08@example.com', summary: 'u08', timeZone: 'UTC' }).id;
    const user = graph.control.createUser({ email: 'u08@contoso.test', timeZone: 'UTC' });
    const sides = {
      caldav: { connector: createCaldavConnector({ serverUrl: viaForward(dav.homeUrl), allowPrivateNetworks: true }), ctx: davContext(dav) },
      google: { connector: createGoogleConnector({ baseUrl: google.url }), ctx: oauth(google.control.issueGrant({ email: 'u08@example.com' }).accessToken) },
      microsoft: { connector: createMicrosoftConnector({ baseUrl: graph.url }), ctx: oauth(graph.control.issueToken({ userId: user.id }).accessToken) },
    };
    google.control.createUser({ email: 'u09@example.com', timeZone: 'UTC' });
    const g9 = google.control.createCalendar({ ownerEmail: 'u09@example.com', summary: 'u09', timeZone: 'UTC' }).id;
    const user9 = graph.control.createUser({ email: 'u09@contoso.test', timeZone: 'UTC' });
    const u09: Record<string, { connector: typeof sides.google.connector; ctx: ConnectorContext }> = {
      'u09@example.com': { connector: sides.google.connector, ctx: oauth(google.control.issueGrant({ email: 'u09@example.com' }).accessToken) },
      [user9.email]: { connector: sides.microsoft.connector, ctx: oauth(graph.control.issueToken({ userId: user9.id }).accessToken) },
    };
    hub = await openHub({
      store, redis, queue: 'required', logger: createLogger({ level: 'silent' }), keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
      engine: { prefix: `calhub-discout-${randomBytes(4).toString('hex')}` },
      connect: async (account) => u09[account.externalId] ?? sides[account.provider as keyof typeof sides],
    });
    const t = store.tenant(tenantId);
    for (const [key, provider, externalId, providerCalendarId] of [['g', 'google', 'u08@example.com', gCal], ['m', 'microsoft', user.email, user.calendarId], ['r', 'caldav', `${dav.homeUrl}#u08`, davUrl]] as const) {
      const a = await t.accounts.upsert({ provider, externalId });
      const [row] = await t.calendars.upsertMany(a.id, [{ providerCalendarId, name: key, timeZone: 'UTC', color: null, readOnly: false }]);
      await t.accounts.markCalendarsListed(a.id);
      cal[key] = row!.id;
      if (key === 'm') acc.m = a.id;
    }
    for (const [key, provider, externalId, providerCalendarId] of [['g', 'google', 'u09@example.com', g9], ['m', 'microsoft', user9.email, user9.calendarId]] as const) {
      const a = await t.accounts.upsert({ provider, externalId });
      const [row] = await t.calendars.upsertMany(a.id, [{ providerCalendarId, name: `${key}9`, timeZone: 'UTC', color: null, readOnly: false }]);
      await t.accounts.markCalendarsListed(a.id);
      cal9[key] = row!.id;
      if (key === 'm') acc.m9 = a.id;
    }
    const writer = new EventWriterService(hub.deps);
    for (let i = 0; i < 2; i++) await writer.create(tenantId, cal9.m, { uid: `m${i}@u09`, title: `u09 Microsoft ${i}`, start: at(8 + i), end: at(9 + i) });
    for (let i = 0; i < 5; i++) await writer.create(tenantId, cal9.g, { uid: `g${i}@u09`, title: `u09 Google ${i}`, start: at(11 + i), end: at(12 + i) });
    await t.mirror.create(cal9.m, cal9.g, { mode: 'busy-block', twoWay: true });
    await writer.create(tenantId, cal.g, { uid: 'g1@u08', title: 'Google meeting', start: at(8), end: at(9) });
    await writer.create(tenantId, cal.m, { uid: 'm1@u08', title: 'Microsoft meeting 1', start: at(10), end: at(11) });
    await writer.create(tenantId, cal.m, { uid: 'm2@u08', title: 'Microsoft meeting 2', start: at(12), end: at(13) });
    for (const w of ['mon', 'tue', 'wed']) await writer.create(tenantId, cal.r, { uid: `r-${w}@u08`, title: `Radicale ${w}`, start: at(14 + ['mon', 'tue', 'wed'].indexOf(w)), end: at(15 + ['mon', 'tue', 'wed'].indexOf(w)) });
    for (const [s, d] of [[cal.m, cal.g], [cal.m, cal.r], [cal.g, cal.r]]) await t.mirror.create(s!, d!, { mode: 'busy-block', twoWay: true });
    await settle(hub.deps, tenantId, [cal.g, cal.m, cal.r]);
    await settle(hub.deps, tenantId, [cal9.g, cal9.m]);
  });
  after(async () => {
    await hub?.engine?.queue.obliterate({ force: true }).catch(() => undefined);
    await hub?.close();
    redis?.disconnect();
    await store?.db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await store?.close();
    await forward?.close();
    await google?.close();
    await graph?.close();
    await dav?.stop();
  });

  /** The live events of the Google calendar starting at these hours (copies of the Microsoft meetings: 10 and 12). */
  const googleAt = (hours: number[]) =>
    google.control.listStoredEvents(gCal).filter((e) => !e.deleted && e.event.status !== 'cancelled' && hours.some((h) => e.event.start?.dateTime?.startsWith(at(h).dateTime.slice(0, 13))));

  it("removes the account's busy blocks from the Google calendar before it answers, and names the Radicale ones still there", async () => {
    assert.equal(googleAt([10, 12]).length, 2, 'the Microsoft meetings are mirrored into Google');
    await forward.cut(); // Radicale stopped: ECONNREFUSED
    hub.engine!.startWorker();
    // The worker is seen but takes nothing meanwhile: what the queue was doing in the report (its
    // Google push ran only once Radicale was back). Unpaused, it pushed soon enough here to hide it.
    await hub.engine!.queue.pause();
    let r: Awaited<ReturnType<typeof disconnectAccount>>;
    try {
      r = await disconnectAccount(hub, tenantId, acc.m);
    } finally {
      await hub.engine!.queue.resume();
    }
    assert.equal(r.copiesElsewhere, 4);
    assert.deepEqual(googleAt([10, 12]).map((e) => e.event.summary), [], 'no busy block of the removed account is left in Google when the disconnect answers');
    assert.deepEqual(r.copiesElsewhereLeft.map((c) => [c.calendarId, c.copies, c.queued]), [[cal.r, 2, true]], JSON.stringify(r.copiesElsewhereLeft));
    assert.match(r.copiesElsewhereLeft[0]!.error, /ECONNREFUSED|CONNECTOR_TRANSIENT|SYNC_BUSY/);
    assert.equal(r.copiesDeleted, 4, "the Google and Radicale events' copies in the Microsoft calendar are deleted there");
  });

  it("a pull of the account's calendar while it goes does not see its copies' deletes as a mass change", async () => {
    const t = store.tenant(tenantId);
    // A live push channel to stop: Graph answering its stop 3 s late, the stop leaves a window
    // after the copies are deleted and before the calendar goes, as the report's did.
    await t.channels.trackAccount(acc.m9, new Date());
    await t.channels.saveActive(cal9.m, { channelId: 'sub-u09', resourceId: null, secretHash: 'x', address: 'https://hooks.example/graph', expiresAt: new Date(Date.now() + 86_400_000), nextCheckAt: new Date(Date.now() + 3_600_000) });
    // Notifications of the deletes ask for pulls all along (each a pull request, coalesced).
    let going = true;
    const asking = (async () => {
      while (going) {
        await hub.engine!.requestPull(tenantId, cal9.m).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    graph.control.injectFault({ status: 200, method: 'DELETE', pathPrefix: '/subscriptions', delayMs: 3_000, count: 1 });
    try {
      const r = await disconnectAccount(hub, tenantId, acc.m9);
      assert.equal(r.copiesDeleted, 5);
    } finally {
      going = false;
      await asking;
      graph.control.clearFaults();
    }
    // What a pull let in between did: it counted the copies' deletes as 5 of 7 objects removed and
    // tripped the guard (the calendar flagged, MASS_CHANGE_GUARD, a failed job for an operator).
    await new Promise((r) => setTimeout(r, 5_000));
    const jobs = (await hub.engine!.queue.getJobs(['completed', 'failed'])).filter((j) => j.data.calendarId === cal9.m);
    const guarded = jobs.filter((j) => /MASS_CHANGE_GUARD|flagged/.test(`${j.failedReason ?? ''} ${JSON.stringify(j.returnvalue ?? null)}`));
    assert.deepEqual(guarded.map((j) => j.failedReason ?? j.returnvalue), [], 'no pull ran between the copy deletes and the calendar going');
  });
});
