import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { contentHash, parseEvent, type CanonicalEvent, type EventTime } from '../../../shared/model/index.ts';
import { mergeIntoStored, parseCalendarObject, serializeCalendarObject } from './index.ts';

const NOW = new Date('2026-12-06T08:30:00Z');
const LONG = 'Über Öl\\, Straße — 会議 '.repeat(800); // ~17 kB, non-ASCII, as TEXT (comma escaped)

/** What another client (Apple Calendar, Thunderbird…) stored: all calhub does not model, and more. */
const RICH = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Apple Inc.//macOS 14.0//EN',
  'CALSCALE:GREGORIAN',
  'X-WR-CALNAME:Work',
  'BEGIN:VTIMEZONE',
  'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16010101T030000',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010101T020000',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
  'BEGIN:VEVENT',
  'UID:rich-1',
  'DTSTAMP:20261101T100000Z',
  'CREATED:20261101T100000Z',
  'LAST-MODIFIED:20261101T100000Z',
  'SEQUENCE:3',
  'DTSTART;TZID=W. Europe Standard Time:20261110T090000',
  'DTEND;TZID=W. Europe Standard Time:20261110T100000',
  'RRULE:FREQ=WEEKLY;COUNT=6',
  'SUMMARY;LANGUAGE=de:Planung',
  `DESCRIPTION:${LONG}`,
  'LOCATION:Raum 4',
  'CATEGORIES:Work,Planning',
  'X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC',
  'X-MICROSOFT-CDO-BUSYSTATUS:BUSY',
  'TRANSP:OPAQUE',
  'ATTACH;FMTTYPE=application/pdf:https://files.example.com/agenda.pdf',
  'ORGANIZER;CN=Alice;SENT-BY="mailto:assistant@example.com":mailto:alice@example.com',
  'ATTENDEE;CN=Bob;RSVP=TRUE;X-NUM-GUESTS=0;CUTYPE=INDIVIDUAL;ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:bob@example.com',
  'ATTENDEE;CN="Carol, C.";RSVP=TRUE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:carol@example.com',
  'BEGIN:VALARM',
  'ACTION:DISPLAY',
  'DESCRIPTION:Reminder',
  'TRIGGER:-PT15M',
  'X-WR-ALARMUID:alarm-1',
  'END:VALARM',
  'BEGIN:VALARM',
  'ACTION:AUDIO',
  'TRIGGER;VALUE=DATE-TIME:20261110T074500Z',
  'ATTACH;VALUE=URI:Chord',
  'END:VALARM',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:rich-1',
  'DTSTAMP:20261101T100000Z',
  'RECURRENCE-ID;TZID=W. Europe Standard Time:20261117T090000',
  'DTSTART;TZID=W. Europe Standard Time:20261117T110000',
  'DTEND;TZID=W. Europe Standard Time:20261117T120000',
  'SEQUENCE:4',
  'SUMMARY:Planung (moved)',
  'X-OTHER-CLIENT:keep me',
  'BEGIN:VALARM',
  'ACTION:DISPLAY',
  'DESCRIPTION:Override reminder',
  'TRIGGER:-PT5M',
  'END:VALARM',
  'END:VEVENT',
  'BEGIN:VTODO',
  'UID:todo-1',
  'SUMMARY:Not an event',
  'END:VTODO',
  'END:VCALENDAR',
  '',
].join('\r\n');

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
const read = (ics: string) => parseCalendarObject(ics).events;
const veventBlocks = (ics: string) => unfold(ics).split('BEGIN:VEVENT').slice(1).map((b) => b.split('END:VEVENT')[0]!);
const has = (ics: string, line: string) => unfold(ics).split('\r\n').includes(line);
const hashes = (events: CanonicalEvent[]) => events.map(contentHash);

function merged(change: (events: CanonicalEvent[]) => CanonicalEvent[], opts = {}) {
  const was = read(RICH);
  const now = change(was);
  const out = mergeIntoStored(RICH, now, NOW, opts);
  assert.ok(out, 'the stored object is merged into');
  assert.deepEqual(hashes(read(out)), hashes(now), 'read back, the hub\'s events exactly (no echo change)');
  return out;
}

const KEPT = [
  'PRODID:-//Apple Inc.//macOS 14.0//EN',
  'CALSCALE:GREGORIAN',
  'X-WR-CALNAME:Work',
  'CREATED:20261101T100000Z',
  'CATEGORIES:Work,Planning',
  'X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC',
  'X-MICROSOFT-CDO-BUSYSTATUS:BUSY',
  'ATTACH;FMTTYPE=application/pdf:https://files.example.com/agenda.pdf',
  'X-WR-ALARMUID:alarm-1',
  'TRIGGER:-PT15M',
  'ATTACH;VALUE=URI:Chord',
  'X-OTHER-CLIENT:keep me',
  'DESCRIPTION:Override reminder',
  'SUMMARY:Not an event',
  'TZID:W. Europe Standard Time',
];

describe('an update written into the stored CalDAV object (ical/merge.ts)', () => {
  it('a retitle changes SUMMARY (and DTSTAMP, LAST-MODIFIED) only; all else is kept', () => {
    const out = merged((es) => es.map((e) => (e.originalStart ? e : { ...e, title: 'only title changed' })));
    for (const line of KEPT) assert.ok(has(out, line), `kept: ${line}`);
    assert.ok(has(out, 'SUMMARY:only title changed'));
    assert.ok(!has(out, 'SUMMARY;LANGUAGE=de:Planung'));
    assert.ok(has(out, `DESCRIPTION:${LONG}`), 'the long non-ASCII description, byte for byte');
    assert.ok(has(out, 'ATTENDEE;CN=Bob;RSVP=TRUE;X-NUM-GUESTS=0;CUTYPE=INDIVIDUAL;ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:bob@example.com'));
    assert.ok(has(out, 'ORGANIZER;CN=Alice;SENT-BY="mailto:assistant@example.com":mailto:alice@example.com'));
    assert.ok(has(out, 'DTSTART;TZID=W. Europe Standard Time:20261110T090000'), 'a time not changed keeps its spelling');
    const [master, override] = veventBlocks(out);
    assert.match(master!, /\r\nDTSTAMP:20261206T083000Z\r\n/);
    assert.match(master!, /\r\nLAST-MODIFIED:20261206T083000Z\r\n/);
    assert.equal((master!.match(/BEGIN:VALARM/g) ?? []).length, 2, 'both alarms');
    assert.match(master!, /\r\nSEQUENCE:3\r\n/, 'a retitle is no new revision');
    assert.equal(override, veventBlocks(RICH)[1], 'the override untouched, DTSTAMP included');
    assert.ok(unfold(out).trimEnd().split('\r\n').every((l) => Buffer.byteLength(l) > 0), 'no empty lines');
    for (const l of out.split('\r\n')) assert.ok(Buffer.byteLength(l) <= 75, 'folded at 75 octets');
  });

  it('a time change replaces DTSTART/DTEND (calhub\'s zone added) and keeps the alarms and the old VTIMEZONE the override uses', () => {
    const out = merged((es) => es.map((e) => (e.originalStart ? e : { ...e, start: { dateTime: '2026-11-10T09:00:00Z', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-11-10T10:00:00Z', timeZone: 'Europe/Berlin' }, sequence: 4 })));
    assert.ok(has(out, 'DTSTART;TZID=Europe/Berlin:20261110T100000'));
    assert.ok(!has(out, 'DTSTART;TZID=W. Europe Standard Time:20261110T090000'));
    assert.ok(has(out, 'TZID:Europe/Berlin'), 'a VTIMEZONE for the zone calhub wrote');
    assert.ok(has(out, 'TZID:W. Europe Standard Time'), 'the override still references the old one');
    for (const line of KEPT) assert.ok(has(out, line), `kept: ${line}`);
    assert.match(veventBlocks(out)[0]!, /\r\nSEQUENCE:4\r\n/);
  });

  it('a VTIMEZONE no longer referenced after the write goes; one never referenced stays', () => {
    const extra = RICH.replace('BEGIN:VEVENT', 'BEGIN:VTIMEZONE\r\nTZID:Unused/Zone\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT');
    const was = read(extra);
    const berlin = (iso: string) => ({ dateTime: iso, timeZone: 'Europe/Berlin' });
    const now = [{ ...was[0]!, start: berlin('2026-11-10T09:00:00Z'), end: berlin('2026-11-10T10:00:00Z'), recurrence: null }];
    const out = mergeIntoStored(extra, now, NOW)!;
    assert.deepEqual(hashes(read(out)), hashes(now));
    assert.ok(!has(out, 'TZID:W. Europe Standard Time'), 'its last users are gone');
    assert.ok(has(out, 'TZID:Unused/Zone'));
    assert.equal(veventBlocks(out).length, 1, 'the override the hub dropped is removed');
  });

  it('attendees: kept ones keep their parameters; a changed answer sets PARTSTAT only; a new one is calhub\'s line; a removed one goes', () => {
    const out = merged((es) => es.map((e) => (e.originalStart ? e : {
      ...e,
      attendees: [
        { ...e.attendees[0]!, response: 'declined' as const },
        { email: 'dave@example.com', name: 'Dave', response: 'needsAction' as const, optional: true, self: false },
      ],
    })));
    assert.ok(has(out, 'ATTENDEE;CN=Bob;RSVP=TRUE;X-NUM-GUESTS=0;CUTYPE=INDIVIDUAL;ROLE=CHAIR;PARTSTAT=DECLINED:mailto:bob@example.com'));
    assert.ok(has(out, 'ATTENDEE;CN=Dave;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:dave@example.com'));
    assert.ok(!/carol@example.com/.test(out));
    assert.match(veventBlocks(out)[0]!, /LAST-MODIFIED:20261206T083000Z/);
  });

  it('quiet: SCHEDULE-AGENT=CLIENT (marked as calhub\'s) on every ORGANIZER and ATTENDEE, other parameters kept', () => {
    const out = merged((es) => es.map((e) => (e.originalStart ? e : { ...e, title: 'x' })), { quiet: true });
    assert.ok(has(out, 'ATTENDEE;CN=Bob;RSVP=TRUE;X-NUM-GUESTS=0;CUTYPE=INDIVIDUAL;ROLE=CHAIR;PARTSTAT=ACCEPTED;X-CALHUB-AGENT=CLIENT;SCHEDULE-AGENT=CLIENT:mailto:bob@example.com'));
    assert.ok(has(out, 'ORGANIZER;CN=Alice;SENT-BY="mailto:assistant@example.com";X-CALHUB-AGENT=CLIENT;SCHEDULE-AGENT=CLIENT:mailto:alice@example.com'));
  });

  it('an override added is calhub\'s serialisation; the master keeps its alarms', () => {
    const out = merged((es) => {
      const m = es[0]!;
      const at = (iso: string) => ({ dateTime: iso, timeZone: 'Europe/Berlin' });
      return [...es, parseEvent({ uid: m.uid, originalStart: at('2026-11-24T08:00:00Z'), start: at('2026-11-24T12:00:00Z'), end: at('2026-11-24T13:00:00Z'), title: 'Moved', sequence: 4 })];
    });
    const blocks = veventBlocks(out);
    assert.equal(blocks.length, 3);
    assert.equal((blocks[0]!.match(/BEGIN:VALARM/g) ?? []).length, 2);
    assert.equal(blocks[1], veventBlocks(RICH)[1]);
    assert.match(blocks[2]!, /RECURRENCE-ID;TZID=Europe\/Berlin:20261124T090000/);
    assert.match(blocks[2]!, /LAST-MODIFIED:20261206T083000Z/);
    assert.ok(has(out, 'SUMMARY:Not an event'), 'other components stay');
  });

  it('a field removed by the hub removes its property; one the server lacked is added before the alarms', () => {
    const out = merged((es) => es.map((e) => (e.originalStart ? e : { ...e, location: null, visibility: 'private' as const, availability: 'free' as const })));
    assert.ok(!/LOCATION:/.test(unfold(out)));
    const master = veventBlocks(out)[0]!;
    assert.ok(master.indexOf('CLASS:PRIVATE') < master.indexOf('BEGIN:VALARM'));
    assert.ok(has(out, 'TRANSP:TRANSPARENT'));
    assert.ok(!has(out, 'X-MICROSOFT-CDO-BUSYSTATUS:BUSY'), 'availability is calhub\'s mapping once changed');
  });

  it('SCHEDULE-AGENT another client set is kept by a write that asks the server to schedule; one calhub set for a quiet write goes', () => {
    // Carol's line: another client handles her scheduling (RFC 6638 §7.1); Bob's: calhub's earlier quiet write.
    const stored = RICH
      .replace('PARTSTAT=NEEDS-ACTION:mailto:carol@example.com', 'PARTSTAT=NEEDS-ACTION;SCHEDULE-AGENT=CLIENT:mailto:carol@example.com')
      .replace('PARTSTAT=ACCEPTED:mailto:bob@example.com', 'PARTSTAT=ACCEPTED;X-CALHUB-AGENT=CLIENT;SCHEDULE-AGENT=CLIENT:mailto:bob@example.com');
    const was = read(stored);
    for (const title of ['told', null]) {
      // A retitle, and an attendee answering (the attendees' lines rewritten one by one).
      const now = was.map((e) => (e.originalStart ? e : title ? { ...e, title } : { ...e, attendees: e.attendees.map((a, n) => (n === 0 ? { ...a, response: 'declined' as const } : a)) }));
      const out = mergeIntoStored(stored, now, NOW)!;
      assert.deepEqual(hashes(read(out)), hashes(now));
      assert.ok(/^ATTENDEE;[^\r\n]*;SCHEDULE-AGENT=CLIENT:mailto:carol@example.com\r$/m.test(unfold(out)), `another client's SCHEDULE-AGENT kept (${title ?? 'answer'})`);
      assert.match(unfold(out), /^ATTENDEE;[^\r\n]*:mailto:bob@example.com\r$/m);
      assert.doesNotMatch(unfold(out).match(/^ATTENDEE;[^\r\n]*:mailto:bob@example.com\r$/m)![0], /SCHEDULE-AGENT|X-CALHUB-AGENT/, 'calhub\'s own quiet marking goes');
    }
    // A quiet write leaves another client's CLIENT or NONE as it is: the server sends nothing either way.
    const none = stored.replace(';SCHEDULE-AGENT=CLIENT:mailto:carol', ';SCHEDULE-AGENT=NONE:mailto:carol');
    const quiet = mergeIntoStored(none, read(none).map((e) => (e.originalStart ? e : { ...e, title: 'q' })), NOW, { quiet: true })!;
    assert.ok(has(quiet, 'ATTENDEE;CN="Carol, C.";RSVP=TRUE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;SCHEDULE-AGENT=NONE:mailto:carol@example.com'));
    assert.ok(has(quiet, 'ATTENDEE;CN=Bob;RSVP=TRUE;X-NUM-GUESTS=0;CUTYPE=INDIVIDUAL;ROLE=CHAIR;PARTSTAT=ACCEPTED;X-CALHUB-AGENT=CLIENT;SCHEDULE-AGENT=CLIENT:mailto:bob@example.com'));
  });

  it('a changed conference link replaces the CONFERENCE calhub reads; another (a dial-in) is kept', () => {
    const stored = RICH.replace('LOCATION:Raum 4', 'LOCATION:Raum 4\r\nCONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Meet:https://meet.example.com/abc\r\nCONFERENCE;VALUE=URI;FEATURE=PHONE;LABEL=Dial-in:tel:+1-555-0100,,123#');
    const was = read(stored);
    assert.equal(was[0]!.conferenceUrl, 'https://meet.example.com/abc');
    const now = was.map((e) => (e.originalStart ? e : { ...e, conferenceUrl: 'https://meet.example.com/xyz' }));
    const out = mergeIntoStored(stored, now, NOW)!;
    assert.deepEqual(hashes(read(out)), hashes(now));
    assert.ok(has(out, 'CONFERENCE;VALUE=URI;FEATURE=PHONE;LABEL=Dial-in:tel:+1-555-0100,,123#'), 'the dial-in is kept');
    assert.ok(!/meet.example.com\/abc/.test(out), 'the old link is gone');
    const master = veventBlocks(out)[0]!;
    assert.ok(master.indexOf('meet.example.com/xyz') < master.indexOf('Dial-in'), 'the new link where the old one stood, read first');
  });

  it('unreadable stored text: null (the object is written whole as before)', () => {
    assert.equal(mergeIntoStored('garbage', read(RICH), NOW), null);
  });

  it('calhub\'s own object merged with a change reads back the same as a fresh serialisation', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), fc.option(fc.string({ maxLength: 200 })), (title, description) => {
      const e = parseEvent({ uid: 'own', title: 'Own', start: { dateTime: '2026-11-02T08:00:00Z', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-11-02T09:00:00Z', timeZone: 'Europe/Berlin' }, attendees: [{ email: 'a@example.com' }] });
      const stored = serializeCalendarObject([e], NOW);
      const next = { ...e, title, description };
      const out = mergeIntoStored(stored, [next], NOW)!;
      assert.deepEqual(hashes(read(out)), hashes(read(serializeCalendarObject([next], NOW))));
    }), { numRuns: 100 });
  });
});

describe('merge round trip over the fixtures (other clients\' objects)', () => {
  const dir = new URL('../../../test/fixtures/ics/', import.meta.url);
  const samples = readdirSync(dir).filter((f) => f.endsWith('.ics')).map((f) => [f, readFileSync(new URL(f, dir), 'utf8')] as const).flatMap(([f, raw]) => {
    try {
      const events = parseCalendarObject(raw).events;
      return events.length > 0 && new Set(events.map((e) => e.uid)).size === 1 ? [{ f, raw, events }] : [];
    } catch {
      return [];
    }
  });
  const safe = fc.string({ maxLength: 30 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s));
  const change = fc.record({
    title: fc.option(safe, { nil: undefined }),
    description: fc.option(fc.option(safe), { nil: undefined }),
    location: fc.option(fc.option(safe), { nil: undefined }),
    status: fc.option(fc.constantFrom('confirmed' as const, 'tentative' as const, 'cancelled' as const), { nil: undefined }),
    visibility: fc.option(fc.constantFrom('default' as const, 'private' as const, 'public' as const), { nil: undefined }),
    availability: fc.option(fc.constantFrom('busy' as const, 'free' as const, 'oof' as const, 'tentative' as const), { nil: undefined }),
    shiftHours: fc.option(fc.integer({ min: -30, max: 30 }), { nil: undefined }),
    answer: fc.option(fc.constantFrom('accepted' as const, 'declined' as const), { nil: undefined }),
    addAttendee: fc.boolean(),
    dropLast: fc.boolean(),
  });
  const shift = (t: EventTime, h: number): EventTime => ('dateTime' in t ? { ...t, dateTime: new Date(Date.parse(t.dateTime) + h * 3_600_000).toISOString() } : t);

  it(`reading back the merge gives the hub's events (${samples.length} fixtures)`, () => {
    assert.ok(samples.length >= 5);
    fc.assert(fc.property(fc.nat({ max: samples.length - 1 }), fc.array(change, { minLength: 1, maxLength: 3 }), (n, changes) => {
      const { raw, events } = samples[n]!;
      let next = events.map((e, i) => {
        const c = changes[i % changes.length]!;
        const attendees = e.attendees.map((a, j) => (j === 0 && c.answer ? { ...a, response: c.answer } : a));
        if (c.addAttendee) attendees.push({ email: `new${i}@example.com`, name: null, response: 'needsAction', optional: false, self: false });
        return parseEvent({
          ...e,
          ...(c.title !== undefined ? { title: c.title } : {}),
          ...(c.description !== undefined ? { description: c.description } : {}),
          ...(c.location !== undefined ? { location: c.location } : {}),
          ...(c.status ? { status: c.status } : {}),
          ...(c.visibility ? { visibility: c.visibility } : {}),
          ...(c.availability ? { availability: c.availability } : {}),
          ...(c.shiftHours && !('date' in e.start) ? { start: shift(e.start, c.shiftHours), end: shift(e.end, c.shiftHours) } : {}),
          attendees,
        });
      });
      if (changes[0]!.dropLast && next.length > 1) next = next.slice(0, -1);
      const out = mergeIntoStored(raw, next, NOW);
      assert.ok(out, samples[n]!.f);
      assert.deepEqual(hashes(read(out)), hashes(next), samples[n]!.f);
    }), { numRuns: 300 });
  });
});
