/**
 * A calendar whose zone the tenant chose (America/Los_Angeles) over Google's own (Europe/Berlin):
 * occurrence writes land on Google's instance ids, floating writes are not shifted, and what Google
 * sends without a zone is read in Google's. Against the emulator.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import type { RemoteCalendarRef } from '../connector.ts';
import { makeGoogleHarness, type GoogleTestSetup } from './test-support.ts';

describe('google connector: a chosen calendar zone', () => {
  let h: GoogleTestSetup;
  let chosen: RemoteCalendarRef;
  before(async () => {
    h = await makeGoogleHarness({ timeZone: 'Europe/Berlin', emptyPageEvery: 0 });
    chosen = { providerCalendarId: h.calendar.providerCalendarId, timeZone: 'America/Los_Angeles', providerTimeZone: 'Europe/Berlin' };
  });
  after(() => h.cleanup());
  const put = (cal: RemoteCalendarRef, input: Parameters<typeof parseEvent>[0]) =>
    h.connector.putObject(h.ctx, cal, { remoteId: null, events: [parseEvent(input)] }, { ifNoneMatch: '*' });

  it('an all-day series: an occurrence edit and a cancel land on the instances of their dates', async () => {
    const uid = 'chosen-allday@calhub.test';
    const master = await put(chosen, { uid, title: 'holiday', start: { date: '2026-03-02' }, end: { date: '2026-03-03' }, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } });
    assert.deepEqual(master.events[0]!.start, { date: '2026-03-02' });
    const edited = await put(chosen, { uid, title: 'moved holiday', originalStart: { date: '2026-03-09' }, start: { date: '2026-03-10' }, end: { date: '2026-03-11' } });
    assert.equal(edited.remoteId, `${master.remoteId}_20260309`);
    const gone = await put(chosen, { uid, status: 'cancelled', originalStart: { date: '2026-03-16' }, start: { date: '2026-03-16' }, end: { date: '2026-03-17' } });
    assert.equal(gone.remoteId, `${master.remoteId}_20260316`);
    const stored = h.control.listStoredEvents(h.calendar.providerCalendarId).map((s) => s.event).filter((e) => e.recurringEventId === master.remoteId);
    assert.deepEqual(stored.map((e) => `${e.id} ${e.originalStartTime?.date} ${e.status}`).sort(), [`${master.remoteId}_20260309 2026-03-09 confirmed`, `${master.remoteId}_20260316 2026-03-16 cancelled`]);
  });

  it('a floating series written before the choice: its occurrence lands on the instance Google expanded in the zone it was written in', async () => {
    const uid = 'chosen-floating@calhub.test';
    const unchosen: RemoteCalendarRef = { providerCalendarId: h.calendar.providerCalendarId, timeZone: 'Europe/Berlin' };
    const master = await put(unchosen, { uid, title: 'standup', start: { local: '2026-03-02T09:00:00' }, end: { local: '2026-03-02T09:15:00' }, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } });
    // 09:00 in Berlin is 08:00Z: Google's instance id for the 9th.
    const edited = await put(chosen, { uid, title: 'standup (moved)', originalStart: { local: '2026-03-09T09:00:00' }, start: { local: '2026-03-09T10:00:00' }, end: { local: '2026-03-09T10:15:00' } });
    assert.equal(edited.remoteId, `${master.remoteId}_20260309T080000Z`);
    assert.deepEqual(edited.events[0]!.originalStart, { dateTime: '2026-03-09T08:00:00Z', timeZone: 'Europe/Berlin' });
  });

  it('a floating write is held at the instant the hub counts: in the chosen zone', async () => {
    const o = await put(chosen, { uid: 'chosen-float-single@calhub.test', title: 'call', start: { local: '2026-03-05T09:00:00' }, end: { local: '2026-03-05T10:00:00' } });
    assert.deepEqual(o.events[0]!.start, { dateTime: '2026-03-05T17:00:00Z', timeZone: 'America/Los_Angeles' });
  });

  it('a time Google holds with an offset and no zone reads in Google\'s zone, whatever the tenant chose', async () => {
    const made = h.control.insertEvent(h.calendar.providerCalendarId, { summary: 'offset only', iCalUID: 'chosen-offset@calhub.test', start: { dateTime: '2026-03-06T09:00:00+01:00' }, end: { dateTime: '2026-03-06T10:00:00+01:00' } });
    const read = await h.connector.getObject(h.ctx, chosen, made.id);
    assert.deepEqual(read.events[0]!.start, { dateTime: '2026-03-06T08:00:00Z', timeZone: 'Europe/Berlin' });
  });
});
