/**
 * New work must not inherit an older job's backoff (after a user's report: during a Radicale outage
 * a Google calendar kept busy blocks of a disconnected account for two minutes, though Google
 * answered). A trigger coalesces into its key's job; while that job waited delayed, BullMQ dropped
 * the trigger and the change waited out the old job's backoff: the queue's one way for new work to
 * wait on another job's delay (across calendars none was seen here). Here the user's Radicale calendar is
 * down (its pushes back off), and the Google calendar's push failed five times on a passing Google
 * outage that is over: a new event written through the API must reach Google within seconds, not
 * after the old push's next backoff step (8-24 s). And the calendar whose server stays down still
 * backs off, however often it is changed (an early run per change would try it at the change rate).
 * The figures are printed.
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
import { openHub, type Hub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Store } from '../../shared/store/index.ts';
import { EventWriterService, settle } from '../../sync-engine/index.ts';
import { davContext } from '../support/caldav-harness.ts';
import { hasBinary, makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { tcpForward, type TcpForward } from '../support/tcp-forward.ts';
import { openTestStore } from '../support/test-store.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const oauth = (token: string): ConnectorContext => ({ credentials: { kind: 'oauth', getAccessToken: async () => token }, signal: new AbortController().signal, log: quiet, now: () => new Date() });
const at = (d: number, h: number) => ({ dateTime: `2026-12-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });

describe('a change to a healthy calendar while pushes back off', { skip: hasBinary('radicale') ? false : 'radicale is not installed', timeout: 600_000 }, () => {
  let dav: DavServer; let forward: TcpForward; let google: RunningGoogleEmulator; let graph: MicrosoftEmulator;
  let store: Store; let redis: Redis; let hub: Hub; let tenantId: string; let gCal = '';
  const cal = { g: '', m: '', r: '' };
  let worker: ReturnType<NonNullable<Hub['engine']>['startWorker']>;
  before(async () => {
    dav = await startRadicale();
    forward = await tcpForward('127.0.0.1', Number(new URL(dav.url).port));
    google = await startGoogleEmulator();
    graph = await startMicrosoftEmulator();
    store = await openTestStore();
    await store.migrate();
    tenantId = (await store.tenants.create('healthy-push')).tenant.id;
    redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const viaForward = (u: string) => u.replace(`:${new URL(dav.url).port}/`, `:${forward.port}/`);
    const davUrl = viaForward(await makeCalendar(dav, 'u1'));
    google.control.createUser({ email: 'u1@example.com', timeZone: 'UTC' });
    gCal = google.control.createCalendar({ ownerEmail: 'u1@example.com', summary: 'u1', timeZone: 'UTC' }).id;
    const user = graph.control.createUser({ email: 'u1@contoso.test', timeZone: 'UTC' });
    const sides = {
      caldav: { connector: createCaldavConnector({ serverUrl: viaForward(dav.homeUrl), allowPrivateNetworks: true }), ctx: davContext(dav) },
      google: { connector: createGoogleConnector({ baseUrl: google.url }), ctx: oauth(google.control.issueGrant({ email: 'u1@example.com' }).accessToken) },
      microsoft: { connector: createMicrosoftConnector({ baseUrl: graph.url }), ctx: oauth(graph.control.issueToken({ userId: user.id }).accessToken) },
    };
    hub = await openHub({
      store, redis, queue: 'required', logger: createLogger({ level: 'silent' }), keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
      engine: { prefix: `calhub-hpush-${randomBytes(4).toString('hex')}` },
      connect: async (account) => sides[account.provider as keyof typeof sides],
    });
    const t = store.tenant(tenantId);
    for (const [key, provider, externalId, providerCalendarId] of [['g', 'google', 'u1@example.com', gCal], ['m', 'microsoft', user.email, user.calendarId], ['r', 'caldav', `${dav.homeUrl}#u1`, davUrl]] as const) {
      const a = await t.accounts.upsert({ provider, externalId });
      const [row] = await t.calendars.upsertMany(a.id, [{ providerCalendarId, name: key, timeZone: 'UTC', color: null, readOnly: false }]);
      await t.accounts.markCalendarsListed(a.id);
      cal[key] = row!.id;
    }
    for (const [s, d] of [[cal.m, cal.g], [cal.m, cal.r], [cal.g, cal.r]]) await t.mirror.create(s!, d!, { mode: 'busy-block', twoWay: true });
    await settle(hub.deps, tenantId, [cal.g, cal.m, cal.r]);
  });
  after(async () => {
    await hub?.engine?.queue.obliterate({ force: true }).catch(() => undefined);
    await hub?.close(); redis?.disconnect(); await store?.close();
    await forward?.close(); await google?.close(); await graph?.close(); await dav?.stop();
  });

  it('reaches Google within seconds although the calendar\'s older push is backing off', async () => {
    await forward.cut(); // Radicale down: ECONNREFUSED
    worker = hub.engine!.startWorker();
    const writer = new EventWriterService(hub.deps);
    // Google refuses the next five writes (503), then answers again: the push backs off 1, 2, 4, 8 s, then 8-24 s.
    google.control.injectFault({ status: 503, reason: 'backendError', method: 'POST', pathPrefix: '/calendars/', count: 5 });
    await writer.create(tenantId, cal.g, { uid: 'first@x', title: 'first', start: at(1, 10), end: at(1, 11) });
    const pushOfG = async () => (await hub.engine!.queue.getJobs(['delayed'])).find((j) => j.name === 'push' && j.data.calendarId === cal.g);
    const backedOff = Date.now();
    for (;;) {
      const j = await pushOfG();
      if (j && j.attemptsMade >= 5) break;
      assert.ok(Date.now() - backedOff < 120_000, 'the Google push failed five times');
      await new Promise((r) => setTimeout(r, 50));
    }
    const rJobs = (await hub.engine!.queue.getJobs(['delayed'])).filter((j) => j.data.calendarId === cal.r && j.attemptsMade > 0);
    assert.ok(rJobs.length > 0, 'the Radicale calendar is failing and backing off meanwhile');
    const start = Date.now();
    await writer.create(tenantId, cal.g, { uid: 'second@x', title: 'second', start: at(2, 10), end: at(2, 11) });
    let ms = -1;
    while (Date.now() - start < 60_000) {
      if (google.control.listStoredEvents(gCal).some((e) => !e.deleted && e.event.summary === 'second')) {
        ms = Date.now() - start;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`a new event reached Google ${ms} ms after it was written (its calendar's older push backing off after 5 failures)`);
    assert.ok(ms >= 0 && ms < 5_000, `the change waited ${ms} ms for the older push's backoff`);
  });

  it('still backs off from the calendar whose server is down, however often it is changed', async () => {
    // Radicale is still down (cut above). A change every 250 ms for 10 s: each one's trigger finds
    // the Radicale push backing off. An early run that fails is followed by a whole backoff step.
    let tries = 0;
    const counted = (j: { name: string; data: { calendarId?: string } } | undefined) => {
      if (j?.name === 'push' && j.data.calendarId === cal.r) tries += 1;
    };
    worker.on('failed', counted);
    const writer = new EventWriterService(hub.deps);
    try {
      for (let i = 0; i < 40; i++) {
        await writer.create(tenantId, cal.r, { uid: `r${i}@x`, title: `r ${i}`, start: at(3 + (i % 20), 14), end: at(3 + (i % 20), 15) });
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      worker.off('failed', counted);
    }
    console.log(`the Radicale push was tried ${tries} times during 40 changes in 10 s`);
    assert.ok(tries <= 4, `tried ${tries} times: each change cut the backoff short`);
  });
});
