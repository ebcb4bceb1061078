/**
 * A VTIMEZONE calhub writes covers its events' own dates: each observance starts at its DTSTART
 * (RFC 5545 §3.6.5), and one made from the year's changes alone began in March, leaving the
 * January events it was written for without a defined offset.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import ICAL from 'ical.js';
import { vtimezoneLines } from './zones.ts';

test('the first observance starts before the year it is written for, with the offset that holds then', () => {
  for (const [zone, january] of [['Europe/Berlin', '+0100'], ['America/New_York', '-0500'], ['Australia/Sydney', '+1100'], ['Asia/Tokyo', '+0900']] as const) {
    const lines = vtimezoneLines(zone, 2027);
    const starts = lines.filter((l) => l.startsWith('DTSTART:')).map((l) => l.slice(8));
    assert.ok(starts.some((d) => d <= '20270101T000000'), `${zone}: an observance holds on 2027-01-01 (${starts.join(', ')})`);
    const comp = new ICAL.Component(ICAL.parse(['BEGIN:VCALENDAR', ...lines, 'END:VCALENDAR'].join('\r\n')));
    const tz = new ICAL.Timezone(comp.getFirstSubcomponent('vtimezone')!);
    const t = ICAL.Time.fromData({ year: 2027, month: 1, day: 12, hour: 10, minute: 0, second: 0, isDate: false }, tz);
    const offset = t.utcOffset() / 60;
    assert.equal(`${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}${String(Math.abs(offset) % 60).padStart(2, '0')}`, january, zone);
  }
});
