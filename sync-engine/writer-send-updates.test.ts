/** Which occurrences a write's sendUpdates is recorded for: the ones it changes (OutboxEntry.sendUpdatesByKey). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEvent } from '../shared/model/index.ts';
import { memoryEnv, type MemoryEnv } from './test-support/memory-env.ts';
import { writeUid } from './writer.ts';

const UID = 'series@test';
const master = parseEvent({ uid: UID, title: 'Weekly', start: { dateTime: '2026-12-07T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-07T10:00:00Z', timeZone: 'UTC' }, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } });
const at = (day: string, title: string) =>
  parseEvent({ uid: UID, title, originalStart: { dateTime: `${day}T09:00:00Z`, timeZone: 'UTC' }, start: { dateTime: `${day}T09:00:00Z`, timeZone: 'UTC' }, end: { dateTime: `${day}T10:00:00Z`, timeZone: 'UTC' } });

describe('writeUid records its sendUpdates for the occurrences it changes', () => {
  let env: MemoryEnv;
  before(async () => {
    env = await memoryEnv({ calendars: 1 });
  });
  after(() => env.close());
  const entry = async () => (await env.store.tenant(env.tenantId).outbox.pending(env.calendars[0]!)).find((o) => o.uid === UID)!;

  it('an override added, changed or removed is named; the untouched master and overrides are not', async () => {
    const cal = env.calendars[0]!;
    await writeUid(env.deps, env.tenantId, cal, UID, [master, at('2026-12-14', 'A')]);
    await env.store.tenant(env.tenantId).outbox.done(cal, UID, null);
    await writeUid(env.deps, env.tenantId, cal, UID, [master, at('2026-12-14', 'A'), at('2026-12-21', 'B')], undefined, { sendUpdates: 'all' });
    await writeUid(env.deps, env.tenantId, cal, UID, [master, at('2026-12-21', 'B')], undefined, { sendUpdates: 'none' });
    assert.deepEqual((await entry()).sendUpdatesByKey, { '2026-12-21T09:00:00Z': 'all', '2026-12-14T09:00:00Z': 'none' });
    assert.equal((await entry()).sendUpdates, 'all');
  });

  it('a conference asked of the series names the series even when nothing else changed', async () => {
    const cal = env.calendars[0]!;
    await env.store.tenant(env.tenantId).outbox.done(cal, UID, null);
    await writeUid(env.deps, env.tenantId, cal, UID, [master, at('2026-12-21', 'B')], undefined, { sendUpdates: 'all', conference: true });
    assert.deepEqual((await entry()).sendUpdatesByKey, { '': 'all' });
  });
});
