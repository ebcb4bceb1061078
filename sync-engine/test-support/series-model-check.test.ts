/**
 * The series model's store/provider check leaves out a provider exception only where the store
 * rightly has no row for it (series-model.ts isPlainException): exactly the plain occurrence of its
 * series, at an original start the series still has. Anything else the store must hold, so a hub
 * that dropped it fails the check.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent, type CanonicalEvent, type CanonicalEventInput } from '../../shared/model/index.ts';
import { plainOccurrence } from '../plain-occurrences.ts';
import { isPlainException } from './series-model.ts';

const z = (dateTime: string) => ({ dateTime, timeZone: 'UTC' });
const ev = (input: Partial<CanonicalEventInput>): CanonicalEvent => parseEvent({ uid: 's', title: 'S', start: z('2027-01-04T08:00:00Z'), end: z('2027-01-04T09:00:00Z'), ...input } as CanonicalEventInput);
const master = ev({ recurrence: { rrules: ['FREQ=DAILY;COUNT=5'], exdates: [z('2027-01-07T08:00:00Z')], rdates: [] } });
const masters = new Map([['s', master]]);
const plainAt = (at: string) => plainOccurrence(master, z(at));

describe('series model check: which provider exceptions need no store row', () => {
  it('the plain occurrence at an occurrence of the series, the store holding no row there', () => {
    assert.equal(isPlainException(plainAt('2027-01-05T08:00:00Z'), masters, {}, 'UTC'), true);
  });
  it('not where the store holds a row (then the two are compared)', () => {
    assert.equal(isPlainException(plainAt('2027-01-05T08:00:00Z'), masters, { 's 2027-01-05T08:00:00Z': '{}' }, 'UTC'), false);
  });
  it('not one that differs in any field, times or not', () => {
    assert.equal(isPlainException({ ...plainAt('2027-01-05T08:00:00Z'), title: 'edited' }, masters, {}, 'UTC'), false);
    assert.equal(isPlainException({ ...plainAt('2027-01-05T08:00:00Z'), availability: 'free' }, masters, {}, 'UTC'), false);
    assert.equal(isPlainException({ ...plainAt('2027-01-05T08:00:00Z'), status: 'cancelled' }, masters, {}, 'UTC'), false);
  });
  it('not one off the rule or at an EXDATE: it shows an instance the series does not', () => {
    assert.equal(isPlainException(plainAt('2027-01-05T08:30:00Z'), masters, {}, 'UTC'), false, 'off the rule');
    assert.equal(isPlainException(plainAt('2027-01-07T08:00:00Z'), masters, {}, 'UTC'), false, 'EXDATEd');
    assert.equal(isPlainException(plainAt('2027-01-10T08:00:00Z'), masters, {}, 'UTC'), false, 'past COUNT');
  });
});
