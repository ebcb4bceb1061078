import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventTimeKey, parseEvent, type CanonicalEvent } from '../shared/model/index.ts';
import { holdApart } from './mirror-apart.ts';

const UID = 'daily@calhub.test';
const day = (d: number, hour = 9) => ({ dateTime: `2027-03-${String(d).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const master = parseEvent({ uid: UID, title: 'Daily', start: day(1), end: day(1, 10), recurrence: { rrules: ['FREQ=DAILY;COUNT=10'], exdates: [], rdates: [] } });
const moved = (from: number, to: number, hour = 9) => parseEvent({ uid: UID, title: 'Daily', originalStart: day(from), start: day(to, hour), end: day(to, hour + 1) });
const states = (events: CanonicalEvent[]) => events.filter((e) => e.originalStart).map((e) => `${eventTimeKey(e.originalStart!)} ${e.status}`);

describe('holdApart (a copy on a provider that keeps a series in order)', () => {
  it('an occurrence moved past its neighbour is cancelled in the series and held apart as it was', () => {
    const far = moved(3, 5);
    const { series, apart } = holdApart([master, far], 'UTC');
    assert.deepEqual(states(series), ['2027-03-03T09:00:00Z cancelled']);
    assert.deepEqual(apart, [far]);
  });

  it('an occurrence moved within its neighbours stays in the series', () => {
    const near = moved(3, 3, 15);
    const { series, apart } = holdApart([master, near], 'UTC');
    assert.deepEqual(states(series), ['2027-03-03T09:00:00Z confirmed']);
    assert.deepEqual(apart, []);
  });

  it('once one is held apart it is no neighbour: the next is judged against the series without it', () => {
    // The 3rd moved to 10:00 on the 4th, the 4th to 08:00 that day: each crosses the other.
    const third = moved(3, 4, 10);
    const fourth = moved(4, 4, 8);
    const { series, apart } = holdApart([fourth, master, third], 'UTC');
    assert.deepEqual(apart, [third]);
    assert.deepEqual(states(series).sort(), ['2027-03-03T09:00:00Z cancelled', '2027-03-04T09:00:00Z confirmed']);
  });

  it('one held apart before stays apart when it no longer crosses: the provider cannot bring back what it cancelled', () => {
    const near = moved(3, 3, 15);
    assert.deepEqual(holdApart([master, near], 'UTC', () => true).apart, [near]);
    assert.deepEqual(holdApart([master, near], 'UTC', () => false).apart, []);
  });
});
