/**
 * A series written in the hub with a moved instance (as a mirror rule's busy-block copy is) reaches
 * Google and Microsoft, whose connectors keep an override as an object of its own: the series and
 * the instance at its new time, nothing left in the outbox, and a second sync writes nothing.
 * Before the fix the override's create first looked the UID up, found the series, and wrote the
 * instance over the series (Graph: "range.startDate must equal the start date of the event";
 * Google: "one event per remote object").
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { parseEvent } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { settle, writeUid } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { openTestStore } from '../support/test-store.ts';

const UID = 'series-with-moved-instance@calhub.test';
const master = parseEvent({
  uid: UID, title: 'Weekly sync', start: { dateTime: '2026-12-07T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-07T10:00:00Z', timeZone: 'UTC' },
  recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] },
});
const moved = parseEvent({
  uid: UID, title: 'Weekly sync', originalStart: { dateTime: '2026-12-14T09:00:00Z', timeZone: 'UTC' },
  start: { dateTime: '2026-12-14T13:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-14T14:00:00Z', timeZone: 'UTC' },
});

async function check(env: ModelEnv): Promise<void> {
  const cal = env.calendars[0]!;
  await writeUid(env.deps, env.tenantId, cal, UID, [master, moved]);
  await settle(env.deps, env.tenantId, [cal]);
  const left = await env.store.db.query<{ uid: string; last_error: string | null }>('SELECT uid, last_error FROM outbox WHERE calendar_id = $1', [cal]);
  assert.deepEqual(left, [], 'nothing is left in the outbox');
  const objects = (await env.driver.list(0)).flatMap((o) => o.events);
  const starts = objects.map((e) => ('dateTime' in e.start ? new Date(e.start.dateTime).toISOString() : '')).sort();
  assert.ok(starts.includes('2026-12-07T09:00:00.000Z'), `series start kept: ${starts.join(', ')}`);
  assert.ok(starts.includes('2026-12-14T13:00:00.000Z'), `moved instance at its new time: ${starts.join(', ')}`);
  const writes = env.driver.writes();
  const again = await settle(env.deps, env.tenantId, [cal]);
  assert.equal(again.written, 0);
  assert.equal(env.driver.writes(), writes, 'a settled series is not written again');
}

describe('a hub-written series with a moved instance, on providers that keep overrides apart', () => {
  let store: Store;
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  before(async () => {
    store = await openTestStore();
    await store.migrate();
    google = await startGoogleEmulator();
    ms = await startMicrosoftEmulator();
  });
  after(async () => {
    await store.close();
    await google.close();
    await ms.close();
  });

  it('Google', async () => check(await googleModelEnv(google, store)));
  it('Microsoft Graph', async () => check(await microsoftModelEnv(ms, store)));
});
