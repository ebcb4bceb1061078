/* eslint-disable @typescript-eslint/no-explicit-any */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentHash, parseEvent } from '../../shared/model/index.ts';
import { UnsupportedError } from '../errors.ts';
import { fromGraph, PROVENANCE_PROP, toGraph, UID_PROP, type GraphEvent } from './map-microsoft-event.ts';

const owner = 'megan@contoso.test';
const base: GraphEvent = {
  id: 'AAk1', '@odata.etag': 'W/"ck1"', type: 'singleInstance', iCalUId: '040000008200E001', subject: 'Review',
  body: { contentType: 'text', content: 'agenda' }, originalStartTimeZone: 'Pacific Standard Time', originalEndTimeZone: 'Pacific Standard Time',
  start: { dateTime: '2026-07-01T16:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-07-01T17:00:00.0000000', timeZone: 'UTC' },
  isAllDay: false, isCancelled: false, showAs: 'tentative', sensitivity: 'personal', location: { displayName: 'Room 1' },
  attendees: [
    { type: 'required', emailAddress: { address: 'MEGAN@contoso.test', name: 'Megan' }, status: { response: 'declined' } },
    { type: 'optional', emailAddress: { address: 'lee@contoso.test' }, status: { response: 'tentativelyAccepted' } },
  ],
  organizer: { emailAddress: { address: 'boss@contoso.test', name: 'Boss' } },
  onlineMeeting: { joinUrl: 'https://teams.example/join/1' },
  lastModifiedDateTime: '2026-06-01T10:00:00.1234567Z',
};

describe('Graph event ⇄ canonical', () => {
  it('reads UTC wire times into instants in the IANA zone of originalStartTimeZone', () => {
    const e = fromGraph(base, { ownerEmail: owner });
    assert.deepEqual(e.start, { dateTime: '2026-07-01T16:00:00Z', timeZone: 'America/Los_Angeles' });
    assert.equal(e.providerVersion, 'W/"ck1"');
    assert.equal(e.uid, '040000008200E001', 'without calhub markers the iCalUId is the UID');
    assert.equal(e.providerUpdatedAt, '2026-06-01T10:00:00.123Z');
    parseEvent(e);
  });

  it('maps showAs, sensitivity, attendees (self = the mailbox owner), organizer and the Teams link', () => {
    const e = fromGraph(base, { ownerEmail: owner });
    assert.equal(e.availability, 'tentative');
    assert.equal(e.visibility, 'private');
    assert.deepEqual(e.attendees.map((a) => [a.response, a.optional, a.self]), [['declined', false, true], ['tentative', true, false]]);
    assert.equal(e.organizer?.email, 'boss@contoso.test');
    assert.equal(e.conferenceUrl, 'https://teams.example/join/1');
    assert.equal(fromGraph({ ...base, attendees: [] }, { ownerEmail: owner }).organizer, null, 'no attendees, no organizer');
    assert.equal(fromGraph({ ...base, isCancelled: true }, { ownerEmail: owner }).status, 'cancelled');
  });

  it('reads all-day events as dates and the calhub UID and provenance from extended properties', () => {
    const e = fromGraph({
      ...base, isAllDay: true, start: { dateTime: '2026-07-01T00:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-07-03T00:00:00.0000000', timeZone: 'UTC' },
      singleValueExtendedProperties: [{ id: UID_PROP, value: 'uid-1@calhub' }, { id: PROVENANCE_PROP, value: JSON.stringify({ hub: 'calhub', tenantId: 't', sourceEventId: 's', ruleId: 'r' }) }],
    }, { ownerEmail: owner });
    assert.deepEqual([e.start, e.end], [{ date: '2026-07-01' }, { date: '2026-07-03' }]);
    assert.equal(e.uid, 'uid-1@calhub');
    assert.deepEqual(e.provenance, { hub: 'calhub', tenantId: 't', sourceEventId: 's', ruleId: 'r' });
  });

  it('reads a series master with cancelledOccurrences as RRULE + EXDATEs, and an exception as an override of its UID', () => {
    const master: GraphEvent = {
      ...base, id: 'M', type: 'seriesMaster', transactionId: 'series@calhub', originalStartTimeZone: 'W. Europe Standard Time',
      start: { dateTime: '2026-11-02T08:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-11-02T09:00:00.0000000', timeZone: 'UTC' },
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'sunday' }, range: { type: 'numbered', startDate: '2026-11-02', numberOfOccurrences: 4, recurrenceTimeZone: 'W. Europe Standard Time' } },
      cancelledOccurrences: ['OID.M.2026-11-09'],
    };
    const m = fromGraph(master, { ownerEmail: owner });
    assert.deepEqual(m.recurrence, { rrules: ['FREQ=WEEKLY;BYDAY=MO;COUNT=4'], exdates: [{ dateTime: '2026-11-09T08:00:00Z', timeZone: 'Europe/Berlin' }], rdates: [] });
    const ex = fromGraph({ ...base, id: 'X', type: 'exception', seriesMasterId: 'M', originalStart: '2026-11-16T08:00:00Z', originalStartTimeZone: 'W. Europe Standard Time' }, { ownerEmail: owner, master });
    assert.equal(ex.uid, 'series@calhub');
    assert.deepEqual(ex.originalStart, { dateTime: '2026-11-16T08:00:00Z', timeZone: 'Europe/Berlin' });
  });

  it('writes Windows zones and wall times, the UID as transactionId and extended property, and reads back the same content', () => {
    const e = parseEvent({
      uid: 'w1@calhub', title: 'Sync', description: 'notes', start: { dateTime: '2026-07-01T08:00:00Z', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2026-07-01T09:00:00Z', timeZone: 'Europe/Berlin' }, availability: 'oof', visibility: 'confidential',
      provenance: { hub: 'calhub', tenantId: 't', sourceEventId: 'e1' },
    });
    const body = toGraph(e, 'Europe/Berlin', { create: true }) as Record<string, any>;
    assert.deepEqual(body.start, { dateTime: '2026-07-01T10:00:00', timeZone: 'W. Europe Standard Time' });
    assert.equal(body.transactionId, 'w1@calhub');
    assert.equal(body.showAs, 'oof');
    assert.equal(body.sensitivity, 'confidential');
    assert.equal(body.isReminderOn, false, 'a mirror copy does not ring again');
    assert.equal((toGraph({ ...e, provenance: null }, 'Europe/Berlin', { create: true }) as Record<string, any>).isReminderOn, undefined, "the person's own event keeps Outlook's reminder");
    const echoed: GraphEvent = {
      id: 'N', type: 'singleInstance', originalStartTimeZone: body.start.timeZone, originalEndTimeZone: body.end.timeZone, transactionId: body.transactionId,
      subject: body.subject, body: body.body, showAs: body.showAs, sensitivity: body.sensitivity, location: body.location, attendees: [],
      start: { dateTime: '2026-07-01T08:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-07-01T09:00:00.0000000', timeZone: 'UTC' },
      singleValueExtendedProperties: body.singleValueExtendedProperties,
    };
    assert.equal(contentHash(fromGraph(echoed, { ownerEmail: owner })), contentHash(e));
  });

  it('writes all-day and floating times in the calendar zone, and refuses zones Windows does not know', () => {
    const allDay = toGraph(parseEvent({ uid: 'a', start: { date: '2026-07-01' }, end: { date: '2026-07-02' } }), 'America/New_York', { create: false }) as Record<string, any>;
    assert.deepEqual([allDay.start, allDay.isAllDay], [{ dateTime: '2026-07-01T00:00:00', timeZone: 'Eastern Standard Time' }, true]);
    const floating = toGraph(parseEvent({ uid: 'f', start: { local: '2026-07-01T09:00:00' }, end: { local: '2026-07-01T10:00:00' } }), 'Asia/Kolkata', { create: false }) as Record<string, any>;
    assert.deepEqual(floating.start, { dateTime: '2026-07-01T09:00:00', timeZone: 'India Standard Time' });
    assert.throws(() => toGraph(parseEvent({ uid: 'z', start: { dateTime: '2026-07-01T08:00:00Z', timeZone: 'Mars/Olympus' }, end: { dateTime: '2026-07-01T09:00:00Z', timeZone: 'Mars/Olympus' } }), 'UTC', { create: true }), UnsupportedError);
  });
});
