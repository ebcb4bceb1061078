import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEvent, type Attendee, type AttendeeResponse, type CanonicalEvent } from '../shared/model/index.ts';
import { mergeAttendees } from './attendee-merge.ts';
import { merge3, type MergeInput } from './merge.ts';

const guest = (email: string, response: AttendeeResponse = 'needsAction', extra: Partial<Attendee> = {}): Attendee => ({ email, name: null, response, optional: false, self: false, ...extra });
const me = (response: AttendeeResponse) => guest('me@corp.test', response, { self: true });
const answers = (list: Attendee[]) => Object.fromEntries(list.map((a) => [a.email.toLowerCase(), a.response]));

const meeting = (attendees: Attendee[], extra: Partial<CanonicalEvent> = {}): CanonicalEvent => ({
  ...parseEvent({ uid: 'm', start: { dateTime: '2026-11-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-10T10:00:00Z', timeZone: 'UTC' }, title: 'Review', organizer: { email: 'me@corp.test' } }),
  attendees,
  ...extra,
});
const run = (base: Attendee[], local: Attendee[], remote: Attendee[], extra: Partial<MergeInput> = {}) =>
  merge3({ base: [meeting(base)], local: [meeting(local)], remote: [meeting(remote)], policy: 'latest-wins', deletePolicy: 'modify-wins', localIsNewer: true, ...extra });

const agreed = [me('accepted'), guest('bob@x.test', 'accepted'), guest('jane@x.test', 'declined')];

test("a guest's new answer at the provider and a guest added in the hub both stay, with no conflict (the outside user's case)", () => {
  const local = [...agreed, guest('carol@x.test')];
  const remote = [me('accepted'), guest('Bob@x.test', 'tentative'), guest('jane@x.test', 'declined')];
  for (const policy of ['latest-wins', 'hub-wins', 'provider-wins', 'manual'] as const) {
    const m = run(agreed, local, remote, { policy });
    assert.deepEqual(m.conflicts, [], policy);
    assert.equal(m.parked, false, policy);
    assert.equal(m.outcome, 'merged', policy);
    assert.deepEqual(answers(m.events[0]!.attendees), { 'me@corp.test': 'accepted', 'bob@x.test': 'tentative', 'jane@x.test': 'declined', 'carol@x.test': 'needsAction' }, policy);
  }
});

test('both sides add different guests: both are added', () => {
  const m = run(agreed, [...agreed, guest('carol@x.test')], [...agreed, guest('dan@x.test', 'accepted')]);
  assert.deepEqual(m.conflicts, []);
  assert.equal(m.outcome, 'merged');
  assert.deepEqual(answers(m.events[0]!.attendees), { 'me@corp.test': 'accepted', 'bob@x.test': 'accepted', 'jane@x.test': 'declined', 'dan@x.test': 'accepted', 'carol@x.test': 'needsAction' });
});

test('the same guest added on both sides: the answer the provider has, no conflict', () => {
  const m = run(agreed, [...agreed, guest('carol@x.test')], [...agreed, guest('CAROL@x.test', 'accepted')]);
  assert.deepEqual(m.conflicts, []);
  assert.equal(m.events[0]!.attendees.length, 4);
  assert.equal(answers(m.events[0]!.attendees)['carol@x.test'], 'accepted');
});

test('one side removes a guest whose answer the other side changed: the guest is removed, no conflict', () => {
  const withoutBob = agreed.filter((a) => a.email !== 'bob@x.test');
  const bobTentative = agreed.map((a) => (a.email === 'bob@x.test' ? { ...a, response: 'tentative' as const } : a));
  const hubRemoved = run(agreed, withoutBob, bobTentative);
  assert.deepEqual(hubRemoved.conflicts, []);
  assert.deepEqual(answers(hubRemoved.events[0]!.attendees), { 'me@corp.test': 'accepted', 'jane@x.test': 'declined' });
  assert.equal(hubRemoved.outcome, 'local');
  const providerRemoved = run(agreed, bobTentative, withoutBob);
  assert.deepEqual(providerRemoved.conflicts, []);
  assert.deepEqual(answers(providerRemoved.events[0]!.attendees), { 'me@corp.test': 'accepted', 'jane@x.test': 'declined' });
  assert.equal(providerRemoved.outcome, 'remote');
});

test("the owner's own RSVP in the hub stands next to another guest's answer at the provider", () => {
  const local = agreed.map((a) => (a.self ? { ...a, response: 'declined' as const } : a));
  const remote = agreed.map((a) => (a.email === 'jane@x.test' ? { ...a, response: 'accepted' as const } : a));
  const m = run(agreed, local, remote, { localIsNewer: false });
  assert.deepEqual(m.conflicts, []);
  assert.equal(m.outcome, 'merged');
  assert.deepEqual(answers(m.events[0]!.attendees), { 'me@corp.test': 'declined', 'bob@x.test': 'accepted', 'jane@x.test': 'accepted' });
  assert.equal(m.events[0]!.attendees.find((a) => a.email === 'me@corp.test')!.self, true);
});

test("the same attendee's answer changed both ways is the one attendee conflict, settled by the policy", () => {
  const local = agreed.map((a) => (a.self ? { ...a, response: 'declined' as const } : a));
  const remote = agreed.map((a) => (a.self ? { ...a, response: 'tentative' as const } : a.email === 'bob@x.test' ? { ...a, response: 'declined' as const } : a));
  const hub = run(agreed, local, remote, { policy: 'hub-wins' });
  assert.deepEqual(hub.conflicts, [':attendees']);
  assert.deepEqual(answers(hub.events[0]!.attendees), { 'me@corp.test': 'declined', 'bob@x.test': 'declined', 'jane@x.test': 'declined' }, "the conflict takes the hub's side, Bob's answer stays the provider's");
  const parked = run(agreed, local, remote, { policy: 'manual' });
  assert.equal(parked.parked, true);
  assert.equal(answers(parked.events[0]!.attendees)['me@corp.test'], 'tentative');
});

test('mergeAttendees: optional changed on one side, answer on the other, addresses without case', () => {
  const m = mergeAttendees([guest('bob@x.test', 'accepted')], [guest('BOB@x.test', 'accepted', { optional: true })], [guest('bob@X.test', 'tentative', { name: 'Bob' })], 'local');
  assert.deepEqual(m.conflicts, []);
  assert.equal(m.attendees.length, 1);
  assert.deepEqual({ ...m.attendees[0]!, email: m.attendees[0]!.email.toLowerCase() }, { email: 'bob@x.test', name: 'Bob', response: 'tentative', optional: true, self: false });
  assert.equal(m.fromLocal && m.fromRemote, true);
});

test('mergeAttendees: removed on both sides is gone', () => {
  const m = mergeAttendees([guest('bob@x.test'), guest('jane@x.test')], [guest('jane@x.test')], [guest('jane@x.test')], 'remote');
  assert.deepEqual(m.attendees.map((a) => a.email), ['jane@x.test']);
  assert.equal(m.fromLocal || m.fromRemote, false);
});
