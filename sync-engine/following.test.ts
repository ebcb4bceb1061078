/** A series cut at one occurrence (cutSeries), and the cut written at once or not at all (writeCut). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent, type CanonicalEvent } from '../shared/model/index.ts';
import { cutSeries, writeCut } from './following.ts';
import { memoryEnv } from './test-support/memory-env.ts';

const zoned = (iso: string, timeZone = 'America/New_York') => ({ dateTime: iso, timeZone });
const series = (rrules: string[], more: Partial<CanonicalEvent> = {}): CanonicalEvent =>
  parseEvent({ uid: 's', title: 'S', start: zoned('2026-03-02T14:00:00Z'), end: zoned('2026-03-02T15:00:00Z'), recurrence: { rrules }, ...more });

describe('cutSeries', () => {
  it('splits a COUNT by the occurrences each rule made before the cut, EXDATEs counted as RFC 5545 counts them', () => {
    // Daily 09:00 New York from Mon Mar 2, across the DST start on Mar 8: the cut on Mar 10 (13:00Z, summer time).
    const m = series(['FREQ=DAILY;COUNT=10'], { recurrence: { rrules: ['FREQ=DAILY;COUNT=10'], exdates: [zoned('2026-03-03T14:00:00Z'), zoned('2026-03-11T13:00:00Z')], rdates: [zoned('2026-03-20T13:00:00Z')] } });
    const cut = cutSeries(m, [], '2026-03-10T13:00:00Z', 'UTC');
    assert.deepEqual(cut.master.recurrence, { rrules: ['FREQ=DAILY;COUNT=8'], exdates: [zoned('2026-03-03T14:00:00Z')], rdates: [] });
    assert.deepEqual(cut.later, { rrules: ['FREQ=DAILY;COUNT=2'], exdates: [zoned('2026-03-11T13:00:00Z')], rdates: [zoned('2026-03-20T13:00:00Z')], overrides: [] });
    assert.equal(cut.keepsAny, true);
  });

  it('ends a rule without COUNT one second before the cut, in UTC; a rule that ended before the cut stays as it was', () => {
    const m = series(['FREQ=WEEKLY;BYDAY=MO', 'FREQ=MONTHLY;BYMONTHDAY=5;UNTIL=20260405T140000Z']);
    const cut = cutSeries(m, [], '2026-05-04T13:00:00Z', 'UTC');
    assert.deepEqual(cut.master.recurrence?.rrules, ['FREQ=WEEKLY;BYDAY=MO;UNTIL=20260504T125959Z', 'FREQ=MONTHLY;BYMONTHDAY=5;UNTIL=20260405T140000Z']);
    assert.deepEqual(cut.later.rrules, ['FREQ=WEEKLY;BYDAY=MO']);
  });

  it('moves overrides at or after the cut to what follows, those before stay; none standing before is keepsAny false', () => {
    const m = series(['FREQ=DAILY;COUNT=4']);
    const o = (day: string, status: 'confirmed' | 'cancelled' = 'confirmed') =>
      parseEvent({ uid: 's', title: 'moved', originalStart: zoned(`2026-03-0${day}T14:00:00Z`), start: zoned(`2026-03-0${day}T18:00:00Z`), end: zoned(`2026-03-0${day}T19:00:00Z`), status });
    const cut = cutSeries(m, [o('2', 'cancelled'), o('3')], '2026-03-03T14:00:00Z', 'UTC');
    assert.deepEqual(cut.overrides.map((x) => x.originalStart), [zoned('2026-03-02T14:00:00Z')]);
    assert.deepEqual(cut.later.overrides.map((x) => x.originalStart), [zoned('2026-03-03T14:00:00Z')]);
    assert.equal(cut.keepsAny, false, 'the one occurrence before is cancelled');
  });
});

describe('writeCut', () => {
  it('writes both series or neither: a new series that cannot be written leaves the old one and the outbox as they were', async () => {
    const env = await memoryEnv({ calendars: 1 });
    const cal = env.calendars[0]!;
    const t = env.store.tenant(env.tenantId);
    const m = series(['FREQ=DAILY;COUNT=4'], { start: zoned('2026-03-02T14:00:00Z', 'UTC'), end: zoned('2026-03-02T15:00:00Z', 'UTC') });
    await t.events.applyRemoteChanges(cal, [
      { kind: 'upsert', remoteId: 's#0', version: '"1"', events: [m] },
      { kind: 'upsert', remoteId: 'taken#0', version: '"1"', events: [parseEvent({ uid: 'taken', start: zoned('2026-04-01T10:00:00Z', 'UTC'), end: zoned('2026-04-01T11:00:00Z', 'UTC') })] },
    ]);
    const rows = await t.events.byUid(cal, 's');
    const cut = cutSeries(m, [], '2026-03-04T14:00:00Z', 'UTC');
    // The new series' UID already in the calendar: its write is refused inside the transaction.
    const clash = { ...m, uid: 'taken', start: zoned('2026-03-04T14:00:00Z', 'UTC'), end: zoned('2026-03-04T15:00:00Z', 'UTC'), recurrence: { rrules: cut.later.rrules, exdates: [], rdates: [] } };
    await assert.rejects(writeCut(env.deps, env.tenantId, rows, [cut.master], [clash], undefined, {}), /already exists/);
    assert.deepEqual((await t.events.byUid(cal, 's')).map((r) => r.event.recurrence?.rrules), [['FREQ=DAILY;COUNT=4']], 'the old series is not truncated');
    assert.deepEqual(await env.store.db.query('SELECT uid FROM outbox'), [], 'nothing is queued');
    const fresh = { ...clash, uid: 's-2' };
    await writeCut(env.deps, env.tenantId, rows, [cut.master], [fresh], undefined, {});
    assert.deepEqual((await t.events.byUid(cal, 's')).map((r) => r.event.recurrence?.rrules), [['FREQ=DAILY;COUNT=2']]);
    assert.deepEqual((await env.store.db.query<{ uid: string }>('SELECT uid FROM outbox ORDER BY uid')).map((r) => r.uid), ['s', 's-2']);
    await env.close();
  });
});
