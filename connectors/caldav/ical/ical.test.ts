import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { busyStatusOf, contentHash, parseEvent, type CanonicalEvent } from '../../../shared/model/index.ts';
import { expandSeries } from '../../../shared/time/index.ts';
import { InvalidRemoteDataError } from '../../errors.ts';
import { parseCalendarObject, serializeCalendarObject } from './index.ts';
import { mergeIntoStored } from './merge.ts';

const FIXTURES = new URL('../../../test/fixtures/ics/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const wrap = (body: string, extra = '') =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n${extra}BEGIN:VEVENT\r\nUID:u1\r\nDTSTAMP:20260101T000000Z\r\n${body}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const one = (ics: string, opts = {}) => {
  const { events } = parseCalendarObject(ics, opts);
  assert.equal(events.length, 1);
  return events[0]!;
};
const hashes = (events: CanonicalEvent[]) => events.map(contentHash);

describe('ical parse', () => {
  it('working elsewhere: Outlook writes it OPAQUE and it reads so; calhub\'s own copy said OPAQUE is the busy block it holds as', () => {
    const t = 'DTSTART:20261118T090000Z\r\nDTEND:20261118T100000Z\r\nX-MICROSOFT-CDO-BUSYSTATUS:WORKINGELSEWHERE';
    const copy = '\r\nX-CALHUB-PROVENANCE:{"tenantId":"t1","sourceEventId":"e1","ruleId":"r1"}';
    assert.equal(one(wrap(`${t}\r\nTRANSP:OPAQUE`)).availability, 'workingElsewhere');
    assert.equal(one(wrap(`${t}\r\nTRANSP:TRANSPARENT${copy}`)).availability, 'workingElsewhere');
    assert.equal(one(wrap(`${t}\r\nTRANSP:OPAQUE${copy}`)).availability, 'busy');
    assert.equal(one(wrap(`${t}${copy}`)).availability, 'busy', 'no TRANSP is OPAQUE (RFC 5545 3.8.2.7)');
  });

  it('reads a Windows TZID as its IANA zone', () => {
    const e = one(fixture('outlook-windows-tzid.ics'));
    assert.deepEqual(e.start, { dateTime: '2026-11-04T12:00:00Z', timeZone: 'Europe/Berlin' });
    assert.deepEqual(e.recurrence?.rrules, ['FREQ=WEEKLY;BYDAY=WE;COUNT=4;INTERVAL=2']);
  });

  it('groups a master and its override under one UID, master first', () => {
    const { events } = parseCalendarObject(fixture('weekly-exdate-override-berlin.ics'));
    assert.equal(events.length, 2);
    assert.equal(events[0]!.originalStart, null);
    assert.deepEqual(events[0]!.recurrence?.exdates, [{ dateTime: '2026-11-09T08:00:00Z', timeZone: 'Europe/Berlin' }]);
    assert.deepEqual(events[1]!.originalStart, { dateTime: '2026-11-16T08:00:00Z', timeZone: 'Europe/Berlin' });
    assert.equal(events[1]!.title, 'Standup moved');
  });

  it('an override listed before its master still comes after it; a UTC RECURRENCE-ID is kept', () => {
    const ics = wrap('RECURRENCE-ID:20261103T100000Z\r\nDTSTART:20261103T120000Z\r\nDTEND:20261103T130000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:u1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261102T100000Z\r\nDTEND:20261102T110000Z\r\nRRULE:FREQ=DAILY;COUNT=3');
    const { events } = parseCalendarObject(ics);
    assert.equal(events[0]!.originalStart, null);
    assert.deepEqual(events[1]!.originalStart, { dateTime: '2026-11-03T10:00:00Z', timeZone: 'UTC' });
  });

  it('RRULE parts get one canonical order, whatever order the server stored', () => {
    const a = one(wrap('DTSTART:20261102T100000Z\r\nRRULE:FREQ=WEEKLY;COUNT=6;BYDAY=MO,WE;WKST=SU'));
    const b = one(wrap('DTSTART:20261102T100000Z\r\nRRULE:WKST=SU;BYDAY=MO,WE;FREQ=WEEKLY;COUNT=6'));
    assert.deepEqual(a.recurrence?.rrules, ['FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6;WKST=SU']);
    assert.equal(contentHash(a), contentHash(b));
  });

  it('DURATION gives the end; RDATEs are kept', () => {
    const e = one(fixture('rdate-and-duration.ics'));
    assert.deepEqual(e.end, { dateTime: '2026-11-03T15:45:00Z', timeZone: 'UTC' });
    assert.equal(e.recurrence?.rdates.length, 2);
  });

  // An outside user's object: the periods' own ends were dropped (16:00–17:00 read as free, the
  // half-hour one as an hour) and lost from the server on the next write.
  it('an RDATE PERIOD of another length than the series is read as an override with the period\'s end; one of the same length stays a plain RDATE', () => {
    const ics = wrap(
      'DTSTART:20261228T100000Z\r\nDTEND:20261228T110000Z\r\nSUMMARY:Clinic\r\n' +
      'RDATE;VALUE=PERIOD:20261229T150000Z/20261229T170000Z,20261230T090000Z/PT30M,20261231T120000Z/PT1H\r\n' +
      'RDATE;TZID=Europe/Berlin;VALUE=PERIOD:20270104T090000/PT2H',
    );
    const { events } = parseCalendarObject(ics);
    const [master, ...overrides] = events;
    assert.equal(master!.recurrence?.rdates.length, 4, 'every period start stays an RDATE');
    assert.deepEqual(overrides.map((o) => [o.originalStart, o.start, o.end, o.title]), [
      [{ dateTime: '2026-12-29T15:00:00Z', timeZone: 'UTC' }, { dateTime: '2026-12-29T15:00:00Z', timeZone: 'UTC' }, { dateTime: '2026-12-29T17:00:00Z', timeZone: 'UTC' }, 'Clinic'],
      [{ dateTime: '2026-12-30T09:00:00Z', timeZone: 'UTC' }, { dateTime: '2026-12-30T09:00:00Z', timeZone: 'UTC' }, { dateTime: '2026-12-30T09:30:00Z', timeZone: 'UTC' }, 'Clinic'],
      [{ dateTime: '2027-01-04T08:00:00Z', timeZone: 'Europe/Berlin' }, { dateTime: '2027-01-04T08:00:00Z', timeZone: 'Europe/Berlin' }, { dateTime: '2027-01-04T10:00:00Z', timeZone: 'Europe/Berlin' }, 'Clinic'],
    ]);
    assert.ok(overrides.every((o) => o.recurrence === null && o.uid === 'u1'));
    // Written back and read again: the same events (an RDATE and a RECURRENCE-ID component each).
    const again = parseCalendarObject(serializeCalendarObject(events)).events;
    assert.deepEqual(hashes(again), hashes(events));
    // Merged into the stored text (an update keeps the other client's lines): the PERIOD RDATEs
    // stay as written, the retitled occurrences come as RECURRENCE-ID components, and reading it
    // back gives the hub's events.
    const retitled = events.map((e) => ({ ...e, title: 'Clinic (room 2)' }));
    const merged = mergeIntoStored(ics, retitled, new Date('2026-12-01T00:00:00Z'));
    assert.ok(merged);
    assert.match(merged, /RDATE;VALUE=PERIOD:20261229T150000Z\/20261229T170000Z/);
    assert.deepEqual(hashes(parseCalendarObject(merged).events), hashes(retitled));
  });

  it('RECURRENCE-ID;RANGE=THISANDFUTURE is read as a range override, and written back with its RANGE', () => {
    const ics = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\nBEGIN:VEVENT\r\nUID:u3\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261109T090000Z\r\nDTEND:20261109T100000Z\r\nRRULE:FREQ=DAILY;COUNT=5\r\nEND:VEVENT\r\n` +
      `BEGIN:VEVENT\r\nUID:u3\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID;RANGE=THISANDFUTURE:20261111T090000Z\r\nDTSTART:20261111T140000Z\r\nDTEND:20261111T150000Z\r\nSUMMARY:Later\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    const { events, warnings } = parseCalendarObject(ics);
    assert.deepEqual(warnings, []);
    assert.deepEqual(events.map((e) => e.thisAndFuture), [undefined, true]);
    // Written by calhub (a new object, and the merge of a change into the stored one), the range stays.
    const written = serializeCalendarObject(events, new Date('2026-12-01T00:00:00Z'));
    assert.match(written, /\r\nRECURRENCE-ID;RANGE=THISANDFUTURE:20261111T090000Z\r\n/);
    assert.deepEqual(hashes(parseCalendarObject(written).events), hashes(events));
    const retitled = events.map((e) => (e.originalStart ? { ...e, title: 'Later, renamed' } : e));
    const merged = mergeIntoStored(ics, retitled, new Date('2026-12-01T00:00:00Z'));
    assert.ok(merged);
    assert.match(merged, /\r\nRECURRENCE-ID;RANGE=THISANDFUTURE:20261111T090000Z\r\n/);
    assert.deepEqual(hashes(parseCalendarObject(merged).events), hashes(retitled));
  });

  it('an object with RANGE=THISANDFUTURE overrides expands to its hand-computed busy times', () => {
    const own = new URL('./fixtures/', import.meta.url);
    const { events, warnings } = parseCalendarObject(readFileSync(new URL('weekly-range-thisandfuture-berlin.ics', own), 'utf8'));
    assert.deepEqual(warnings, []);
    const expected = JSON.parse(readFileSync(new URL('weekly-range-thisandfuture-berlin.json', own), 'utf8')) as { window: { start: string; end: string }; busy: Array<{ start: string; end: string; status: string }> };
    const master = events.find((e) => e.originalStart === null)!;
    const occ = expandSeries({ master, overrides: events.filter((e) => e !== master), calendarTimeZone: 'UTC', window: { start: new Date(expected.window.start), end: new Date(expected.window.end) } });
    const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
    assert.deepEqual(occ.map((o) => ({ start: iso(o.startMs), end: iso(o.endMs), status: busyStatusOf(o.event) })), expected.busy.map(({ start, end, status }) => ({ start, end, status })));
  });

  it('an RDATE PERIOD where the object has an override already keeps that override', () => {
    const ics = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\nBEGIN:VEVENT\r\nUID:u2\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261228T100000Z\r\nDTEND:20261228T110000Z\r\nRDATE;VALUE=PERIOD:20261229T150000Z/PT3H\r\nEND:VEVENT\r\n` +
      `BEGIN:VEVENT\r\nUID:u2\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID:20261229T150000Z\r\nDTSTART:20261229T160000Z\r\nDTEND:20261229T163000Z\r\nSUMMARY:Moved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    const { events } = parseCalendarObject(ics);
    assert.deepEqual(events.slice(1).map((o) => [o.title, o.end]), [['Moved', { dateTime: '2026-12-29T16:30:00Z', timeZone: 'UTC' }]]);
  });

  it('a nominal day DURATION keeps the wall-clock time across a DST change', () => {
    const e = one(wrap('DTSTART;TZID=Europe/Berlin:20261024T100000\r\nDURATION:P1D'));
    assert.deepEqual(e.end, { dateTime: '2026-10-25T09:00:00Z', timeZone: 'Europe/Berlin' });
  });

  it('all-day: DATE, exclusive end, one day by default, and a bare date without VALUE=DATE', () => {
    assert.deepEqual(one(fixture('all-day-multi-day.ics')).end, { date: '2026-11-21' });
    assert.deepEqual(one(wrap('DTSTART;VALUE=DATE:20261118')).end, { date: '2026-11-19' });
    assert.deepEqual(one(wrap('DTSTART:20261118')).start, { date: '2026-11-18' });
  });

  it('floating times stay floating; an unknown TZID without VTIMEZONE is floating too', () => {
    assert.deepEqual(one(wrap('DTSTART:20261118T090000\r\nDTEND:20261118T100000')).start, { local: '2026-11-18T09:00:00' });
    assert.deepEqual(one(wrap('DTSTART;TZID=Nowhere/Special:20261118T090000')).start, { local: '2026-11-18T09:00:00' });
  });

  it('mozilla-style TZIDs resolve; an unknown TZID with a VTIMEZONE is computed from it', () => {
    assert.deepEqual(one(wrap('DTSTART;TZID=/mozilla.org/20050126_1/America/New_York:20261118T090000')).start, {
      dateTime: '2026-11-18T14:00:00Z', timeZone: 'America/New_York',
    });
    const vtz = fixture('outlook-windows-tzid.ics').split('BEGIN:VEVENT')[0]!.split('PRODID:-//calhub fixtures//EN\n')[1]!
      .replace('W. Europe Standard Time', 'My Custom Zone').replace(/\n/g, '\r\n');
    const e = one(wrap('DTSTART;TZID=My Custom Zone:20260704T090000\r\nDTEND;TZID=My Custom Zone:20260704T100000', vtz));
    assert.equal(e.start.hasOwnProperty('dateTime') && (e.start as { dateTime: string }).dateTime, '2026-07-04T07:00:00Z');
    const zone = (e.start as { timeZone: string }).timeZone;
    assert.ok(zone.startsWith('Europe/') || zone.startsWith('Africa/') || zone.startsWith('Arctic/') || zone.startsWith('Atlantic/'), zone);
  });

  it('STATUS, TRANSP, CLASS, organizer, attendees with self, SEQUENCE, LAST-MODIFIED, provenance', () => {
    const e = one(
      wrap([
        'DTSTART:20261118T090000Z', 'STATUS:TENTATIVE', 'TRANSP:TRANSPARENT', 'CLASS:PRIVATE', 'SEQUENCE:4',
        'LAST-MODIFIED:20261101T101010Z', 'ORGANIZER;CN="Boss, The":mailto:boss@example.com',
        'ATTENDEE;PARTSTAT=DECLINED:mailto:Me@Example.com', 'ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:x@example.com',
        'X-CALHUB-PROVENANCE:{"tenantId":"t1","sourceEventId":"e1","ruleId":null}',
      ].join('\r\n')),
      { selfAddresses: ['me@example.com'], remoteId: '/cal/u1.ics', version: '"v1"' },
    );
    assert.equal(e.status, 'tentative');
    assert.equal(e.availability, 'free');
    assert.equal(e.visibility, 'private');
    assert.equal(e.sequence, 4);
    assert.equal(e.providerUpdatedAt, '2026-11-01T10:10:10.000Z');
    assert.deepEqual(e.organizer, { email: 'boss@example.com', name: 'Boss, The' });
    assert.deepEqual(e.attendees.map((a) => [a.email, a.response, a.optional, a.self]), [
      ['Me@Example.com', 'declined', false, true],
      ['x@example.com', 'accepted', true, false],
    ]);
    assert.deepEqual(e.provenance, { hub: 'calhub', tenantId: 't1', sourceEventId: 'e1', ruleId: null });
    assert.equal(e.providerEventId, '/cal/u1.ics');
    assert.equal(e.providerVersion, '"v1"');
    const p = one(wrap('DTSTART:20261118T090000Z\r\nX-CALHUB-PROVENANCE;X-TENANT=t2;X-SOURCE=e2:calhub'));
    assert.deepEqual(p.provenance, { hub: 'calhub', tenantId: 't2', sourceEventId: 'e2', ruleId: null });
  });

  it('bad data throws InvalidRemoteDataError naming the problem', () => {
    const bad: Array<[string, RegExp]> = [
      [fixture('malformed-line.ics'), /DTSTART: invalid date-time/],
      [wrap('DTSTART:20261340T090000Z'), /invalid date-time/],
      [wrap('DTEND:20261118T090000Z'), /no DTSTART/],
      [wrap('DTSTART:20261118T090000Z\r\nRRULE:COUNT=3'), /FREQ/],
      [wrap('DTSTART:20261118T090000Z\r\nX-CALHUB-PROVENANCE:{oops'), /PROVENANCE/],
      ['BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART', /unparsable|VCALENDAR|UID/],
      ['hello', /unparsable|VCALENDAR/],
    ];
    for (const [ics, msg] of bad) {
      assert.throws(() => parseCalendarObject(ics), (e: unknown) => e instanceof InvalidRemoteDataError && msg.test(e.message));
    }
  });

  it('a bad time names the property and quotes its text as the object has it, not ical.js\'s rewriting of it', () => {
    const message = (ics: string) => {
      try {
        parseCalendarObject(ics);
      } catch (e) {
        assert.ok(e instanceof InvalidRemoteDataError);
        return e.message;
      }
      assert.fail('parsed');
    };
    assert.equal(message(wrap('DTSTART:None')), 'VEVENT u1 DTSTART: invalid date-time: the object has DTSTART:None');
    assert.equal(message(wrap('DTSTART;TZID=Europe/Berlin:20261118T090000\r\nDTEND;TZID=Europe/Berlin:2026-11-18 10:00')), 'VEVENT u1 DTEND: invalid date-time: the object has DTEND;TZID=Europe/Berlin:2026-11-18 10:00');
    // Which of several lines (and which value of a list) is the bad one, folded in the object as it may be.
    const ex = message(wrap('DTSTART:20261118T090000Z\r\nRRULE:FREQ=DAILY\r\nEXDATE:20261119T090000Z\r\nEXDATE:20261120T090000Z,2026112\r\n 1T0900'));
    assert.equal(ex, 'VEVENT u1 EXDATE: invalid date-time: the object has EXDATE:20261120T090000Z,20261121T0900');
    assert.doesNotMatch(ex, /--|T::/);
    // The second VEVENT's, not the first's; bounded, control characters escaped.
    const second = wrap('DTSTART:20261118T090000Z\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:u1\r\nRECURRENCE-ID:20261119T090000Z\r\nDTSTART:' + 'x'.repeat(500));
    const long = message(second);
    assert.match(long, /^VEVENT u1 DTSTART: invalid date-time: the object has DTSTART:x+…$/);
    assert.ok(long.length < 200, long);
    assert.match(message(fixture('malformed-line.ics')), /DTSTART: invalid date-time: the object has DTSTART:2026111XT100000Z$/);
  });

  it('a resource of many overrides parses in one pass', () => {
    const parts = ['DTSTART:20260101T100000Z\r\nDTEND:20260101T110000Z\r\nRRULE:FREQ=DAILY'];
    for (let i = 1; i <= 2000; i++) {
      const d = new Date(Date.UTC(2026, 0, 1 + i, 10)).toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z';
      parts.push(`END:VEVENT\r\nBEGIN:VEVENT\r\nUID:u1\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID:${d}\r\nDTSTART:${d}\r\nSUMMARY:o${i}`);
    }
    const { events } = parseCalendarObject(wrap(parts.join('\r\n')));
    assert.equal(events.length, 2001);
  });
});

describe('ical round trip', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.ics') && f !== 'malformed-line.ics');
  for (const f of files) {
    it(`parse → serialize → parse keeps ${f}`, () => {
      const first = parseCalendarObject(fixture(f)).events;
      const text = serializeCalendarObject(first);
      const second = parseCalendarObject(text).events;
      assert.deepEqual(hashes(second), hashes(first));
      assert.deepEqual(second.map((e) => e.recurrence), first.map((e) => e.recurrence));
      assert.equal(serializeCalendarObject(second, new Date(0)), serializeCalendarObject(first, new Date(0)));
    });
  }

  it('holds for generated events (zones, all-day, floating, text needing escapes, long lines)', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Sao_Paulo'];
    const text = fc.option(fc.string({ maxLength: 120 }).map((s) => s.replace(/\r/g, '')), { nil: null });
    const arb = fc.record({
      startMin: fc.integer({ min: 0, max: 60 * 24 * 3650 }),
      lenMin: fc.integer({ min: 0, max: 60 * 24 * 3 }),
      kind: fc.constantFrom('zoned', 'date', 'local'),
      zone: fc.constantFrom(...zones),
      title: text,
      description: text,
      rrule: fc.constantFrom(null, 'FREQ=DAILY;COUNT=5', 'FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20300101T000000Z', 'FREQ=MONTHLY;BYMONTHDAY=-1'),
      status: fc.constantFrom('confirmed', 'tentative', 'cancelled'),
      availability: fc.constantFrom('busy', 'free', 'tentative', 'oof', 'workingElsewhere'),
    });
    fc.assert(
      fc.property(arb, (g) => {
        const startMs = Date.UTC(2020, 0, 1) + g.startMin * 60000;
        const endMs = startMs + g.lenMin * 60000;
        const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
        const t = (ms: number) =>
          g.kind === 'zoned' ? { dateTime: iso(ms), timeZone: g.zone } : g.kind === 'date' ? { date: iso(ms).slice(0, 10) } : { local: iso(ms).slice(0, 19) };
        const e = parseEvent({
          uid: 'gen-1@calhub.test', start: t(startMs), end: t(g.kind === 'date' ? endMs + 86400000 : endMs), title: g.title,
          description: g.description, status: g.status, availability: g.availability,
          recurrence: g.rrule ? { rrules: [g.rrule] } : null,
        });
        const back = parseCalendarObject(serializeCalendarObject([e])).events;
        assert.deepEqual(hashes(back), hashes([e]));
      }),
      { numRuns: 300 },
    );
  });
});
