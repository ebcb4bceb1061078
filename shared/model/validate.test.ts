import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent, type CanonicalEventInput } from './index.ts';
import { validateForWrite, MAX_COUNT } from './validate.ts';

const zoned = (iso: string, timeZone = 'Europe/Berlin') => ({ dateTime: iso, timeZone });
const base: CanonicalEventInput = { uid: 'u1', start: zoned('2026-03-02T09:00:00Z'), end: zoned('2026-03-02T10:00:00Z') };
const check = (over: Partial<CanonicalEventInput>) => () => validateForWrite(parseEvent({ ...base, ...over }));
const refused = (over: Partial<CanonicalEventInput>, code: string, msg?: RegExp) =>
  assert.throws(check(over), (e: { code?: string; message?: string }) => e.code === code && (!msg || msg.test(e.message ?? '')), `${JSON.stringify(over)} should be ${code}`);

// Issue 18: the API accepted events it could not honour.
describe('event validation before any write', () => {
  it('accepts ordinary events and series', () => {
    check({})();
    check({ recurrence: { rrules: ['FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10'] } })();
    check({ recurrence: { rrules: ['FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20271231T000000Z'], exdates: [zoned('2026-04-24T08:00:00Z')] } })();
    check({ start: { date: '2026-02-28' }, end: { date: '2026-03-01' } })();
    check({ start: { local: '2026-03-02T09:00:00' }, end: { local: '2026-03-02T09:00:00' } })(); // zero length is allowed
    check({ start: { date: '2028-02-29' }, end: { date: '2028-03-01' } })(); // a leap day
  });

  it('refuses RRULE grammar errors and unknown values', () => {
    refused({ recurrence: { rrules: ['FREQ=FOO'] } }, 'RRULE_INVALID', /FREQ/);
    refused({ recurrence: { rrules: ['FREQ=WEEKLY;BYDAY=XX'] } }, 'RRULE_INVALID', /BYDAY/);
    refused({ recurrence: { rrules: ['FREQ=DAILY;INTERVAL=0'] } }, 'RRULE_INVALID', /INTERVAL/);
    refused({ recurrence: { rrules: ['FREQ=DAILY;BYFOO=1'] } }, 'RRULE_INVALID', /BYFOO/);
    refused({ recurrence: { rrules: ['FREQ=DAILY;COUNT=3;UNTIL=20270101T000000Z'] } }, 'RRULE_INVALID', /COUNT and UNTIL/);
    refused({ recurrence: { rrules: ['FREQ=MONTHLY;BYMONTHDAY=32'] } }, 'RRULE_INVALID', /BYMONTHDAY/);
    refused({ recurrence: { rrules: ['COUNT=3'] } }, 'RRULE_INVALID', /FREQ/);
  });

  it('refuses series too large to expand', () => {
    refused({ recurrence: { rrules: ['FREQ=DAILY;COUNT=1000000000'] } }, 'RRULE_TOO_LARGE', /COUNT/);
    refused({ recurrence: { rrules: [`FREQ=DAILY;COUNT=${MAX_COUNT + 1}`] } }, 'RRULE_TOO_LARGE');
    check({ recurrence: { rrules: [`FREQ=DAILY;COUNT=${MAX_COUNT}`] } })();
    refused({ recurrence: { rrules: ['FREQ=SECONDLY'] } }, 'RRULE_TOO_LARGE', /SECONDLY/);
    refused({ recurrence: { rrules: Array.from({ length: 11 }, () => 'FREQ=DAILY;COUNT=2') } }, 'RRULE_TOO_LARGE');
    refused({ recurrence: { rrules: ['FREQ=DAILY'], exdates: Array.from({ length: 2001 }, (_, i) => zoned(new Date(Date.UTC(2026, 3, 1) + i * 86_400_000).toISOString().replace('.000', ''))) } }, 'RRULE_TOO_LARGE');
  });

  it('refuses dates that do not exist', () => {
    refused({ start: { date: '2026-02-30' }, end: { date: '2026-03-01' } }, 'DATE_INVALID', /2026-02-30/);
    refused({ start: { date: '2027-02-29' }, end: { date: '2027-03-01' } }, 'DATE_INVALID');
    refused({ start: { local: '2026-03-02T24:30:00' }, end: { local: '2026-03-02T25:00:00' } }, 'DATE_INVALID');
    refused({ start: zoned('2026-13-02T09:00:00Z'), end: zoned('2026-13-02T10:00:00Z') }, 'DATE_INVALID');
    refused({ recurrence: { rrules: ['FREQ=DAILY'], exdates: [{ date: '2026-04-31' }] }, start: { date: '2026-04-01' }, end: { date: '2026-04-02' } }, 'DATE_INVALID', /exdates/);
    refused({ start: zoned('0000-01-01T09:00:00Z'), end: zoned('0000-01-01T10:00:00Z') }, 'DATE_INVALID');
  });

  it('refuses unknown zones', () => {
    refused({ start: zoned('2026-03-02T09:00:00Z', 'Mars/Olympus'), end: zoned('2026-03-02T10:00:00Z', 'Mars/Olympus') }, 'ZONE_UNKNOWN', /Mars\/Olympus/);
    refused({ end: zoned('2026-03-02T10:00:00Z', 'Not a zone') }, 'ZONE_UNKNOWN');
    check({ start: zoned('2026-03-02T09:00:00Z', 'UTC'), end: zoned('2026-03-02T10:00:00Z', 'America/Argentina/Buenos_Aires') })();
  });

  it('refuses an end before the start', () => {
    refused({ end: zoned('2026-03-02T08:59:59Z') }, 'END_BEFORE_START');
    refused({ start: { date: '2026-03-02' }, end: { date: '2026-03-02' } }, 'END_BEFORE_START', /all-day/);
    refused({ start: { local: '2026-03-02T09:00:00' }, end: { local: '2026-03-02T08:00:00' } }, 'END_BEFORE_START');
  });
});

describe('parseEvent: unknown fields', () => {
  it('are INVALID_REQUEST naming the field and what is known, as the API says it, at any depth', () => {
    const refusedWith = (input: unknown, msg: RegExp) =>
      assert.throws(
        () => parseEvent(input),
        (e: { code?: string; message?: string }) => {
          assert.equal(e.code, 'INVALID_REQUEST', e.message);
          assert.match(e.message ?? '', msg);
          assert.doesNotMatch(e.message ?? '', /Unrecognized/);
          return true;
        },
      );
    refusedWith({ ...base, titel: 'typo' }, /^event\.titel is not a known field; event takes uid, providerEventId, originalStart, start, end, recurrence, .*title/);
    refusedWith({ ...base, attendees: [{ email: 'a@example.com', mail: 'x' }] }, /^event\.attendees\.0\.mail is not a known field; event\.attendees\.0 takes email, name, response, optional, self$/);
    refusedWith({ ...base, recurrence: { rrule: ['FREQ=DAILY'] } }, /^event\.recurrence\.rrule is not a known field; event\.recurrence takes rrules, exdates, rdates$/);
    refusedWith({ ...base, titel: 'a', lokation: 'b' }, /event\.titel is not a known field.*; event\.lokation is not a known field/);
    // A bad value is still VALIDATION_FAILED naming the field.
    assert.throws(() => parseEvent({ ...base, status: 'maybe' }), (e: { code?: string; message?: string }) => e.code === 'VALIDATION_FAILED' && /status/.test(e.message ?? ''));
  });
});
