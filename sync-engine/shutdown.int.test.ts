/**
 * A worker's close stops its runs: a run reading a dripping CalDAV server used to hold close (and
 * so `calhub start`'s shutdown) until the request's deadline, a minute. Now the run is aborted, its
 * job waits delayed, not failed, and the next engine on the queue picks it up.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { makeConnect } from '../hub/connect.ts';
import { KeyRing } from '../oauth/index.ts';
import { loadConfig } from '../shared/config/index.ts';
import { createLogger } from '../shared/logger.ts';
import type { Store } from '../shared/store/index.ts';
import { startHostileDav, type HostileDav } from '../test/support/hostile-dav.ts';
import { SyncEngine } from './index.ts';
import { openTestStore } from '../test/support/test-store.ts';

describe('closing a worker mid-sync', () => {
  let store: Store;
  let redis: Redis;
  let hostile: HostileDav;
  let tenantId = '';
  let calendarId = '';
  const prefix = `calhub-shutdown-${randomBytes(4).toString('hex')}`;
  const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
  const log = createLogger({ level: 'silent' });
  const engine = () =>
    new SyncEngine({
      connection: redis,
      prefix,
      deps: { store, log, connect: makeConnect({ store, keyring, config: { ...loadConfig({}), caldavAllowPrivateNetworks: true }, log }) },
      runBudgetMs: 120_000,
    });

  before(async () => {
    hostile = await startHostileDav({ drip: { kind: 'drip', count: 3, intervalMs: 400 } });
    store = await openTestStore();
    await store.migrate();
    redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    tenantId = (await store.tenants.create('t')).tenant.id;
    const account = await store.tenant(tenantId).accounts.upsert({
      provider: 'caldav', externalId: 'slow', config: { serverUrl: hostile.homeUrl },
      credentials: keyring.encrypt(JSON.stringify({ username: 'slow', password: 'x' })),
    });
    const [cal] = await store.tenant(tenantId).calendars.upsertMany(account.id, [{ providerCalendarId: hostile.calendarUrl('drip'), name: 'drip', timeZone: 'UTC', color: null, readOnly: false }]);
    calendarId = cal!.id;
  });
  after(async () => {
    const e = engine();
    await e.queue.obliterate({ force: true }).catch(() => undefined);
    await e.close();
    redis?.disconnect();
    await store?.close();
    await hostile?.stop();
  });

  const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 20_000) => {
    const t0 = Date.now();
    while (!(await ok())) {
      if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms: ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('aborts the run at once, keeps its job delayed, and the next worker resumes it', async () => {
    const first = engine();
    first.startWorker(2);
    await first.requestPull(tenantId, calendarId);
    await until('the dripping listing is being read', () => hostile.open() >= 1);
    const t0 = performance.now();
    await first.close();
    const closeMs = performance.now() - t0;
    assert.ok(closeMs < 5000, `close took ${Math.round(closeMs)} ms with a run reading a dripping server`);
    // Not a failed sync: no failure counted (whose first sends tenants `sync.failed`), no error shown.
    const cal = await store.tenant(tenantId).calendars.get(calendarId);
    assert.deepEqual([cal?.failureCount, cal?.lastError, cal?.syncStage], [0, null, 'idle'], 'a run stopped for shutdown counted as a failed sync');

    const second = engine();
    try {
      const counts = await second.queue.getJobCounts('delayed', 'failed', 'waiting', 'prioritized');
      assert.equal(counts.failed, 0, 'a run stopped for shutdown is not a failure');
      assert.equal((counts.delayed ?? 0) + (counts.waiting ?? 0) + (counts.prioritized ?? 0), 1, `the job waits for the next start: ${JSON.stringify(counts)}`);
      const listings = hostile.requests.filter((r) => r.kind === 'sync-collection').length;
      second.startWorker(2);
      await until('the next worker reads the calendar again', () => hostile.requests.filter((r) => r.kind === 'sync-collection').length > listings);
    } finally {
      await second.close();
    }
  });
});
