import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentHash, parseEvent, validateForWrite } from '../../shared/model/index.ts';
import { toGoogleEvent, instanceSuffix } from './map-canonical-event.ts';
import { mapGoogleEvent, type GoogleEvent } from './map-google-event.ts';
import { formatGoogleRecurrence, parseGoogleRecurrence } from './recurrence.ts';
import { localToUtcMs } from '../../shared/time/index.ts';

const base: GoogleEvent = {
  kind: 'calendar#event',
  id: 'abc123def',
  etag: '"3181"',
  iCalUID: 'uid-1@example.com',
  status: 'confirmed',
  updated: '2026-01-02T03:04:05.000Z',
  sequence: 2,
  start: { dateTime: '2026-03-02T10:00:00+01:00', timeZone: 'Europe/Berlin' },
  end: { dateTime: '2026-03-02T11:00:00+01:00', timeZone: 'Europe/Berlin' },
};

describe('mapGoogleEvent (Google → canonical)', () => {
  it('timed: offset dateTime → UTC instant + IANA zone; identity and version fields', () => {
    const e = mapGoogleEvent(base, 'UTC');
    assert.deepEqual(e.start, { dateTime: '2026-03-02T09:00:00Z', timeZone: 'Europe/Berlin' });
    assert.equal(e.uid, 'uid-1@example.com');
    assert.equal(e.providerEventId, 'abc123def');
    assert.equal(e.providerVersion, '"3181"');
    assert.equal(e.providerUpdatedAt, '2026-01-02T03:04:05.000Z');
    assert.equal(e.sequence, 2);
  });

  it('timed without timeZone takes the calendar zone', () => {
    const e = mapGoogleEvent({ ...base, start: { dateTime: '2026-03-02T10:00:00Z' }, end: { dateTime: '2026-03-02T11:00:00Z' } }, 'America/New_York');
    assert.deepEqual(e.start, { dateTime: '2026-03-02T10:00:00Z', timeZone: 'America/New_York' });
  });

  it("empty title, description and location (what calhub writes to clear them) read back as null, as written", () => {
    const written = parseEvent({ uid: 'u@x', start: { dateTime: '2026-03-02T09:00:00Z', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-03-02T10:00:00Z', timeZone: 'Europe/Berlin' } });
    const body = toGoogleEvent(written, { providerCalendarId: 'primary', timeZone: 'UTC' } as Parameters<typeof toGoogleEvent>[1]);
    assert.deepEqual([body.summary, body.description, body.location], ['', '', '']);
    const e = mapGoogleEvent({ ...base, summary: body.summary, description: body.description, location: body.location }, 'UTC');
    assert.deepEqual([e.title, e.description, e.location], [null, null, null]);
    assert.deepEqual([written.title, written.description, written.location], [null, null, null]);
  });

  it('a mirror copy is written with no reminders; the person\'s own event keeps the calendar\'s defaults', () => {
    const ev = { ...parseEvent({ uid: 'r1', start: { dateTime: '2026-07-01T08:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-07-01T09:00:00Z', timeZone: 'UTC' } }) };
    const cal = { providerCalendarId: 'primary', timeZone: 'UTC' } as Parameters<typeof toGoogleEvent>[1];
    assert.deepEqual(toGoogleEvent({ ...ev, provenance: { hub: 'calhub', tenantId: 't', sourceEventId: 's', ruleId: 'r' } }, cal).reminders, { useDefault: false });
    assert.equal(toGoogleEvent(ev, cal).reminders, undefined);
  });

  it('all-day keeps dates (end exclusive)', () => {
    const e = mapGoogleEvent({ ...base, start: { date: '2026-03-02' }, end: { date: '2026-03-04' } }, 'UTC');
    assert.deepEqual([e.start, e.end], [{ date: '2026-03-02' }, { date: '2026-03-04' }]);
  });

  const cases: Array<[string, Partial<GoogleEvent>, (e: ReturnType<typeof mapGoogleEvent>) => unknown, unknown]> = [
    ['transparent → free', { transparency: 'transparent' }, (e) => e.availability, 'free'],
    ['opaque → busy', { transparency: 'opaque' }, (e) => e.availability, 'busy'],
    ['outOfOffice → oof', { eventType: 'outOfOffice' }, (e) => e.availability, 'oof'],
    ['workingLocation → workingElsewhere', { eventType: 'workingLocation' }, (e) => e.availability, 'workingElsewhere'],
    ['tentative status', { status: 'tentative' }, (e) => e.status, 'tentative'],
    ['private visibility', { visibility: 'private' }, (e) => e.visibility, 'private'],
    ['hangoutLink → conferenceUrl', { hangoutLink: 'https://meet.google.com/x' }, (e) => e.conferenceUrl, 'https://meet.google.com/x'],
    ['conferenceData video entry → conferenceUrl', { conferenceData: { entryPoints: [{ entryPointType: 'phone', uri: 'tel:+1' }, { entryPointType: 'video', uri: 'https://zoom.us/j/1' }] } }, (e) => e.conferenceUrl, 'https://zoom.us/j/1'],
    ['summary/description/location', { summary: 'T', description: '<b>D</b>', location: 'L' }, (e) => [e.title, e.description, e.location], ['T', '<b>D</b>', 'L']],
    [
      'attendees incl. self and optional',
      { attendees: [{ email: 'me@x', self: true, responseStatus: 'declined' }, { email: 'bob@x', displayName: 'Bob', optional: true }] },
      (e) => e.attendees,
      [
        { email: 'me@x', name: null, response: 'declined', optional: false, self: true },
        { email: 'bob@x', name: 'Bob', response: 'needsAction', optional: true, self: false },
      ],
    ],
    ['organizer of an invitation is kept', { organizer: { email: 'boss@x', displayName: 'Boss' }, attendees: [{ email: 'me@x', self: true }] }, (e) => e.organizer, { email: 'boss@x', name: 'Boss' }],
    ['own calendar as organizer of a personal event is dropped', { organizer: { email: 'me@x', self: true } }, (e) => e.organizer, null],
    [
      'provenance from extendedProperties.private',
      { extendedProperties: { private: { calhubHub: 'calhub', calhubTenant: 't1', calhubSource: 'ev-9', calhubRule: 'r2' } } },
      (e) => e.provenance,
      { hub: 'calhub', tenantId: 't1', sourceEventId: 'ev-9', ruleId: 'r2' },
    ],
    ['foreign private properties are no provenance', { extendedProperties: { private: { other: 'x' } } }, (e) => e.provenance, null],
  ];
  for (const [name, patch, pick, expected] of cases) it(name, () => assert.deepEqual(pick(mapGoogleEvent({ ...base, ...patch }, 'UTC')), expected));

  it('an exception maps to an override with originalStart', () => {
    const e = mapGoogleEvent({ ...base, id: 'abc123def_20260302T090000Z', recurringEventId: 'abc123def', originalStartTime: { dateTime: '2026-03-02T10:00:00+01:00', timeZone: 'Europe/Berlin' } }, 'UTC');
    assert.deepEqual(e.originalStart, { dateTime: '2026-03-02T09:00:00Z', timeZone: 'Europe/Berlin' });
    assert.equal(e.recurrence, null);
  });

  it('a minimal cancelled instance becomes a cancelled override in its original slot', () => {
    const e = mapGoogleEvent({ id: 'm_20260302', etag: '"1"', status: 'cancelled', recurringEventId: 'm', originalStartTime: { date: '2026-03-02' } }, 'UTC', 'series@x');
    assert.equal(e.status, 'cancelled');
    assert.equal(e.uid, 'series@x');
    assert.deepEqual([e.originalStart, e.start], [{ date: '2026-03-02' }, { date: '2026-03-02' }]);
  });

  // Found by the mixed series model: an all-day slot that ended on its start day broke the write
  // rules, so the mirror skipped the whole copy of a series with a cancelled all-day instance.
  it('a cancelled all-day instance keeps its whole day; a timed one its start instant', () => {
    const day = mapGoogleEvent({ id: 'm_20260302', etag: '"1"', status: 'cancelled', recurringEventId: 'm', originalStartTime: { date: '2026-03-02' } }, 'UTC', 'series@x');
    assert.deepEqual(day.end, { date: '2026-03-03' });
    assert.doesNotThrow(() => validateForWrite(day));
    const slot = { dateTime: '2026-03-02T09:00:00Z', timeZone: 'UTC' };
    const timed = mapGoogleEvent({ id: 'm_20260302T090000Z', etag: '"1"', status: 'cancelled', recurringEventId: 'm', originalStartTime: slot }, 'UTC', 'series@x');
    assert.deepEqual(timed.end, slot);
    assert.doesNotThrow(() => validateForWrite(timed));
  });

  // events.get returns a cancelled instance with its times, the listing without (A.2): both read
  // the same, so a cancellation the hub pushed equals what the next listing shows.
  it('a cancelled instance sent with its times reads as the minimal one does', () => {
    const slot = { dateTime: '2026-03-02T09:00:00Z', timeZone: 'UTC' };
    const full = mapGoogleEvent({ id: 'm_20260302T090000Z', etag: '"2"', status: 'cancelled', recurringEventId: 'm', summary: 'Standup', originalStartTime: slot, start: slot, end: { dateTime: '2026-03-02T09:30:00Z', timeZone: 'UTC' } }, 'UTC', 'series@x');
    const thin = mapGoogleEvent({ id: 'm_20260302T090000Z', etag: '"2"', status: 'cancelled', recurringEventId: 'm', originalStartTime: slot }, 'UTC', 'series@x');
    assert.deepEqual(full, thin);
  });
});

describe('recurrence lines', () => {
  it('reads RRULE, TZID / UTC / DATE EXDATEs and RDATEs', () => {
    const r = parseGoogleRecurrence(['RRULE:FREQ=WEEKLY;BYDAY=MO', 'EXDATE;TZID=Europe/Berlin:20260309T100000,20260316T100000', 'EXDATE:20260323T090000Z', 'RDATE;VALUE=DATE:20260401'], 'Europe/Berlin');
    assert.deepEqual(r.rrules, ['FREQ=WEEKLY;BYDAY=MO']);
    assert.deepEqual(r.exdates, [
      { dateTime: '2026-03-09T09:00:00Z', timeZone: 'Europe/Berlin' },
      { dateTime: '2026-03-16T09:00:00Z', timeZone: 'Europe/Berlin' },
      { dateTime: '2026-03-23T09:00:00Z', timeZone: 'Europe/Berlin' },
    ]);
    assert.deepEqual(r.rdates, [{ date: '2026-04-01' }]);
  });

  it('writes EXDATEs in the series zone and reads them back', () => {
    const rec = { rrules: ['FREQ=DAILY'], exdates: [{ dateTime: '2026-07-01T08:00:00Z', timeZone: 'Europe/Berlin' }], rdates: [{ date: '2026-07-09' }] };
    const lines = formatGoogleRecurrence(rec, 'Europe/Berlin');
    assert.deepEqual(lines, ['RRULE:FREQ=DAILY', 'EXDATE;TZID=Europe/Berlin:20260701T100000', 'RDATE;VALUE=DATE:20260709']);
    assert.deepEqual(parseGoogleRecurrence(lines, 'Europe/Berlin'), rec);
  });
});

describe('toGoogleEvent (canonical → Google)', () => {
  const cal = { providerCalendarId: 'c', timeZone: 'Europe/Berlin' };
  it('maps every writable field and the provenance stamp', () => {
    const ev = parseEvent({
      uid: 'u@x',
      start: { dateTime: '2026-03-02T09:00:00Z', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2026-03-02T10:00:00Z', timeZone: 'Europe/Berlin' },
      availability: 'free',
      visibility: 'private',
      title: 'T',
      attendees: [{ email: 'bob@x', response: 'accepted', optional: true }],
      recurrence: { rrules: ['FREQ=DAILY;COUNT=2'] },
      provenance: { hub: 'calhub', tenantId: 't', sourceEventId: 's', ruleId: null },
    });
    const g = toGoogleEvent(ev, cal);
    assert.equal(g.transparency, 'transparent');
    assert.equal(g.visibility, 'private');
    assert.deepEqual(g.recurrence, ['RRULE:FREQ=DAILY;COUNT=2']);
    assert.deepEqual(g.attendees, [{ email: 'bob@x', responseStatus: 'accepted', optional: true }]);
    assert.deepEqual(g.extendedProperties, { private: { calhubHub: 'calhub', calhubTenant: 't', calhubSource: 's' } });
    const back = mapGoogleEvent({ ...g, id: 'x1234', iCalUID: 'u@x' }, 'Europe/Berlin');
    assert.equal(contentHash(back), contentHash(ev));
  });

  it('floating and all-day times', () => {
    const g = toGoogleEvent(parseEvent({ uid: 'u', start: { local: '2026-03-02T10:00:00' }, end: { local: '2026-03-02T11:00:00' } }), cal);
    assert.deepEqual(g.start, { dateTime: '2026-03-02T10:00:00', timeZone: 'Europe/Berlin' });
    const d = toGoogleEvent(parseEvent({ uid: 'u', start: { date: '2026-03-02' }, end: { date: '2026-03-03' } }), cal);
    assert.deepEqual(d.end, { date: '2026-03-03' });
  });

  it('instance ids follow Google: UTC basic time, or the date for all-day', () => {
    assert.equal(instanceSuffix({ dateTime: '2026-03-02T09:00:00Z', timeZone: 'Europe/Berlin' }, 'UTC', localToUtcMs), '20260302T090000Z');
    assert.equal(instanceSuffix({ date: '2026-03-02' }, 'UTC', localToUtcMs), '20260302');
    assert.equal(instanceSuffix({ local: '2026-03-02T10:00:00' }, 'Europe/Berlin', localToUtcMs), '20260302T090000Z');
  });
});
