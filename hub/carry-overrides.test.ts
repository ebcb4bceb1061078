import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent, type CanonicalEvent, type CanonicalEventInput, type EventTime } from '../shared/model/index.ts';
import { carryOverrides } from './carry-overrides.ts';

const B = 'Europe/Berlin';
const z = (dateTime: string, timeZone = B): EventTime => ({ dateTime, timeZone });
const ev = (input: Partial<CanonicalEventInput>): CanonicalEvent => parseEvent({ uid: 'weekly', title: 'Sync', ...input } as CanonicalEventInput);

// Mondays 09:00 Berlin from 2026-10-19, across the end of summer time (2026-10-25).
const master = ev({ start: z('2026-10-19T07:00:00Z'), end: z('2026-10-19T08:00:00Z'), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=6'], exdates: [], rdates: [] }, providerEventId: 'm1' });
const movedMaster = (patch: Partial<CanonicalEventInput>) => ev({ ...master, ...patch } as Partial<CanonicalEventInput>);
const override = (originalStart: string, start: string, end: string, title: string, status: 'confirmed' | 'cancelled' = 'confirmed') =>
  ev({ originalStart: z(originalStart), start: z(start), end: z(end), title, status, providerEventId: `m1_${originalStart}` });
const shown = (o: CanonicalEvent) => [('dateTime' in o.originalStart! && o.originalStart.dateTime) || '', 'dateTime' in o.start ? o.start.dateTime : '', 'dateTime' in o.end ? o.end.dateTime : '', o.title, o.status, o.providerEventId];

describe('carryOverrides: a series moved by a time shift takes its overrides along', () => {
  // An hour later on the wall clock: 10:00 Berlin, 09:00Z in winter.
  const later = movedMaster({ start: z('2026-10-19T08:00:00Z'), end: z('2026-10-19T09:00:00Z') });

  it('an occurrence edited but not moved follows the series to its new time with its edits and no provider id', () => {
    const retitled = override('2026-11-02T08:00:00Z', '2026-11-02T08:00:00Z', '2026-11-02T09:00:00Z', 'Sync (board)');
    const { overrides } = carryOverrides(master, later, [retitled], B);
    // After the change to winter time 10:00 Berlin is 09:00Z: the wall clock moved, not the instant.
    assert.deepEqual(overrides.map(shown), [['2026-11-02T09:00:00Z', '2026-11-02T09:00:00Z', '2026-11-02T10:00:00Z', 'Sync (board)', 'confirmed', null]]);
  });

  it('an occurrence the user moved keeps its own offset from its slot and its own length', () => {
    // The 26 Oct occurrence (09:00 Berlin = 08:00Z) was moved to 14:00-14:30 Berlin.
    const mine = override('2026-10-26T08:00:00Z', '2026-10-26T13:00:00Z', '2026-10-26T13:30:00Z', 'Sync (moved)');
    const { overrides } = carryOverrides(master, later, [mine], B);
    assert.deepEqual(overrides.map(shown), [['2026-10-26T09:00:00Z', '2026-10-26T14:00:00Z', '2026-10-26T14:30:00Z', 'Sync (moved)', 'confirmed', null]]);
  });

  it('a cancelled occurrence and an EXDATE stay cancelled at the new time', () => {
    const withEx = { ...master, recurrence: { ...master.recurrence!, exdates: [z('2026-11-09T08:00:00Z')] } };
    const next = { ...later, recurrence: { ...later.recurrence!, exdates: [z('2026-11-09T08:00:00Z')] } };
    const cancelled = override('2026-11-16T08:00:00Z', '2026-11-16T08:00:00Z', '2026-11-16T09:00:00Z', 'Sync', 'cancelled');
    const { master: m, overrides } = carryOverrides(withEx, next, [cancelled], B);
    assert.deepEqual(m.recurrence!.exdates, [z('2026-11-09T09:00:00Z')]);
    assert.deepEqual(overrides.map(shown), [['2026-11-16T09:00:00Z', '2026-11-16T09:00:00Z', '2026-11-16T10:00:00Z', 'Sync', 'cancelled', null]]);
  });

  it('EXDATEs the client changed with the move are its own', () => {
    const next = { ...later, recurrence: { ...later.recurrence!, exdates: [z('2026-11-02T09:00:00Z')] } };
    assert.deepEqual(carryOverrides(master, next, [], B).master.recurrence!.exdates, [z('2026-11-02T09:00:00Z')]);
  });

  it('a move by whole days moves every override by them, even onto a slot the old series also had', () => {
    const daily = ev({ start: z('2026-11-02T08:00:00Z'), end: z('2026-11-02T09:00:00Z'), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'], exdates: [], rdates: [] } });
    const nextDay = { ...daily, start: z('2026-11-03T08:00:00Z'), end: z('2026-11-03T09:00:00Z') };
    const edited = ev({ originalStart: z('2026-11-04T08:00:00Z'), start: z('2026-11-04T08:00:00Z'), end: z('2026-11-04T09:00:00Z'), title: 'Wed edited' });
    assert.deepEqual(carryOverrides(daily, nextDay, [edited], B).overrides.map((o) => [shown(o)[0], o.title]), [['2026-11-05T08:00:00Z', 'Wed edited']]);
  });

  it('an all-day series moved by a day takes its overrides along as dates', () => {
    const allDay = ev({ start: { date: '2026-11-02' }, end: { date: '2026-11-03' }, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=3'], exdates: [], rdates: [] } });
    const next = { ...allDay, start: { date: '2026-11-03' }, end: { date: '2026-11-04' } };
    const edited = ev({ originalStart: { date: '2026-11-09' }, start: { date: '2026-11-09' }, end: { date: '2026-11-10' }, title: 'Off-site' });
    const [o] = carryOverrides(allDay, next, [edited], B).overrides;
    assert.deepEqual([o!.originalStart, o!.start, o!.end, o!.title], [{ date: '2026-11-10' }, { date: '2026-11-10' }, { date: '2026-11-11' }, 'Off-site']);
  });

  it('an override whose shifted slot is past the series\' UNTIL is dropped; the others are carried', () => {
    const until = movedMaster({ recurrence: { rrules: ['FREQ=WEEKLY;UNTIL=20261123T080000Z'], exdates: [], rdates: [] } });
    const next = { ...until, start: z('2026-10-19T08:00:00Z'), end: z('2026-10-19T09:00:00Z') };
    const last = override('2026-11-23T08:00:00Z', '2026-11-23T08:00:00Z', '2026-11-23T09:00:00Z', 'Last');
    const before = override('2026-11-16T08:00:00Z', '2026-11-16T08:00:00Z', '2026-11-16T09:00:00Z', 'Before');
    assert.deepEqual(carryOverrides(until, next, [last, before], B).overrides.map((o) => o.title), ['Before']);
  });
});

describe('carryOverrides: a change of the rules carries nothing', () => {
  it('weekly Monday becoming Tuesday and Thursday drops the Monday overrides', () => {
    const tueThu = { ...master, start: z('2026-10-20T07:00:00Z'), end: z('2026-10-20T08:00:00Z'), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=6;BYDAY=TU,TH'], exdates: [], rdates: [] } };
    const monday = override('2026-11-02T08:00:00Z', '2026-11-02T08:00:00Z', '2026-11-02T09:00:00Z', 'Sync (board)');
    assert.deepEqual(carryOverrides(master, tueThu, [monday], B).overrides, []);
  });

  it('a COUNT cut drops the overrides past the new end and keeps the others where they were', () => {
    const cut = { ...master, recurrence: { ...master.recurrence!, rrules: ['FREQ=WEEKLY;COUNT=3'] } };
    const early = override('2026-10-26T08:00:00Z', '2026-10-26T08:00:00Z', '2026-10-26T09:00:00Z', 'Early');
    const late = override('2026-11-16T08:00:00Z', '2026-11-16T08:00:00Z', '2026-11-16T09:00:00Z', 'Late');
    assert.deepEqual(carryOverrides(master, cut, [early, late], B).overrides, [early]);
  });
});

describe('carryOverrides: a series-wide field the master changes reaches the overrides that did not change it', () => {
  const moved = override('2026-11-02T08:00:00Z', '2026-11-02T13:00:00Z', '2026-11-02T14:00:00Z', 'Sync');
  const retitled = override('2026-11-09T08:00:00Z', '2026-11-09T08:00:00Z', '2026-11-09T09:00:00Z', 'Sync (board)');

  it('a new title reaches an occurrence edited only in its time; one retitled by the user keeps its own', () => {
    const renamed = movedMaster({ title: 'Weekly sync' });
    const { overrides } = carryOverrides(master, renamed, [moved, retitled], B);
    assert.deepEqual(overrides.map(shown), [
      ['2026-11-02T08:00:00Z', '2026-11-02T13:00:00Z', '2026-11-02T14:00:00Z', 'Weekly sync', 'confirmed', 'm1_2026-11-02T08:00:00Z'],
      ['2026-11-09T08:00:00Z', '2026-11-09T08:00:00Z', '2026-11-09T09:00:00Z', 'Sync (board)', 'confirmed', 'm1_2026-11-09T08:00:00Z'],
    ]);
  });

  it('each field is decided on its own: description, location and availability follow where the override held the old value', () => {
    const withDetails = movedMaster({ description: 'Agenda', location: 'Room 1', availability: 'busy' });
    const own = { ...moved, description: 'Agenda', location: 'Room 7', availability: 'free' as const };
    const next = { ...withDetails, description: 'New agenda', location: 'Room 2', availability: 'tentative' as const };
    const [o] = carryOverrides(withDetails, next, [own], B).overrides;
    assert.deepEqual([o!.description, o!.location, o!.availability], ['New agenda', 'Room 7', 'free']);
  });

  it('a field cleared on the master is cleared where the override held it', () => {
    const withRoom = movedMaster({ location: 'Room 1' });
    const [o] = carryOverrides(withRoom, { ...withRoom, location: null }, [{ ...moved, location: 'Room 1' }], B).overrides;
    assert.equal(o!.location, null);
  });

  it('a new title reaches the overrides carried by a move too', () => {
    const later = movedMaster({ title: 'Weekly sync', start: z('2026-10-19T08:00:00Z'), end: z('2026-10-19T09:00:00Z') });
    const { overrides } = carryOverrides(master, later, [moved, retitled], B);
    assert.deepEqual(overrides.map((o) => [shown(o)[0], o.title]), [['2026-11-02T09:00:00Z', 'Weekly sync'], ['2026-11-09T09:00:00Z', 'Sync (board)']]);
  });
});

describe('carryOverrides: a new length and the series\' RDATEs', () => {
  const retitled = override('2026-11-09T08:00:00Z', '2026-11-09T08:00:00Z', '2026-11-09T09:00:00Z', 'Sync (board)');
  const mine = override('2026-10-26T08:00:00Z', '2026-10-26T13:00:00Z', '2026-10-26T13:30:00Z', 'Sync (moved)');

  it('a longer series lengthens the occurrences the user did not move (same instance, same id); a moved one keeps its own length', () => {
    const longer = movedMaster({ end: z('2026-10-19T08:30:00Z') });
    const { overrides } = carryOverrides(master, longer, [retitled, mine], B);
    assert.deepEqual(overrides.map(shown), [
      ['2026-11-09T08:00:00Z', '2026-11-09T08:00:00Z', '2026-11-09T09:30:00Z', 'Sync (board)', 'confirmed', 'm1_2026-11-09T08:00:00Z'],
      ['2026-10-26T08:00:00Z', '2026-10-26T13:00:00Z', '2026-10-26T13:30:00Z', 'Sync (moved)', 'confirmed', 'm1_2026-10-26T08:00:00Z'],
    ]);
  });

  it('a series moved and lengthened at once gives its untouched overrides the new times at the new slot', () => {
    const next = movedMaster({ start: z('2026-10-19T08:00:00Z'), end: z('2026-10-19T09:30:00Z') });
    assert.deepEqual(carryOverrides(master, next, [retitled], B).overrides.map(shown), [['2026-11-09T09:00:00Z', '2026-11-09T09:00:00Z', '2026-11-09T10:30:00Z', 'Sync (board)', 'confirmed', null]]);
  });

  it('RDATEs left as they were move with the series, and an override at one follows', () => {
    // An extra Wednesday 16:00 Berlin (15:00Z) occurrence, retitled.
    const withRdate = movedMaster({ recurrence: { rrules: ['FREQ=WEEKLY;COUNT=6'], exdates: [], rdates: [z('2026-11-04T15:00:00Z')] } });
    const later = { ...withRdate, start: z('2026-10-19T08:00:00Z'), end: z('2026-10-19T09:00:00Z') };
    const extra = override('2026-11-04T15:00:00Z', '2026-11-04T15:00:00Z', '2026-11-04T16:00:00Z', 'Extra');
    const { master: m, overrides } = carryOverrides(withRdate, later, [extra], B);
    assert.deepEqual(m.recurrence!.rdates, [z('2026-11-04T16:00:00Z')]);
    assert.deepEqual(overrides.map(shown), [['2026-11-04T16:00:00Z', '2026-11-04T16:00:00Z', '2026-11-04T17:00:00Z', 'Extra', 'confirmed', null]]);
  });

  it('RDATEs the client changed with the move are its own', () => {
    const withRdate = movedMaster({ recurrence: { rrules: ['FREQ=WEEKLY;COUNT=6'], exdates: [], rdates: [z('2026-11-04T15:00:00Z')] } });
    const later = { ...withRdate, start: z('2026-10-19T08:00:00Z'), end: z('2026-10-19T09:00:00Z'), recurrence: { ...withRdate.recurrence!, rdates: [z('2026-11-05T15:00:00Z')] } };
    assert.deepEqual(carryOverrides(withRdate, later, [], B).master.recurrence!.rdates, [z('2026-11-05T15:00:00Z')]);
  });

  it('nothing series-wide changed: the overrides are returned as they were', () => {
    const described = movedMaster({ visibility: 'private' });
    assert.deepEqual(carryOverrides(master, described, [retitled, mine], B).overrides, [retitled, mine]);
  });
});
