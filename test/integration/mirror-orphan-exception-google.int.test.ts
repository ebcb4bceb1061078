/**
 * A Google series moved at Google keeps an exception at its old original start, which is no
 * longer an instance of the series (the emulator copies this; series-move-overrides.int). A busy
 * block copy of it was written to `<copy>_<old start>`, which Google answers 404: the copy never
 * blocked that time, and every rule run recorded one more provider-cannot-restore conflict. Such an
 * exception is copied as a single event of its own. Real connector, Google emulator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settle } from '../../sync-engine/index.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { storeAndGoogle } from '../support/emulator-store.ts';

describe('mirror: a Google exception left at its series\' old time', () => {
  const h = storeAndGoogle();

  it('is blocked in the target once, with no conflict on any run', async () => {
    const { store, emu: google } = h;
    const env = await googleModelEnv(google, store);
    const t = store.tenant(env.tenantId);
    const [a, b] = env.calendars as [string, string];
    const source = (await t.calendars.get(a))!.providerCalendarId;
    const target = (await t.calendars.get(b))!.providerCalendarId;
    const m = google.control.insertEvent(source, { summary: 'Weekly', start: { dateTime: '2026-12-07T14:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-07T15:00:00Z', timeZone: 'UTC' }, recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'] });
    google.control.patchEvent(source, `${m.id}_20261214T140000Z`, { start: { dateTime: '2026-12-14T17:00:00Z' }, end: { dateTime: '2026-12-14T18:00:00Z' } });
    google.control.patchEvent(source, m.id, { start: { dateTime: '2026-12-07T15:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-07T16:00:00Z', timeZone: 'UTC' } });
    const left = google.control.listStoredEvents(source).filter((e) => !e.deleted && e.event.recurringEventId === m.id && e.event.status !== 'cancelled');
    assert.equal(left.length, 1, 'Google keeps the exception at the old original start');
    assert.ok(await t.mirror.create(a, b, { mode: 'busy-block' }));
    for (let i = 0; i < 3; i++) await settle(env.deps, env.tenantId, [a, b]);

    const busy = google.control.listStoredEvents(target).filter((e) => !e.deleted && e.event.status !== 'cancelled');
    const starts = (await env.driver.list(1)).flatMap((o) => o.events).filter((e) => e.status !== 'cancelled').map((e) => `${e.originalStart ? 'o' : e.recurrence ? 'm' : 's'} ${'dateTime' in e.start ? e.start.dateTime : ''}`).sort();
    assert.ok(busy.length >= 2, JSON.stringify(starts));
    assert.ok(starts.some((s) => s.startsWith('s ') && s.includes('2026-12-14T17:00:00')), `the target blocks Dec 14 17:00: ${JSON.stringify(starts)}`);
    const conflicts = await store.db.query<{ policy: string }>('SELECT policy FROM conflicts WHERE calendar_id = $1', [b]);
    assert.deepEqual(conflicts, [], 'no conflict recorded');
    const writes = () => google.control.requests().filter((r) => r.method !== 'GET' && r.path.includes(`/calendars/${encodeURIComponent(target)}/events`)).length;
    const before = writes();
    await settle(env.deps, env.tenantId, [a, b]);
    assert.equal(writes(), before, 'a further run writes nothing');
  });
});
