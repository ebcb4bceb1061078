import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent, type CanonicalEvent, type CanonicalEventInput } from '../../../shared/model/index.ts';
import { parseCalendarObject, serializeCalendarObject, withRaisedSequences } from './index.ts';

const Z = (iso: string) => ({ dateTime: iso, timeZone: 'Europe/Berlin' });
const ev = (over: Partial<CanonicalEventInput> = {}): CanonicalEvent =>
  parseEvent({ uid: 'u1', title: 'Standup', start: Z('2026-11-02T08:00:00Z'), end: Z('2026-11-02T08:30:00Z'), ...over });
const master = (over: Partial<CanonicalEventInput> = {}) =>
  ev({ recurrence: { rrules: ['FREQ=WEEKLY;COUNT=6'], exdates: [], rdates: [] }, ...over });
const override = (day: string, over: Partial<CanonicalEventInput> = {}) =>
  ev({ originalStart: Z(`2026-11-${day}T08:00:00Z`), start: Z(`2026-11-${day}T08:00:00Z`), end: Z(`2026-11-${day}T08:30:00Z`), ...over });
const seqs = (events: CanonicalEvent[]) => events.map((e) => e.sequence);

describe('SEQUENCE on a CalDAV update (RFC 5545 §3.8.7.4)', () => {
  const significant: Array<[string, Partial<CanonicalEventInput>]> = [
    ['DTSTART and DTEND (moved)', { start: Z('2026-11-02T09:00:00Z'), end: Z('2026-11-02T09:30:00Z') }],
    ['DTEND only (longer)', { end: Z('2026-11-02T09:00:00Z') }],
    ['DTSTART to all-day', { start: { date: '2026-11-02' }, end: { date: '2026-11-03' } }],
    ['STATUS (cancelled)', { status: 'cancelled' }],
    ['STATUS (tentative)', { status: 'tentative' }],
  ];
  for (const [name, change] of significant) {
    it(`a single event: ${name} raises it above the server's`, () => {
      assert.deepEqual(seqs(withRaisedSequences([ev({ ...change, sequence: 2 })], [ev({ sequence: 2 })])), [3]);
    });
  }

  it('a series: RRULE, EXDATE, RDATE and the series zone are significant', () => {
    const was = master({ sequence: 4 });
    const changes: Array<Partial<CanonicalEventInput>> = [
      { recurrence: { rrules: ['FREQ=WEEKLY;COUNT=8'], exdates: [], rdates: [] } },
      { recurrence: { rrules: ['FREQ=WEEKLY;COUNT=6'], exdates: [Z('2026-11-09T08:00:00Z')], rdates: [] } },
      { recurrence: { rrules: ['FREQ=WEEKLY;COUNT=6'], exdates: [], rdates: [Z('2026-11-04T08:00:00Z')] } },
      { start: { dateTime: '2026-11-02T08:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-02T08:30:00Z', timeZone: 'UTC' } },
    ];
    for (const c of changes) assert.deepEqual(seqs(withRaisedSequences([master({ ...c, sequence: 4 })], [was])), [5], JSON.stringify(c));
  });

  it('title, description, location and answers leave it alone; RRULE part order is no change', () => {
    const was = master({ sequence: 3 });
    const now = master({ title: 'Daily', description: 'notes', location: 'Room 2', sequence: 3, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=6'], exdates: [], rdates: [] } });
    const out = withRaisedSequences([now], [was]);
    assert.deepEqual(seqs(out), [3]);
    assert.equal(out[0], now, 'an unchanged revision is written as it is');
    const reordered = ev({ recurrence: { rrules: ['COUNT=6;FREQ=WEEKLY'], exdates: [], rdates: [] }, sequence: 3 });
    assert.deepEqual(seqs(withRaisedSequences([reordered], [was])), [3]);
  });

  it('never lowers it: the server\'s is the floor, the hub\'s own higher one stands', () => {
    assert.deepEqual(seqs(withRaisedSequences([ev({ title: 'x', sequence: 0 })], [ev({ sequence: 7 })])), [7]);
    assert.deepEqual(seqs(withRaisedSequences([ev({ start: Z('2026-11-02T07:00:00Z'), sequence: 0 })], [ev({ sequence: 7 })])), [8]);
    assert.deepEqual(seqs(withRaisedSequences([ev({ title: 'x', sequence: 9 })], [ev({ sequence: 7 })])), [9]);
    assert.deepEqual(seqs(withRaisedSequences([ev({ start: Z('2026-11-02T07:00:00Z'), sequence: 9 })], [ev({ sequence: 7 })])), [10]);
  });

  it('a create (nothing known at the server) is written as given', () => {
    const e = [ev({ sequence: 2 })];
    assert.equal(withRaisedSequences(e, null), e);
    assert.equal(withRaisedSequences(e, []), e);
  });

  it('per VEVENT: only the override that moved is raised; the master and other overrides keep theirs', () => {
    const server = [master({ sequence: 2 }), override('09', { title: 'Retro', sequence: 2 }), override('16', { sequence: 3, start: Z('2026-11-16T10:00:00Z'), end: Z('2026-11-16T10:30:00Z') })];
    const hub = [master({ sequence: 2 }), override('09', { title: 'Retro', sequence: 2, start: Z('2026-11-09T09:00:00Z'), end: Z('2026-11-09T09:30:00Z') }), server[2]!];
    assert.deepEqual(seqs(withRaisedSequences(hub, server)), [2, 3, 3]);
    const retitled = [master({ sequence: 2 }), override('09', { title: 'Planning', sequence: 2 }), server[2]!];
    assert.deepEqual(seqs(withRaisedSequences(retitled, server)), [2, 2, 3]);
  });

  it('a new override gets its master\'s sequence, one above when it moves, resizes or cancels the occurrence', () => {
    const server = [master({ sequence: 5 })];
    const add = (o: CanonicalEvent) => seqs(withRaisedSequences([master({ sequence: 5 }), o], server));
    assert.deepEqual(add(override('09', { title: 'Retro' })), [5, 5], 'only retitled: the occurrence\'s revision');
    assert.deepEqual(add(override('09', { start: Z('2026-11-09T09:00:00Z'), end: Z('2026-11-09T09:30:00Z') })), [5, 6], 'moved');
    assert.deepEqual(add(override('09', { end: Z('2026-11-09T09:00:00Z') })), [5, 6], 'longer');
    assert.deepEqual(add(override('09', { status: 'cancelled' })), [5, 6], 'cancelled');
    assert.deepEqual(add(override('09', { title: 'Retro', sequence: 8 })), [5, 8], 'its own higher one stands');
    // The master raised in the same write: the new override starts from the master's new revision.
    const both = withRaisedSequences([master({ sequence: 5, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=8'], exdates: [], rdates: [] } }), override('09', { title: 'Retro' })], server);
    assert.deepEqual(seqs(both), [6, 6]);
  });

  it('an override dropped that had moved its occurrence gives the occurrence back to the master: raised', () => {
    const server = [master({ sequence: 1 }), override('09', { sequence: 2, start: Z('2026-11-09T10:00:00Z'), end: Z('2026-11-09T10:30:00Z') })];
    assert.deepEqual(seqs(withRaisedSequences([master({ sequence: 1 })], server)), [2]);
    const retitledOnly = [master({ sequence: 1 }), override('09', { sequence: 1, title: 'Retro' })];
    assert.deepEqual(seqs(withRaisedSequences([master({ sequence: 1 })], retitledOnly)), [1]);
  });

  it('an attendee\'s copy of someone else\'s meeting is the organizer\'s to revise: kept, not raised', () => {
    const guest = { organizer: { email: 'boss@example.com' }, attendees: [{ email: 'me@example.com', self: true, response: 'accepted' as const }] };
    const out = withRaisedSequences([ev({ ...guest, start: Z('2026-11-02T09:00:00Z'), end: Z('2026-11-02T09:30:00Z'), sequence: 0 })], [ev({ ...guest, sequence: 4 })]);
    assert.deepEqual(seqs(out), [4]);
  });

  it('the raised SEQUENCE is what the serialized VEVENTs carry', () => {
    const server = [master({ sequence: 2 })];
    const hub = [master({ sequence: 2, status: 'cancelled' }), override('09', { start: Z('2026-11-09T09:00:00Z'), end: Z('2026-11-09T09:30:00Z') })];
    const ics = serializeCalendarObject(withRaisedSequences(hub, server));
    assert.deepEqual(seqs(parseCalendarObject(ics).events), [3, 4]);
  });
});
