/**
 * The free/busy calendar memo (freebusy/calendar-memo.ts) as the hubs that keep it are wired: the
 * API's hub keeps calendars in memory; a second hub on the same store writes as another thread
 * (`calhub start`'s sync thread, over a BroadcastChannel) or another process (on PostgreSQL, over
 * LISTEN/NOTIFY) would, and its writes must show in the API hub's answers. The memo here never
 * re-reads on its own (recheck after an hour, see HOUR): only the reports can make a change show.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEvent } from '../shared/model/index.ts';
import { inChangeScope } from '../shared/store/index.ts';
import { disconnectAccount } from './accounts/disconnect.ts';
import { freeBusy } from './freebusy.ts';
import type { Hub } from './open-hub.ts';

type Answer = { calendars: Array<{ calendarId: string; busy: Array<{ start: string; end: string }>; errors?: Array<{ code: string }> }> };

/** The memo's hub opened with `memo: MEMO_NEVER_RECHECKS`, the writer's on the same store; dispose removes what they made. */
export interface MemoHubs {
  api: Hub;
  sync: Hub;
  dispose(): Promise<void>;
}

export const HOUR = 3_600_000;
export const MEMO_NEVER_RECHECKS = { recheckMs: HOUR, maxAgeMs: HOUR };

export function runCalendarMemoContract(name: string, open: () => Promise<MemoHubs>): void {
describe(name, () => {
  let hubs: MemoHubs | null = null;
  let api: Hub;
  let sync: Hub;
  let tenantA = '';
  let tenantB = '';
  let accountA = '';
  let cal1 = '';
  let cal2 = '';
  let calB = '';

  before(async () => {
    hubs = await open();
    ({ api, sync } = hubs);
    const store = sync.store;
    tenantA = (await store.tenants.create('a')).tenant.id;
    tenantB = (await store.tenants.create('b')).tenant.id;
    accountA = (await store.tenant(tenantA).accounts.upsert({ provider: 'memory', externalId: 'a@example.com', credentials: 'x' })).id;
    [cal1, cal2] = (await store.tenant(tenantA).calendars.upsertMany(accountA, ['one', 'two'].map((n) => ({ providerCalendarId: n, name: n, timeZone: 'UTC', color: null, readOnly: false })))).map((c) => c.id) as [string, string];
    const accountB = (await store.tenant(tenantB).accounts.upsert({ provider: 'memory', externalId: 'b@example.com', credentials: 'x' })).id;
    calB = (await store.tenant(tenantB).calendars.upsertMany(accountB, [{ providerCalendarId: 'b', name: 'b', timeZone: 'UTC', color: null, readOnly: false }]))[0]!.id;
    // The reports of these writes cross a channel as messages: let them arrive before the tests count reads.
    await new Promise((r) => setTimeout(r, 100));
  });
  after(async () => {
    await sync?.close();
    await api?.close();
    await hubs?.dispose();
  });

  const fb = async (tenantId: string, calendarIds: string[]): Promise<Answer> => {
    const a = await freeBusy(api, tenantId, { calendarIds, accountIds: [], start: new Date('2026-12-01T00:00:00Z'), end: new Date('2026-12-08T00:00:00Z'), explain: false, maxCalendars: 50 });
    assert.ok('json' in a);
    return JSON.parse(a.json) as Answer;
  };
  const busyOf = (a: Answer, id: string) => a.calendars.find((c) => c.calendarId === id)!.busy;
  const errorsOf = (a: Answer, id: string) => (a.calendars.find((c) => c.calendarId === id)!.errors ?? []).map((e) => e.code);
  /** Polls free/busy until `ok` holds; the report crosses the channel as a message. */
  async function eventually(tenantId: string, ids: string[], ok: (a: Answer) => boolean): Promise<Answer> {
    const until = Date.now() + 3000;
    for (;;) {
      const a = await fb(tenantId, ids);
      if (ok(a) || Date.now() > until) return a;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  const event = (uid: string, start: string, end: string) =>
    parseEvent({ uid, title: uid, start: { dateTime: start, timeZone: 'UTC' }, end: { dateTime: end, timeZone: 'UTC' }, providerEventId: null, providerVersion: null });
  /** A write as a sync job makes it: in the job's scope, on the other hub's store. */
  const inJob = <T>(calendarId: string, fn: () => Promise<T>) => inChangeScope({ tenantId: tenantA, calendarId }, fn);

  it('answers from memory: repeated requests read the store once', async () => {
    await fb(tenantA, [cal1, cal2]);
    const reads = api.calendarMemo!.reads;
    for (let i = 0; i < 5; i++) await fb(tenantA, [cal1, cal2]);
    assert.equal(api.calendarMemo!.reads, reads);
  });

  it('a sync job\'s new busy time in the other hub shows in the next answers', async () => {
    assert.deepEqual(busyOf(await fb(tenantA, [cal1]), cal1), []);
    await inJob(cal1, () =>
      sync.store.tenant(tenantA).events.applyRemoteChanges(cal1, [{ kind: 'upsert', remoteId: 'r1', version: '"1"', events: [event('e1', '2026-12-02T09:00:00Z', '2026-12-02T10:00:00Z')] }]),
    );
    const a = await eventually(tenantA, [cal1], (x) => busyOf(x, cal1).length > 0);
    assert.deepEqual(busyOf(a, cal1).map((s) => s.start), ['2026-12-02T09:00:00.000Z']);
  });

  it('a failed sync and an account that needs reauthorization show as errors (the account\'s on all its calendars)', async () => {
    assert.deepEqual(errorsOf(await fb(tenantA, [cal1, cal2]), cal2), []);
    const t = sync.store.tenant(tenantA);
    await inJob(cal2, async () => {
      assert.ok(await t.calendars.claimSync(cal2, 'w1', 30_000));
      await t.calendars.releaseSync(cal2, 'w1', { ok: false, error: 'boom' });
    });
    assert.deepEqual(errorsOf(await eventually(tenantA, [cal2], (x) => errorsOf(x, cal2).length > 0), cal2), ['SYNC_FAILED']);
    await inJob(cal2, () => t.accounts.setStatus(accountA, 'needs_reauth', 'token revoked'));
    const a = await eventually(tenantA, [cal1, cal2], (x) => errorsOf(x, cal1).length > 0);
    assert.deepEqual(errorsOf(a, cal1), ['ACCOUNT_NEEDS_REAUTH']);
    assert.deepEqual(errorsOf(a, cal2), ['ACCOUNT_NEEDS_REAUTH', 'SYNC_FAILED']);
  });

  it('a write through the API\'s own hub shows in the very next answer', async () => {
    await fb(tenantA, [cal1]);
    await api.store.tenant(tenantA).events.writeLocal(cal1, 'e2', [event('e2', '2026-12-03T09:00:00Z', '2026-12-03T10:00:00Z')]);
    assert.equal(busyOf(await fb(tenantA, [cal1]), cal1).length, 2);
  });

  it('never serves another tenant\'s calendar, memorised or not', async () => {
    await fb(tenantA, [cal1]);
    await fb(tenantB, [calB]);
    await assert.rejects(fb(tenantB, [cal1]), /calendar/);
    await assert.rejects(fb(tenantA, [calB]), /calendar/);
    assert.deepEqual(busyOf(await fb(tenantA, [cal1]), cal1).length, 2);
  });

  it('a disconnected account\'s calendars are gone: at once through the API\'s hub, after the report through the other', async () => {
    await fb(tenantB, [calB]);
    const accountB = (await api.store.tenant(tenantB).calendars.get(calB))!.accountId;
    await disconnectAccount(api, tenantB, accountB);
    await assert.rejects(fb(tenantB, [calB]), /calendar/);

    await fb(tenantA, [cal1, cal2]);
    await sync.store.tenant(tenantA).purgeAccount(accountA, [cal1, cal2]);
    const until = Date.now() + 3000;
    let gone = false;
    while (!gone && Date.now() < until) {
      gone = await fb(tenantA, [cal1]).then(() => false, () => true);
      if (!gone) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(gone, 'the purged calendar is still served');
  });
});
}
