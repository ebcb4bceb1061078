import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RemoteChange } from '../connectors/index.ts';
import { contentHash, parseEvent, type CanonicalEvent, type CanonicalEventInput } from '../shared/model/index.ts';
import { dropOffRuleCancellations, overrideKey, overrideOnlyUids, strandedCancellations } from './off-rule.ts';
import { plainOccurrence } from './plain-occurrences.ts';

const B = 'Europe/Berlin';
const z = (dateTime: string) => ({ dateTime, timeZone: B });
const ev = (input: Partial<CanonicalEventInput>): CanonicalEvent => parseEvent({ uid: 's', title: 'T series', start: z('2027-01-04T08:00:00Z'), end: z('2027-01-04T09:00:00Z'), ...input } as CanonicalEventInput);
const rule = { rrules: ['FREQ=DAILY;COUNT=5'], exdates: [], rdates: [] };
// Daily 09:00 Berlin, moved half an hour later.
const master = ev({ recurrence: rule });
const moved = ev({ recurrence: rule, start: z('2027-01-04T08:30:00Z'), end: z('2027-01-04T09:30:00Z') });
// Google's cancelled exception: only id, recurringEventId and originalStartTime, so start == end.
const cancelledAt = (at: string) => ev({ originalStart: z(at), start: z(at), end: z(at), status: 'cancelled' });
const up = (remoteId: string, ...events: CanonicalEvent[]): RemoteChange => ({ kind: 'upsert', remoteId, version: '"1"', events });

describe('dropOffRuleCancellations: a cancelled exception off its series\' rule is no row', () => {
  it('one at the old original start of a moved series becomes a delete of its object (the moved master in the page)', () => {
    const page = [up('s', moved), up('s_20270105T080000Z', cancelledAt('2027-01-05T08:00:00Z'))];
    assert.deepEqual(overrideOnlyUids(page), ['s']);
    assert.deepEqual(dropOffRuleCancellations(page, new Map(), B), [page[0], { kind: 'delete', remoteId: 's_20270105T080000Z' }]);
  });

  it('the stored master decides when the page has none', () => {
    const page = [up('s_20270105T080000Z', cancelledAt('2027-01-05T08:00:00Z'))];
    assert.deepEqual(dropOffRuleCancellations(page, new Map([['s', moved]]), B), [{ kind: 'delete', remoteId: 's_20270105T080000Z' }]);
  });

  it('a cancelled exception on the rule stays (it cancels that occurrence), EXDATEd or not', () => {
    const page = [up('s_20270106T083000Z', cancelledAt('2027-01-06T08:30:00Z'))];
    assert.equal(dropOffRuleCancellations(page, new Map([['s', moved]]), B), page);
    const exdated = { ...moved, recurrence: { ...rule, exdates: [z('2027-01-06T08:30:00Z')] } };
    assert.equal(dropOffRuleCancellations(page, new Map([['s', exdated]]), B), page);
  });

  it('without a recurring master nothing is decided; a live exception off the rule is not this function\'s', () => {
    const cancelled = [up('s_20270105T080000Z', cancelledAt('2027-01-05T08:00:00Z'))];
    assert.equal(dropOffRuleCancellations(cancelled, new Map(), B), cancelled);
    const live = [up('s_20270105T080000Z', ev({ originalStart: z('2027-01-05T08:00:00Z'), title: 'T override' }))];
    assert.equal(dropOffRuleCancellations(live, new Map([['s', moved]]), B), live);
    assert.deepEqual(overrideOnlyUids(live), ['s'], 'its master decides');
  });

  it('an exception that is the plain occurrence of its series (a move by whole days) is no row unless the hub holds one there', () => {
    // Moved by a day: the old original start (the 6th) is another occurrence of the moved rule.
    const byDay = ev({ recurrence: rule, start: z('2027-01-05T08:00:00Z'), end: z('2027-01-05T09:00:00Z') });
    const plain = { ...plainOccurrence(byDay, z('2027-01-06T08:00:00Z')), providerEventId: 's_20270106T080000Z' };
    const page = [up('s_20270106T080000Z', plain)];
    assert.deepEqual(dropOffRuleCancellations(page, new Map([['s', byDay]]), B), [{ kind: 'delete', remoteId: 's_20270106T080000Z' }]);
    assert.equal(dropOffRuleCancellations(page, new Map([['s', byDay]]), B, new Set([overrideKey(plain)])), page, 'an override row the hub holds there stays');
    const edited = [up('s_20270106T080000Z', { ...plain, title: 'T override' })];
    assert.equal(dropOffRuleCancellations(edited, new Map([['s', byDay]]), B), edited, 'an edited one stays');
  });

  it('before the move the same exception is on the rule and stays', () => {
    const page = [up('s_20270105T080000Z', cancelledAt('2027-01-05T08:00:00Z'))];
    assert.equal(dropOffRuleCancellations(page, new Map([['s', master]]), B), page);
  });

  it('on a full listing a held row that is the plain occurrence too goes, when nothing of its series is pending', () => {
    const byDay = ev({ recurrence: rule, start: z('2027-01-05T08:00:00Z'), end: z('2027-01-05T09:00:00Z') });
    const plain = { ...plainOccurrence(byDay, z('2027-01-06T08:00:00Z')), providerEventId: 's_20270106T080000Z' };
    const page = [up('s_20270106T080000Z', plain)];
    const stored = new Map([['s', byDay]]);
    const heldPlain = new Map([[overrideKey(plain), contentHash(plain)]]);
    assert.deepEqual(dropOffRuleCancellations(page, stored, B, heldPlain, new Set(['s'])), [{ kind: 'delete', remoteId: 's_20270106T080000Z' }]);
    assert.equal(dropOffRuleCancellations(page, stored, B, heldPlain, new Set()), page, 'not while the series has changes to push');
    const heldEdited = new Map([[overrideKey(plain), contentHash({ ...plain, title: 'T override' })]]);
    assert.equal(dropOffRuleCancellations(page, stored, B, heldEdited, new Set(['s'])), page, 'a held row the user edited stays (the push owes Google its edit)');
  });
});

describe('strandedCancellations: a moved master leaves the stored cancelled overrides off its rule', () => {
  const row = (remoteId: string, e: CanonicalEvent) => ({ remoteId, event: e });
  const rows = new Map([['s', [
    row('s', master),
    row('s_20270105T080000Z', cancelledAt('2027-01-05T08:00:00Z')),
    row('s_20270106T083000Z', cancelledAt('2027-01-06T08:30:00Z')),
    row('s_20270107T080000Z', ev({ originalStart: z('2027-01-07T08:00:00Z'), title: 'T override' })),
  ]]]);
  it('the cancelled ones off the moved rule, not one on it, not a live one', () => {
    assert.deepEqual(strandedCancellations([up('s', moved)], rows, B, new Set(['s'])), ['s_20270105T080000Z']);
  });
  it('none while the series has changes to push, none for an object in the page, none without a master in the page', () => {
    assert.deepEqual(strandedCancellations([up('s', moved)], rows, B, new Set()), []);
    assert.deepEqual(strandedCancellations([up('s', moved), up('s_20270105T080000Z', cancelledAt('2027-01-05T08:00:00Z'))], rows, B, new Set(['s'])), []);
    assert.deepEqual(strandedCancellations([up('s_20270106T083000Z', cancelledAt('2027-01-06T08:30:00Z'))], rows, B, new Set(['s'])), []);
  });
  it('before the move the cancellation at 09:00 is on the rule and stays', () => {
    assert.ok(!strandedCancellations([up('s', master)], rows, B, new Set(['s'])).includes('s_20270105T080000Z'));
  });
});
