/**
 * Data RFC 5545 forbids but calendars hold: the item is kept, read as well-behaved clients read
 * it, and the fallback is named in `warnings` (the sync run logs them with the item's remote id).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandSeries } from '../../../shared/time/index.ts';
import { toChange } from '../objects.ts';
import { parseCalendarObject } from './parse.ts';

const wrap = (lines: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:odd@test\r\nDTSTAMP:20260101T000000Z\r\n${lines}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const busy = (e: ReturnType<typeof parseCalendarObject>['events'][number], zone = 'America/New_York') =>
  expandSeries({ master: e, overrides: [], calendarTimeZone: zone, window: { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') } })
    .map((o) => [new Date(o.startMs).toISOString(), new Date(o.endMs).toISOString()]);

describe('CalDAV fallbacks', () => {
  it('a timed DTEND before DTSTART: read as no DTEND (ends when it starts), with a warning', () => {
    const r = parseCalendarObject(wrap('DTSTART;TZID=Europe/Berlin:20261110T090000\r\nDTEND;TZID=Europe/Berlin:20261110T080000'));
    assert.deepEqual([r.events[0]!.start, r.events[0]!.end], [{ dateTime: '2026-11-10T08:00:00Z', timeZone: 'Europe/Berlin' }, { dateTime: '2026-11-10T08:00:00Z', timeZone: 'Europe/Berlin' }]);
    assert.match(r.warnings.join('\n'), /VEVENT odd@test: DTEND is not after DTSTART .* ends when it starts/);
  });

  it('an all-day DTEND on or before DTSTART: one day, as without DTEND (was zero days, which no write takes back)', () => {
    for (const dtend of ['20261108', '20261110']) {
      const r = parseCalendarObject(wrap(`DTSTART;VALUE=DATE:20261110\r\nDTEND;VALUE=DATE:${dtend}`));
      assert.deepEqual([r.events[0]!.start, r.events[0]!.end], [{ date: '2026-11-10' }, { date: '2026-11-11' }], dtend);
      assert.match(r.warnings.join('\n'), /one day/);
    }
  });

  it('a well-formed event has no warnings', () => {
    assert.deepEqual(parseCalendarObject(wrap('DTSTART;TZID=Europe/Berlin:20261110T090000\r\nDTEND;TZID=Europe/Berlin:20261110T100000')).warnings, []);
  });

  it('an unknown TZID without VTIMEZONE: kept, read as floating (the calendar zone\'s wall clock), with a warning', () => {
    const r = parseCalendarObject(wrap('DTSTART;TZID=Office Time:20261110T090000\r\nDTEND;TZID=Office Time:20261110T100000'));
    assert.deepEqual(r.events[0]!.start, { local: '2026-11-10T09:00:00' });
    assert.deepEqual(busy(r.events[0]!), [['2026-11-10T14:00:00.000Z', '2026-11-10T15:00:00.000Z']], '09:00 in a New York calendar');
    assert.deepEqual(r.warnings, ['TZID "Office Time" is neither an IANA nor a Windows zone and has no VTIMEZONE in the object: its times are read as floating (in the calendar\'s time zone)']);
  });

  it('passes the warnings on with the change', () => {
    const dav = { limits: { maxItemBytes: 1_000_000 } } as unknown as Parameters<typeof toChange>[0]['dav'];
    const c = toChange({ dav, calendarUrl: 'https://dav.test/cal/', selfAddresses: [] }, '/cal/odd.ics', '"1"', wrap('DTSTART;TZID=Nowhere:20261110T090000\r\nDTEND;TZID=Nowhere:20261110T100000'));
    assert.equal(c.kind, 'upsert');
    assert.match((c as { warnings?: string[] }).warnings?.[0] ?? '', /TZID "Nowhere"/);
  });
});
