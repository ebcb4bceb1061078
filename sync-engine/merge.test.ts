import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEvent, type CanonicalEvent } from '../shared/model/index.ts';
import { merge3, recordedOutcome, settledBy, type MergeInput } from './merge.ts';

const base = parseEvent({
  uid: 'u',
  start: { dateTime: '2026-11-10T09:00:00Z', timeZone: 'UTC' },
  end: { dateTime: '2026-11-10T10:00:00Z', timeZone: 'UTC' },
  title: 'Planning',
  location: 'Room 1',
});
const withPatch = (p: Partial<CanonicalEvent>) => ({ ...base, ...p });
const run = (local: CanonicalEvent[], remote: CanonicalEvent[], extra: Partial<MergeInput> = {}) =>
  merge3({ base: [base], local, remote, policy: 'latest-wins', deletePolicy: 'modify-wins', localIsNewer: false, ...extra });

test('edits to different fields merge without conflict', () => {
  const r = run([withPatch({ title: 'Planning (moved)' })], [withPatch({ location: 'Room 2' })]);
  assert.deepEqual(r.conflicts, []);
  assert.equal(r.outcome, 'merged');
  assert.equal(r.events[0]!.title, 'Planning (moved)');
  assert.equal(r.events[0]!.location, 'Room 2');
});

test("a conflict lost by the hub is recorded remote though the hub's other change merged", () => {
  const local = [withPatch({ title: 'ours', description: 'notes' })];
  const remote = [withPatch({ title: 'theirs' })];
  const lost = run(local, remote, { policy: 'provider-wins' });
  assert.deepEqual([lost.outcome, lost.hubLost, recordedOutcome(lost)], ['merged', true, 'remote']);
  const won = run(local, remote, { policy: 'hub-wins' });
  assert.deepEqual([won.hubLost, recordedOutcome(won)], [false, 'local']);
  assert.equal(recordedOutcome(run(local, remote, { policy: 'manual' })), 'parked');
});

test('only one side changed: that side wins whole', () => {
  assert.equal(run([withPatch({ title: 'x' })], [base]).outcome, 'local');
  assert.equal(run([base], [withPatch({ title: 'y' })]).outcome, 'remote');
});

test('the same field changed both ways follows the policy', () => {
  const local = [withPatch({ title: 'ours' })];
  const remote = [withPatch({ title: 'theirs' })];
  assert.equal(run(local, remote, { policy: 'hub-wins' }).events[0]!.title, 'ours');
  assert.equal(run(local, remote, { policy: 'provider-wins' }).events[0]!.title, 'theirs');
  assert.equal(run(local, remote, { policy: 'latest-wins', localIsNewer: true }).events[0]!.title, 'ours');
  assert.equal(run(local, remote, { policy: 'latest-wins', localIsNewer: false }).events[0]!.title, 'theirs');
  const manual = run(local, remote, { policy: 'manual' });
  assert.equal(manual.parked, true);
  assert.deepEqual(manual.conflicts, [':title']);
  assert.equal(manual.events[0]!.title, 'theirs');
});

test('equal changes on both sides are not a conflict', () => {
  const r = run([withPatch({ title: 'same' })], [withPatch({ title: 'same' })]);
  assert.deepEqual(r.conflicts, []);
});

test('delete versus modify follows the delete policy', () => {
  const modified = [withPatch({ title: 'edited' })];
  const kept = run(modified, [], { deletePolicy: 'modify-wins' });
  assert.deepEqual(kept.conflicts, [':deleted']);
  assert.equal(kept.events.length, 1);
  assert.equal(run(modified, [], { deletePolicy: 'delete-wins' }).events.length, 0);
  assert.equal(run([base], [], { deletePolicy: 'modify-wins' }).events.length, 0, 'an unmodified event follows the delete');
});

test("the hub's deletion against the provider's change is recorded deleted or recreated, not local or remote", () => {
  const edited = [withPatch({ title: 'Outlook title' })];
  const gone = run([], edited, { deletePolicy: 'delete-wins' });
  assert.deepEqual([gone.conflicts, gone.events.length, recordedOutcome(gone)], [[':deleted'], 0, 'deleted']);
  const back = run([], edited, { deletePolicy: 'modify-wins' });
  assert.deepEqual([back.conflicts, back.events.length, recordedOutcome(back)], [[':deleted'], 1, 'recreated']);
  assert.equal(recordedOutcome(run([], edited, { policy: 'manual' })), 'parked');
  assert.equal(settledBy(gone, 'latest-wins', 'delete-wins'), 'delete-wins');
});

test('an override added on one side is kept', () => {
  const override = parseEvent({ ...base, originalStart: { dateTime: '2026-11-17T09:00:00Z', timeZone: 'UTC' }, start: { dateTime: '2026-11-17T11:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-17T12:00:00Z', timeZone: 'UTC' } });
  const r = run([base, override], [withPatch({ title: 'renamed' })]);
  assert.equal(r.events.length, 2);
  assert.equal(r.outcome, 'merged');
});

test('an occurrence cancelled on one side and changed on the other is delete versus modify, not a field merge', () => {
  const slot = { dateTime: '2026-11-17T09:00:00Z', timeZone: 'UTC' };
  const at = parseEvent({ ...base, originalStart: slot, start: slot, end: { dateTime: '2026-11-17T10:00:00Z', timeZone: 'UTC' } });
  // Google keeps only a cancelled instance's slot (A.2): no title, no place, no length.
  const cancelled = parseEvent({ uid: 'u', originalStart: slot, start: slot, end: slot, status: 'cancelled' });
  const edited = { ...at, title: 'Retitled' };
  const merge = (local: CanonicalEvent, remote: CanonicalEvent, deletePolicy: MergeInput['deletePolicy']) =>
    merge3({ base: [at], local: [local], remote: [remote], policy: 'latest-wins', deletePolicy, localIsNewer: false });

  const back = merge(edited, cancelled, 'modify-wins');
  assert.deepEqual(back.conflicts, ['2026-11-17T09:00:00Z:deleted']);
  assert.deepEqual(back.events, [edited], 'the hub\'s change brings it back whole');
  assert.equal(back.outcome, 'local');
  assert.equal(settledBy(back, 'latest-wins', 'modify-wins'), 'modify-wins');
  const stands = merge(edited, cancelled, 'delete-wins');
  assert.deepEqual(stands.conflicts, ['2026-11-17T09:00:00Z:deleted']);
  assert.deepEqual(stands.events, [cancelled]);
  assert.equal(stands.outcome, 'remote');

  // Cancelled in the hub, changed at the provider: the same rule from the other side.
  const theirs = { ...at, location: 'Room 7' };
  assert.deepEqual(merge({ ...at, status: 'cancelled' }, theirs, 'modify-wins').events, [theirs]);
  assert.equal(merge({ ...at, status: 'cancelled' }, theirs, 'delete-wins').events[0]!.status, 'cancelled');

  const untouched = merge(at, cancelled, 'modify-wins');
  assert.deepEqual(untouched.conflicts, [], 'not changed on the other side: the cancellation simply stands');
  assert.deepEqual(untouched.events, [cancelled]);

  // An invitee's copy is the organizer's to bring back.
  const guest = { ...edited, organizer: { email: 'boss@corp.test', name: null }, attendees: [{ email: 'me@corp.test', name: null, response: 'accepted' as const, optional: false, self: true }] };
  const invited = merge3({ base: [{ ...guest, title: at.title }], local: [guest], remote: [cancelled], policy: 'latest-wins', deletePolicy: 'modify-wins', localIsNewer: true });
  assert.deepEqual(invited.events, [cancelled]);
});

test('an overridden occurrence removed by an EXDATE on one side and changed on the other is delete versus modify', () => {
  const slot = { dateTime: '2026-11-17T09:00:00Z', timeZone: 'UTC' };
  const master = parseEvent({ ...base, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'], exdates: [], rdates: [] } });
  const at = parseEvent({ ...base, originalStart: slot, start: slot, end: { dateTime: '2026-11-17T10:00:00Z', timeZone: 'UTC' }, location: 'Room 5' });
  const exdated = { ...master, recurrence: { ...master.recurrence!, exdates: [slot] } };
  const edited = { ...at, title: 'Retitled' };
  const merge = (deletePolicy: MergeInput['deletePolicy']) =>
    merge3({ base: [master, at], local: [master, edited], remote: [exdated], policy: 'latest-wins', deletePolicy, localIsNewer: false });

  const back = merge('modify-wins');
  assert.deepEqual(back.conflicts, ['2026-11-17T09:00:00Z:deleted']);
  assert.deepEqual(back.events, [master, edited], 'it comes back without the EXDATE that would hide it');
  assert.equal(back.outcome, 'local');
  const stands = merge('delete-wins');
  assert.deepEqual(stands.events, [exdated], 'the EXDATE stands as the server wrote it');
  assert.equal(stands.outcome, 'remote');
  const untouched = merge3({ base: [master, at], local: [master, at], remote: [exdated], policy: 'latest-wins', deletePolicy: 'modify-wins', localIsNewer: false });
  assert.deepEqual([untouched.conflicts, untouched.events, untouched.outcome], [[], [exdated], 'remote'], 'unchanged here, the removal is taken');
});

test('an occurrence both sides overrode first, the base holding only its series, merges per field against the series there', () => {
  const master = parseEvent({ ...base, description: 'v1', recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } });
  const at = { dateTime: '2026-11-13T09:00:00Z', timeZone: 'UTC' };
  const occurrence: CanonicalEvent = { ...master, recurrence: null, originalStart: at, start: at, end: { dateTime: '2026-11-13T10:00:00Z', timeZone: 'UTC' } };
  const local = [master, { ...occurrence, title: 'retitled here' }];
  const remote = [master, { ...occurrence, description: 'described there', location: 'Room T' }];
  const r = merge3({ base: [master], local, remote, policy: 'latest-wins', deletePolicy: 'modify-wins', localIsNewer: true });
  assert.deepEqual(r.conflicts, []);
  assert.equal(r.outcome, 'merged');
  const merged = r.events.find((e) => e.originalStart)!;
  assert.deepEqual([merged.title, merged.description, merged.location], ['retitled here', 'described there', 'Room T']);

  const both = merge3({ base: [master], local, remote: [master, { ...occurrence, title: 'retitled there', location: 'Room T' }], policy: 'hub-wins', deletePolicy: 'modify-wins', localIsNewer: false });
  assert.deepEqual(both.conflicts, ['2026-11-13T09:00:00Z:title'], 'only the field changed on both sides');
  assert.deepEqual([both.events[1]!.title, both.events[1]!.location], ['retitled here', 'Room T']);
});

test('a regular occurrence cancelled by an EXDATE on one side and first overridden on the other is delete versus modify', () => {
  const master = parseEvent({ ...base, recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } });
  const at = { dateTime: '2026-11-13T09:00:00Z', timeZone: 'UTC' };
  const edited: CanonicalEvent = { ...master, recurrence: null, originalStart: at, start: at, end: { dateTime: '2026-11-13T10:00:00Z', timeZone: 'UTC' }, title: 'retitled here' };
  const exdated = { ...master, recurrence: { ...master.recurrence!, exdates: [at] } };
  const input = { base: [master], local: [master, edited], remote: [exdated], policy: 'latest-wins' as const, localIsNewer: true };
  const kept = merge3({ ...input, deletePolicy: 'modify-wins' });
  assert.deepEqual(kept.conflicts, ['2026-11-13T09:00:00Z:deleted']);
  assert.deepEqual(kept.events.map((e) => [e.title, e.recurrence?.exdates.length ?? null]), [['Planning', 0], ['retitled here', null]]);
  const gone = merge3({ ...input, deletePolicy: 'delete-wins' });
  assert.deepEqual(gone.conflicts, ['2026-11-13T09:00:00Z:deleted']);
  assert.deepEqual(gone.events.map((e) => [e.title, e.recurrence?.exdates.length ?? null]), [['Planning', 1]]);
  assert.equal(gone.outcome, 'remote');
});

test('an occurrence the hub deleted after access came back from freebusy stays deleted: the provider\'s details are no modification', () => {
  const at = (h: number) => ({ dateTime: `2026-11-17T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
  const master = parseEvent({ uid: 's', start: { dateTime: '2026-11-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-10T10:00:00Z', timeZone: 'UTC' }, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'], exdates: [], rdates: [] } });
  const moved = parseEvent({ uid: 's', originalStart: at(9), start: at(11), end: at(12) });
  const scrubbed = [master, moved]; // as agreed under freebusy: no details
  const detailed = (e: CanonicalEvent) => ({ ...e, title: 'Therapy', location: 'Clinic' });
  const local = [master, { ...moved, status: 'cancelled' as const }];
  const merge = (remote: CanonicalEvent[], baseWithoutDetails: boolean) =>
    merge3({ base: scrubbed, local, remote, policy: 'latest-wins', deletePolicy: 'modify-wins', localIsNewer: true, baseWithoutDetails });
  const occurrence = (events: CanonicalEvent[]) => events.find((e) => e.originalStart)!;

  const kept = merge(scrubbed.map(detailed), true);
  assert.equal(occurrence(kept.events).status, 'cancelled');
  assert.deepEqual(kept.conflicts, []);
  // Moved again at the provider: that is a modification, and modify-wins brings it back.
  const changed = merge([detailed(master), detailed({ ...moved, start: at(13), end: at(14) })], true);
  assert.equal(occurrence(changed.events).status, 'confirmed');
  assert.equal(changed.conflicts.length, 1);
  // Agreed on with details, the same listing is a modification too.
  assert.equal(occurrence(merge(scrubbed.map(detailed), false).events).status, 'confirmed');
});
