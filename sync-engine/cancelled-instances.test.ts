import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventTimeKey, parseEvent, type CanonicalEvent } from '../shared/model/index.ts';
import { foldCancelledOverrides, respellCancellations, settleCancelledLive } from './cancelled-instances.ts';

const UID = 'weekly@calhub.test';
const at = (day: number, hour = 9) => ({ dateTime: `2027-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const master = (exdays: number[] = []) =>
  parseEvent({ uid: UID, title: 'Weekly', start: at(1), end: at(1, 10), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=5'], exdates: exdays.map((d) => at(d)), rdates: [] } });
const override = (day: number, status: 'confirmed' | 'cancelled', hour = 9) =>
  parseEvent({ uid: UID, title: 'Weekly', originalStart: at(day), start: at(day, hour), end: at(day, hour + 1), status });
const exdays = (events: CanonicalEvent[]) => events.find((e) => e.originalStart === null)!.recurrence!.exdates.map(eventTimeKey).sort();
const overrides = (events: CanonicalEvent[]) => events.filter((e) => e.originalStart).map((e) => `${eventTimeKey(e.originalStart!)} ${e.status}`).sort();

describe('foldCancelledOverrides', () => {
  it('turns cancelled overrides into EXDATEs of the master and keeps the others', () => {
    const out = foldCancelledOverrides([master([1]), override(8, 'cancelled'), override(15, 'confirmed', 13), override(22, 'cancelled')]);
    assert.deepEqual(exdays(out), ['2027-03-01T09:00:00Z', '2027-03-08T09:00:00Z', '2027-03-22T09:00:00Z']);
    assert.deepEqual(overrides(out), ['2027-03-15T09:00:00Z confirmed']);
  });

  it('does not repeat an EXDATE the master already has', () => {
    assert.deepEqual(exdays(foldCancelledOverrides([master([8]), override(8, 'cancelled')])), ['2027-03-08T09:00:00Z']);
  });

  it('returns the same array when there is nothing to fold', () => {
    const plain = [master(), override(8, 'confirmed', 12)];
    assert.equal(foldCancelledOverrides(plain), plain);
    // Without a series master there is nothing to hold an EXDATE.
    const orphan = [override(8, 'cancelled')];
    assert.equal(foldCancelledOverrides(orphan), orphan);
  });
});

describe('respellCancellations', () => {
  it('keeps an EXDATE the target holds where the source has a cancelled override (a copy on Graph)', () => {
    const out = respellCancellations([master(), override(8, 'cancelled'), override(15, 'confirmed', 13)], [master([8]), override(15, 'confirmed', 13)]);
    assert.deepEqual(exdays(out), ['2027-03-08T09:00:00Z']);
    assert.deepEqual(overrides(out), ['2027-03-15T09:00:00Z confirmed']);
  });

  it('keeps a cancelled override the target holds where the source has an EXDATE (a Graph series copied to Google)', () => {
    const out = respellCancellations([master([8, 22])], [master(), override(8, 'cancelled')]);
    assert.deepEqual(exdays(out), ['2027-03-22T09:00:00Z']);
    assert.deepEqual(overrides(out), ['2027-03-08T09:00:00Z cancelled']);
  });

  it('cancels a live override the target holds where the source has an EXDATE (Google keeps overrides apart)', () => {
    const out = respellCancellations([master([8])], [master(), override(8, 'confirmed', 14)]);
    assert.deepEqual(exdays(out), []);
    assert.deepEqual(overrides(out), ['2027-03-08T09:00:00Z cancelled']);
  });

  it('leaves instances only one side cancels as the source has them', () => {
    const want = [master([22]), override(8, 'cancelled')];
    assert.equal(respellCancellations(want, [master()]), want);
    // An instance the source moved is not a cancellation, whatever the target held.
    const moved = [master(), override(8, 'confirmed', 14)];
    assert.equal(respellCancellations(moved, [master([8])]), moved);
  });
});

describe('settleCancelledLive', () => {
  // A change made at Graph to an occurrence the hub's pending EXDATE cancels (graph-occurrence-cancel-race.int.test.ts).
  it('modify-wins keeps the live override and drops its EXDATE', () => {
    const out = settleCancelledLive([master([8, 22]), override(8, 'confirmed', 13)], 'modify-wins', master());
    assert.deepEqual(out.keys, ['2027-03-08T09:00:00Z']);
    assert.deepEqual(exdays(out.events), ['2027-03-22T09:00:00Z']);
    assert.deepEqual(overrides(out.events), ['2027-03-08T09:00:00Z confirmed']);
  });

  it('delete-wins cancels the override, which folding turns into the EXDATE', () => {
    const out = settleCancelledLive([master([8]), override(8, 'confirmed', 13)], 'delete-wins', null);
    assert.deepEqual(overrides(out.events), ['2027-03-08T09:00:00Z cancelled']);
    assert.deepEqual(exdays(foldCancelledOverrides(out.events)), ['2027-03-08T09:00:00Z']);
  });

  it('returns the same array when no live override meets an EXDATE', () => {
    const plain = [master([8]), override(15, 'confirmed', 12), override(8, 'cancelled')];
    assert.equal(settleCancelledLive(plain, 'modify-wins', null).events, plain);
    // Cancelled at the provider already (the agreed master has the EXDATE): not this settlement's.
    const there = [master([8]), override(8, 'confirmed', 13)];
    assert.equal(settleCancelledLive(there, 'modify-wins', master([8])).events, there);
  });
});
