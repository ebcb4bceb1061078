/**
 * "This event only" changes meet a pull of the provider's change to the same series between their
 * read and their write (held here at the write's admission, where the API charges its write
 * budget). A new override, or an EXDATE, is written with the rest of the series as it was read:
 * built from the older read, it put the series' old fields back and the push wrote them over the
 * provider's edit. Both edits must stand, and the write made again is admitted (charged) once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventTimeKey, parseEvent, type CanonicalEvent } from '../shared/model/index.ts';
import { Store } from '../shared/store/index.ts';
import { pullCalendar, settle } from '../sync-engine/index.ts';
import { memoryModelEnv } from '../sync-engine/test-support/model.ts';
import { apiOver } from '../test/support/api-over.ts';
import { deleteOccurrence, updateEvent, updateOccurrence } from './index.ts';

let store: Store;
before(async () => {
  store = await Store.open({ dataDir: null });
  await store.migrate();
});
after(() => store.close());

const THIRD = eventTimeKey({ dateTime: '2027-01-06T09:00:00Z', timeZone: 'UTC' });

/**
 * A daily series made at the provider and synced; its location then changed there. `write` is the
 * hub's occurrence write, given an admission hook that pulls that change once. Returns the series
 * as the provider and the store hold it after the next sync.
 */
async function race(write: (hub: Awaited<ReturnType<typeof apiOver>>['hub'], tenantId: string, masterId: string, admit: () => Promise<void>) => Promise<unknown>) {
  const env = await memoryModelEnv(store);
  const cal = env.calendars[0]!;
  const t = store.tenant(env.tenantId);
  const series = parseEvent({
    uid: `daily-${Math.random().toString(36).slice(2, 8)}@test`,
    title: 'Daily',
    location: 'Room 1',
    start: { dateTime: '2027-01-04T09:00:00Z', timeZone: 'UTC' },
    end: { dateTime: '2027-01-04T09:30:00Z', timeZone: 'UTC' },
    recurrence: { rrules: ['FREQ=DAILY;COUNT=5'], exdates: [], rdates: [] },
  });
  await env.driver.put(0, null, [series]);
  await settle(env.deps, env.tenantId, [cal]);
  const [object] = await env.driver.list(0);
  await env.driver.put(0, object!.remoteId, [{ ...series, location: 'Provider room' }]);
  const [master] = await t.events.list(cal);
  const { hub } = await apiOver(env);
  const pulled: number[] = [];
  let admitted = 0;
  await write(hub, env.tenantId, master!.id, async () => {
    admitted++;
    if (pulled.length === 0) pulled.push((await pullCalendar(env.deps, env.tenantId, cal)).rewritten);
  });
  assert.deepEqual(pulled, [1], "the pull stored the provider's change as no local change was pending");
  // The API charges its write budget here: the write made again is still one request.
  assert.equal(admitted, 1, 'admitted once, though written twice');
  await settle(env.deps, env.tenantId, [cal]);
  const show = (events: CanonicalEvent[]) => events.map((e) => `${e.originalStart ? eventTimeKey(e.originalStart) : 'series'}: ${e.title} @ ${e.location}`).sort();
  return {
    provider: show((await env.driver.list(0)).flatMap((o) => o.events)),
    store: show((await t.events.list(cal)).map((r) => r.event)),
    exdates: (await t.events.list(cal)).find((r) => r.event.originalStart === null)!.event.recurrence!.exdates.map(eventTimeKey),
  };
}

describe('an occurrence write that meets a pull of the provider edit of its series', () => {
  it('a change of the whole series (PATCH): the provider location stands beside the new title', async () => {
    const r = await race((hub, tenantId, id, admit) => updateEvent(hub, tenantId, id, { title: 'Standup' }, undefined, { admit }));
    assert.deepEqual(r, { provider: ['series: Standup @ Provider room'], store: ['series: Standup @ Provider room'], exdates: [] });
  });

  it('a change of one occurrence: the provider location stands on the series and the new override', async () => {
    const r = await race((hub, tenantId, id, admit) => updateOccurrence(hub, tenantId, id, THIRD, { title: 'Moved talk' }, undefined, { admit }));
    const want = ['2027-01-06T09:00:00Z: Moved talk @ Provider room', 'series: Daily @ Provider room'];
    assert.deepEqual(r, { provider: want, store: want, exdates: [] });
  });

  it('a cancellation of one occurrence: the provider location stands and the occurrence is gone', async () => {
    const r = await race((hub, tenantId, id, admit) => deleteOccurrence(hub, tenantId, id, THIRD, undefined, { admit }));
    assert.deepEqual(r, { provider: ['series: Daily @ Provider room'], store: ['series: Daily @ Provider room'], exdates: [THIRD] });
  });
});
