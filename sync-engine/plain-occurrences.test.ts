import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentHash, eventTimeKey, parseEvent, type CanonicalEvent } from '../shared/model/index.ts';
import type { LedgerEntry } from '../shared/store/index.ts';
import { objectHash } from './object-hash.ts';
import { droppedOverrides, isOccurrence, keepInertOverrides, plainOccurrence, showsAnything } from './plain-occurrences.ts';

const UID = 'weekly@calhub.test';
// Mondays 09:00 in Berlin, across the DST change of 2027-03-28 (08:00Z, then 07:00Z).
const berlin = (day: string, utcHour: number) => ({ dateTime: `2027-${day}T${String(utcHour).padStart(2, '0')}:00:00Z`, timeZone: 'Europe/Berlin' });
const master = (count = 6) =>
  parseEvent({ uid: UID, title: 'Busy', visibility: 'private', start: berlin('03-08', 8), end: berlin('03-08', 9), recurrence: { rrules: [`FREQ=WEEKLY;BYDAY=MO;COUNT=${count}`], exdates: [], rdates: [] } });
const moved = (day: string, utcHour: number, status: 'confirmed' | 'cancelled' = 'confirmed') =>
  parseEvent({ uid: UID, title: 'Busy', visibility: 'private', originalStart: berlin(day, utcHour), start: berlin(day, utcHour + 3), end: berlin(day, utcHour + 4), status });
const keys = (events: CanonicalEvent[]) => events.filter((e) => e.originalStart).map((e) => `${eventTimeKey(e.originalStart!)} ${e.status}`).sort();
const ledger = (remoteId: string, e: CanonicalEvent): LedgerEntry => ({ remoteId, uid: UID, base: [e], baseHash: objectHash([e]), providerVersion: `"${remoteId}"` });

describe('plainOccurrence', () => {
  it('is the master at the original start, for the master\'s length, without a rule', () => {
    const p = plainOccurrence(master(), berlin('04-05', 7));
    assert.deepEqual([p.start, p.end, p.recurrence, p.title, p.visibility], [berlin('04-05', 7), berlin('04-05', 8), null, 'Busy', 'private']);
  });

  it('keeps whole days for an all-day series', () => {
    const daily = parseEvent({ uid: UID, start: { date: '2027-02-01' }, end: { date: '2027-02-02' }, recurrence: { rrules: ['FREQ=DAILY;COUNT=6'], exdates: [], rdates: [] } });
    const p = plainOccurrence(daily, { date: '2027-02-03' });
    assert.deepEqual([p.start, p.end], [{ date: '2027-02-03' }, { date: '2027-02-04' }]);
  });
});

describe('isOccurrence', () => {
  it('knows the occurrences of the rule, on both sides of a DST change, and not others', () => {
    assert.equal(isOccurrence(master(), berlin('03-22', 8), 'UTC'), true);
    assert.equal(isOccurrence(master(), berlin('04-05', 7), 'UTC'), true);
    assert.equal(isOccurrence(master(), berlin('04-05', 8), 'UTC'), false, 'the wall clock moved with DST');
    assert.equal(isOccurrence(master(3), berlin('04-05', 7), 'UTC'), false, 'past the COUNT');
  });
});

describe('keepInertOverrides', () => {
  it('keeps an override the target holds that shows the plain occurrence, where the source has none', () => {
    const held = [master(8), plainOccurrence(master(8), berlin('03-15', 8))];
    const out = keepInertOverrides([master(8)], held, 'UTC');
    assert.equal(objectHash(out), objectHash(held));
  });

  it('drops a held override that still moves its occurrence, and leaves instances the source names alone', () => {
    assert.deepEqual(keys(keepInertOverrides([master(8)], [master(8), moved('03-15', 8)], 'UTC')), []);
    const want = [master(8), moved('03-15', 8)];
    assert.equal(keepInertOverrides(want, [master(8), plainOccurrence(master(8), berlin('03-15', 8))], 'UTC'), want);
  });

  it('keeps a held cancellation of an instance the series no longer has', () => {
    const gone = { ...plainOccurrence(master(), berlin('04-19', 7)), status: 'cancelled' as const };
    assert.deepEqual(keys(keepInertOverrides([master(3)], [master(3), gone], 'UTC')), ['2027-04-19T07:00:00Z cancelled']);
  });
});

describe('droppedOverrides', () => {
  it('names each override the provider holds apart that the hub dropped, with what to write over it', () => {
    const m = { ...master(8), providerEventId: 'm' };
    const kept = { ...moved('03-22', 8), providerEventId: 'x2' };
    const out = droppedOverrides([m, kept], [ledger('m', master()), ledger('x1', moved('03-15', 8)), ledger('x2', moved('03-22', 8))], 'UTC');
    assert.deepEqual(out.map((d) => d.known.remoteId), ['x1']);
    assert.equal(contentHash(out[0]!.event), contentHash(plainOccurrence(m, berlin('03-15', 8))));
  });

  it('cancels one whose original start is no longer an occurrence; skips those the hub writes itself', () => {
    const m = { ...master(3), providerEventId: 'm' };
    const out = droppedOverrides([m], [ledger('x5', moved('04-05', 7))], 'UTC');
    assert.deepEqual(out.map((d) => d.event.status), ['cancelled']);
    const fresh = { ...moved('03-15', 8), providerEventId: null };
    assert.deepEqual(droppedOverrides([m, fresh], [ledger('x1', moved('03-15', 8))], 'UTC'), []);
  });

  it('names none without a series master in the hub', () => {
    assert.deepEqual(droppedOverrides([], [ledger('x1', moved('03-15', 8))], 'UTC'), []);
  });
});

describe('showsAnything', () => {
  it('is false only for a series whose every occurrence is EXDATEd or cancelled', () => {
    const three = master(3);
    const ex = (days: Array<[string, number]>) => ({ ...three, recurrence: { ...three.recurrence!, exdates: days.map(([d, h]) => berlin(d, h)) } });
    assert.equal(showsAnything([three], 'UTC'), true);
    assert.equal(showsAnything([ex([['03-08', 8], ['03-15', 8]])], 'UTC'), true);
    assert.equal(showsAnything([ex([['03-08', 8], ['03-15', 8]]), moved('03-22', 8, 'cancelled')], 'UTC'), false);
    assert.equal(showsAnything([ex([['03-08', 8], ['03-15', 8]]), moved('03-22', 8)], 'UTC'), true, 'a moved instance still shows');
    assert.equal(showsAnything([parseEvent({ uid: UID, start: berlin('03-08', 8), end: berlin('03-08', 9) })], 'UTC'), true);
  });
});
