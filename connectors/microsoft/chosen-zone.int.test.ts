/**
 * A Graph calendar whose zone the tenant chose (America/Los_Angeles) over the mailbox's
 * (Europe/Berlin): an all-day series held in the mailbox's zone still has its occurrences found
 * by date, all-day writes stay in the mailbox's zone, floating ones land in the chosen zone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import type { RemoteCalendarRef } from '../connector.ts';
import { startMicrosoftTestbed, type MicrosoftTestbed } from './test-support.ts';

const UID = 'chosen-allday@calhub.test';
const day = (d: number) => ({ date: `2027-03-${String(d).padStart(2, '0')}` });
const series = (exdates: { date: string }[] = []) =>
  parseEvent({ uid: UID, title: 'holiday', start: day(1), end: day(2), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'], exdates, rdates: [] } });

describe('microsoft connector: a chosen calendar zone', () => {
  let t: MicrosoftTestbed;
  let chosen: RemoteCalendarRef;
  let masterId = '';
  before(async () => {
    t = await startMicrosoftTestbed({ timeZone: 'Europe/Berlin' });
    chosen = { providerCalendarId: t.calendar.providerCalendarId, timeZone: 'America/Los_Angeles', providerTimeZone: 'Europe/Berlin' };
    // Made before the choice, as Outlook makes one: all-day in the mailbox's zone.
    masterId = (await t.connector.putObject(t.ctx, t.calendar, { remoteId: null, events: [series()] }, { ifNoneMatch: '*' })).remoteId;
  });
  after(async () => t?.emu.close());

  const view = () =>
    t.emu.control.calendarView({ userId: t.userId, calendarId: t.calendar.providerCalendarId, start: '2027-02-27T00:00:00Z', end: '2027-03-30T00:00:00Z' })
      .filter((e) => e.isAllDay === true)
      .map((e) => `${String(e.type)} ${String((e.start as { dateTime: string }).dateTime).slice(0, 10)} ${String(e.subject)}`)
      .sort();

  it('an occurrence edit and a cancel of an all-day series land on the occurrences of their dates', async () => {
    const moved = parseEvent({ uid: UID, title: 'moved holiday', originalStart: day(8), start: day(9), end: day(10) });
    await t.connector.putObject(t.ctx, chosen, { remoteId: null, events: [moved] }, { ifNoneMatch: '*' });
    const current = await t.connector.getObject(t.ctx, chosen, masterId);
    await t.connector.putObject(t.ctx, chosen, { remoteId: masterId, events: [series([day(15)])], current: current.events }, { ifMatch: current.version! });
    assert.deepEqual(view(), ['exception 2027-03-09 moved holiday', 'occurrence 2027-03-01 holiday', 'occurrence 2027-03-22 holiday']);
  });

  it('an all-day event is written in the mailbox\'s zone, a floating one in the chosen zone', async () => {
    const allDay = await t.connector.putObject(t.ctx, chosen, { remoteId: null, events: [parseEvent({ uid: 'chosen-day@calhub.test', start: day(24), end: day(25) })] }, { ifNoneMatch: '*' });
    const held = t.emu.control.calendarView({ userId: t.userId, calendarId: t.calendar.providerCalendarId, start: '2027-03-23T00:00:00Z', end: '2027-03-26T00:00:00Z' })
      .find((e) => e.id === allDay.remoteId || (e as { transactionId?: string }).transactionId === 'chosen-day@calhub.test');
    assert.equal(held?.originalStartTimeZone, 'W. Europe Standard Time');
    assert.deepEqual(allDay.events[0]!.start, day(24));
    const floating = await t.connector.putObject(t.ctx, chosen, { remoteId: null, events: [parseEvent({ uid: 'chosen-float@calhub.test', start: { local: '2027-03-05T09:00:00' }, end: { local: '2027-03-05T10:00:00' } })] }, { ifNoneMatch: '*' });
    assert.deepEqual(floating.events[0]!.start, { dateTime: '2027-03-05T17:00:00Z', timeZone: 'America/Los_Angeles' });
  });
});
