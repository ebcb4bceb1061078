/**
 * Writing a series master to Graph: a new pattern makes Graph discard the series' exceptions and
 * cancellations (MS-OXOCAL 3.1.4.7.3.5, as the emulator does), so the connector deletes the
 * master's EXDATEs again and says the overrides were dropped; an unchanged pattern, however its
 * RRULE is spelled, is not sent and the exceptions stay. An EXDATE that names no occurrence is
 * nothing to delete.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEvent, type CanonicalEvent } from '../../shared/model/index.ts';
import { startMicrosoftTestbed, type MicrosoftTestbed } from './test-support.ts';

const UID = 'series-writes@calhub.test';
const at = (day: number, hour = 9) => ({ dateTime: `2027-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const master = (rule: string, title = 'Daily') =>
  parseEvent({ uid: UID, title, start: at(1), end: at(1, 10), recurrence: { rrules: [rule], exdates: [at(3)], rdates: [] } });

describe('microsoft connector: series master writes and Graph dropping exceptions', () => {
  let t: MicrosoftTestbed;
  let masterId = '';
  let version = '';
  before(async () => {
    t = await startMicrosoftTestbed({ timeZone: 'UTC' });
  });
  after(async () => t?.emu.close());

  /** Instance start times (UTC, hour) by original day, from the emulator's calendar view. */
  const instances = () => {
    const view = t.emu.control.calendarView({ userId: t.userId, calendarId: t.calendar.providerCalendarId, start: '2027-03-01T00:00:00Z', end: '2027-03-20T00:00:00Z' });
    return view.map((e) => `${String(e.type)} ${String((e.start as { dateTime: string }).dateTime).slice(5, 13)}`).sort();
  };
  const write = async (e: CanonicalEvent) => {
    const o = await t.connector.putObject(t.ctx, t.calendar, { remoteId: masterId, events: [e] }, { ifMatch: version });
    version = o.version!;
    return o;
  };

  before(async () => {
    const made = await t.connector.putObject(t.ctx, t.calendar, { remoteId: null, events: [master('FREQ=DAILY;INTERVAL=2;COUNT=4')] }, { ifNoneMatch: '*' });
    masterId = made.remoteId;
    const moved = parseEvent({ uid: UID, title: 'Daily', originalStart: at(5), start: at(5, 14), end: at(5, 15) });
    await t.connector.putObject(t.ctx, t.calendar, { remoteId: null, events: [moved] }, { ifNoneMatch: '*' });
    version = (await t.connector.getObject(t.ctx, t.calendar, masterId)).version!;
  });

  it('a write that keeps the pattern, spelled in another order, keeps the exception and the cancellation', async () => {
    // Graph's pattern reads back as FREQ=DAILY;COUNT=4;INTERVAL=2.
    const o = await write(master('FREQ=DAILY;INTERVAL=2;COUNT=4', 'Daily (renamed)'));
    assert.equal(o.overridesDropped, undefined);
    // 1, 3 (cancelled), 5 (moved to 14:00), 7.
    assert.deepEqual(instances(), ['exception 03-05T14', 'occurrence 03-01T09', 'occurrence 03-07T09']);
  });

  it('a new pattern: Graph drops the exception, the EXDATEs are deleted again and the overrides reported dropped', async () => {
    const o = await write({ ...master('FREQ=DAILY;COUNT=6', 'Daily (renamed)') });
    assert.equal(o.overridesDropped, true);
    assert.deepEqual(o.events[0]!.recurrence!.exdates.map((x) => ('dateTime' in x ? x.dateTime.slice(5, 13) : '')), ['03-03T09']);
    // The moved instance is a plain occurrence again: writing it back is the engine's part (push.ts).
    assert.deepEqual(instances(), ['occurrence 03-01T09', 'occurrence 03-02T09', 'occurrence 03-04T09', 'occurrence 03-05T09', 'occurrence 03-06T09']);
  });

  // Outlook changing the pattern: the exception comes back through delta as a plain occurrence
  // with the same id, which the hub must delete (it stored the exception under that id).
  it('delta deletes an exception that Graph turned back into an occurrence', async () => {
    const sync = async (cursor: string | null) => {
      const changes = [];
      for (;;) {
        const page = await t.connector.listChanges(t.ctx, t.calendar, cursor);
        changes.push(...page.changes);
        cursor = page.nextCursor;
        if (!page.hasMore) return { changes, cursor };
      }
    };
    const moved = parseEvent({ uid: UID, title: 'Daily (renamed)', originalStart: at(4), start: at(4, 16), end: at(4, 17) });
    const ex = await t.connector.putObject(t.ctx, t.calendar, { remoteId: null, events: [moved] }, { ifNoneMatch: '*' });
    const first = await sync(null);
    assert.ok(first.changes.some((c) => c.kind === 'upsert' && c.remoteId === ex.remoteId), 'the exception is listed');
    t.emu.control.updateEvent({ userId: t.userId, id: masterId, patch: { recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2027-03-01', numberOfOccurrences: 7 } } } as never });
    const next = await sync(first.cursor);
    assert.ok(next.changes.some((c) => c.kind === 'delete' && c.remoteId === ex.remoteId), 'the dropped exception is deleted');
  });

  // A CalDAV series shortened below one of its EXDATEs, copied to Graph: nothing to delete, and
  // the answer keeps the EXDATE so the hub sees no difference to write again.
  it('an EXDATE that names no occurrence is kept in the answer', async () => {
    const e = parseEvent({ uid: 'no-occurrence@calhub.test', title: 'Short', start: at(10), end: at(10, 10), recurrence: { rrules: ['FREQ=DAILY;COUNT=2'], exdates: [at(11), at(14)], rdates: [] } });
    const o = await t.connector.putObject(t.ctx, t.calendar, { remoteId: null, events: [e] }, { ifNoneMatch: '*' });
    assert.deepEqual(o.events[0]!.recurrence!.exdates.map((x) => ('dateTime' in x ? x.dateTime.slice(5, 13) : '')).sort(), ['03-11T09', '03-14T09']);
    assert.deepEqual(instances().filter((i) => i.includes('03-1')), ['occurrence 03-10T09']);
  });
});
