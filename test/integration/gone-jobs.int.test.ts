/**
 * Jobs of an account that is gone do not linger in the queue: disconnecting it removes its queued
 * and failed jobs, and the maintenance reaper drops failed jobs whose calendar no longer exists
 * (an account removed while Redis was away). So do deleting a calendar and switching its sync off
 * (their jobs stayed: only the disconnect removed any). They stayed failed for good, in `calhub status` and
 * the queue dashboard, for accounts no one had any more.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import { Redis } from 'ioredis';
import { MemoryBackend, MemoryConnector } from '../../connectors/memory/index.ts';
import { deleteCalendar, disconnectAccount, openHub, setCalendarSync, type Hub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { HubError } from '../../shared/errors.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Store } from '../../shared/store/index.ts';
import { openTestStore } from '../support/test-store.ts';

let store: Store;
let redis: Redis;
let hub: Hub;
let tenantId: string;
/** Set around a calendar's deletion, which asks the provider first (this one has no such calendar any more). */
let reachable = false;

before(async () => {
  store = await openTestStore();
  await store.migrate();
  tenantId = (await store.tenants.create('gone-jobs')).tenant.id;
  redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  hub = await openHub({
    store, redis, queue: 'required', logger: createLogger({ level: 'silent' }), keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    engine: { prefix: `calhub-gone-${randomBytes(4).toString('hex')}`, attempts: 1 },
    // Every run fails for good: each pull below ends as a failed job.
    connect: async () => {
      if (reachable) return { connector: new MemoryConnector(new MemoryBackend()), ctx: { credentials: { kind: 'none' }, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date() } };
      throw new HubError('TEST_REFUSED', 'never', 'this test refuses every provider call');
    },
  });
  hub.engine!.startWorker();
});
after(async () => {
  await hub.engine?.queue.obliterate({ force: true }).catch(() => undefined);
  await hub?.close();
  redis.disconnect();
  await store.close();
});

async function accountWithFailedPull(name: string): Promise<{ accountId: string; calendarId: string }> {
  const t = store.tenant(tenantId);
  const acc = await t.accounts.upsert({ provider: 'memory', externalId: `${name}@example.com` });
  const [cal] = await t.calendars.upsertMany(acc.id, [{ providerCalendarId: name, name, timeZone: 'UTC', color: null, readOnly: false }]);
  const before = await failedCalendars();
  await hub.engine!.requestPull(tenantId, cal!.id);
  for (let i = 0; i < 200 && (await failedCalendars()).length === before.length; i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok((await failedCalendars()).includes(cal!.id), `the pull of ${name} failed`);
  return { accountId: acc.id, calendarId: cal!.id };
}

const failedCalendars = async () => (await hub.engine!.queue.getJobs(['failed'])).map((j) => j.data.calendarId!).sort();

it('disconnecting an account removes its failed jobs; the others stay', async () => {
  const gone = await accountWithFailedPull('gone');
  const kept = await accountWithFailedPull('kept');
  await disconnectAccount(hub, tenantId, gone.accountId);
  assert.deepEqual(await failedCalendars(), [kept.calendarId]);
});

it("the reaper drops failed jobs whose calendar no longer exists, and keeps live calendars' ones", async () => {
  const live = await accountWithFailedPull('live');
  const orphan = await accountWithFailedPull('orphan');
  // Removed without the queue hearing of it (Redis away during the disconnect).
  await store.tenant(tenantId).purgeAccount(orphan.accountId, [orphan.calendarId]);
  assert.ok((await failedCalendars()).includes(orphan.calendarId));
  assert.equal(await hub.engine!.reapGoneJobs(), 1);
  assert.ok(!(await failedCalendars()).includes(orphan.calendarId));
  assert.ok((await failedCalendars()).includes(live.calendarId));
  assert.equal(await hub.engine!.reapGoneJobs(), 0, 'nothing more to reap');
});

const queuedCalendars = async () => (await hub.engine!.queue.getJobs(['waiting', 'prioritized', 'delayed'])).map((j) => j.data.calendarId!).sort();

it("deleting a calendar removes its failed and queued jobs; the account's other calendars keep theirs", async () => {
  const gone = await accountWithFailedPull('deleted');
  const kept = await accountWithFailedPull('beside');
  // Queued behind nothing: no worker takes it while the queue is paused.
  await hub.engine!.queue.pause();
  try {
    await hub.engine!.requestPull(tenantId, gone.calendarId);
    await hub.engine!.requestPull(tenantId, kept.calendarId);
    assert.deepEqual(await queuedCalendars(), [gone.calendarId, kept.calendarId].sort());
    reachable = true;
    await deleteCalendar(hub, tenantId, gone.calendarId).finally(() => (reachable = false));
    assert.deepEqual(await queuedCalendars(), [kept.calendarId]);
    assert.ok(!(await failedCalendars()).includes(gone.calendarId));
    assert.ok((await failedCalendars()).includes(kept.calendarId));
  } finally {
    await hub.engine!.removeJobsOf({ calendarIds: [kept.calendarId] });
    await hub.engine!.queue.resume();
  }
});

it('switching a calendar\'s sync off removes its failed and queued jobs; the reaper removes any it missed', async () => {
  const off = await accountWithFailedPull('off');
  const on = await accountWithFailedPull('on');
  await hub.engine!.queue.pause();
  try {
    await hub.engine!.requestPull(tenantId, off.calendarId);
    await setCalendarSync(hub, tenantId, off.calendarId, false);
    assert.ok(!(await failedCalendars()).includes(off.calendarId));
    assert.ok((await failedCalendars()).includes(on.calendarId));
    assert.deepEqual(await queuedCalendars(), []);
  } finally {
    await hub.engine!.queue.resume();
  }
  // Switched off while Redis was away: its failed job is the reaper's.
  const missed = await accountWithFailedPull('missed');
  await store.tenant(tenantId).setSyncEnabled(missed.calendarId, false);
  assert.equal(await hub.engine!.reapGoneJobs(), 1);
  assert.ok(!(await failedCalendars()).includes(missed.calendarId));
  assert.ok((await failedCalendars()).includes(on.calendarId));
});

it('with more failed jobs than one tick looks at, the reaper reaches those past the first page over its ticks', async () => {
  // Live calendars' failed jobs come first (oldest); the orphans' are the newest, past the page.
  for (const name of ['page-1', 'page-2', 'page-3']) await accountWithFailedPull(name);
  const orphans = [await accountWithFailedPull('late-1'), await accountWithFailedPull('late-2')];
  for (const o of orphans) await store.tenant(tenantId).purgeAccount(o.accountId, [o.calendarId]);
  const total = (await failedCalendars()).length;
  const limit = 2;
  assert.ok(total > limit * 2, `more failed jobs (${total}) than a tick looks at`);
  let removed = 0;
  // One round over all of them, and one tick more: bounded work per tick, every job looked at.
  for (let tick = 0; tick <= Math.ceil(total / limit); tick++) removed += await hub.engine!.reapGoneJobs(limit);
  assert.equal(removed, 2);
  const left = await failedCalendars();
  for (const o of orphans) assert.ok(!left.includes(o.calendarId), 'the orphans past the first page are reaped');
  assert.equal(left.length, total - 2, "the live calendars' failed jobs stay");
});
