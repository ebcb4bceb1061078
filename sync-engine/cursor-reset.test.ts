/**
 * A calendar list reading that finds a missing calendar back clears its cursor (the calendar may be
 * another collection at the same address). A pull already running then must not write the cursor
 * it reached back over that clear: its commit is refused (cursor epoch, migration 0059) and it lists
 * the calendar in full. The interleaving is made exact: the clear runs inside the pull's listing
 * request, after the provider answered and before the page is committed.
 */
import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import type { CalendarConnector } from '../connectors/connector.ts';
import { SyncCursorResetError } from '../shared/errors.ts';
import { pullCalendar } from './pull.ts';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

/** Runs `during` inside the next listing request, once, after the provider answered it. */
function hookListing(e: MemoryEnv, during: () => Promise<void>): Array<string | null> {
  const asked: Array<string | null> = [];
  let pending: (() => Promise<void>) | null = during;
  const connect = e.deps.connect;
  e.deps.connect = async (...args: Parameters<typeof connect>) => {
    const got = await connect(...args);
    const inner = got.connector;
    const connector: CalendarConnector = Object.assign(Object.create(inner) as CalendarConnector, {
      listChanges: async (...a: Parameters<CalendarConnector['listChanges']>) => {
        asked.push(a[2]);
        const page = await inner.listChanges(...a);
        const run = pending;
        pending = null;
        if (run) await run();
        return page;
      },
    });
    return { ...got, connector };
  };
  return asked;
}

it('a cursor cleared while a pull runs stays cleared: the pull lists in full instead of writing its cursor back', async () => {
  env = await memoryEnv({ calendars: 1 });
  const [cal] = env.calendars;
  const t = env.store.tenant(env.tenantId);
  const pid = env.providerIds[0]!;
  env.backend.put(pid, null, [sampleEvent()]);
  await settle(env.deps, env.tenantId, [cal!]);
  const before = (await t.cursor.state(cal!))!;
  assert.notEqual(before.cursor, null);
  const calendar = (await t.calendars.get(cal!))!;
  const input = { providerCalendarId: pid, name: calendar.name, timeZone: 'UTC', color: null, readOnly: false };
  // A calendar list reading leaves it out; the next one finds it back, while a pull is listing it.
  await t.calendars.applyListing(calendar.accountId, []);
  env.backend.put(pid, null, [sampleEvent()]);
  const asked = hookListing(env, async () => {
    const back = await t.calendars.applyListing(calendar.accountId, [input]);
    assert.deepEqual(back.found.map((c) => c.id), [cal]);
  });
  const r = await pullCalendar(env.deps, env.tenantId, cal!);
  assert.equal(asked[0], before.cursor, 'the pull began from the cursor it had');
  assert.equal(r.fullListing, true, 'the clear wins: the run listed the calendar in full');
  assert.equal(asked.at(-1), null);
  const after = (await t.cursor.state(cal!))!;
  assert.equal(after.epoch, before.epoch + 1);
  assert.equal(after.resetReason, null, 'the completed full listing settles the reset');
  assert.notEqual(after.cursor, null);
  assert.equal((await t.events.list(cal!)).length, 2);
});

it('a page committed under an epoch that moved on is refused whole (nothing of it is written)', async () => {
  env = await memoryEnv({ calendars: 1 });
  const [cal] = env.calendars;
  const t = env.store.tenant(env.tenantId);
  const { epoch } = (await t.cursor.state(cal!))!;
  await t.cursor.drop(cal!, 'missing');
  const ev = sampleEvent();
  await assert.rejects(
    t.events.applyRemoteChanges(cal!, [{ kind: 'upsert', remoteId: 'r1', version: 'v1', events: [ev] }], { cursor: 'c-old', cursorEpoch: epoch }),
    SyncCursorResetError,
  );
  assert.deepEqual(await t.events.list(cal!), []);
  const now = (await t.cursor.state(cal!))!;
  assert.equal(now.cursor, null);
  assert.equal(now.resetReason, 'missing');
  // Under the epoch it has now, the same page commits.
  await t.events.applyRemoteChanges(cal!, [{ kind: 'upsert', remoteId: 'r1', version: 'v1', events: [ev] }], { cursor: 'c-new', cursorEpoch: now.epoch });
  assert.equal((await t.cursor.state(cal!))!.cursor, 'c-new');
});
