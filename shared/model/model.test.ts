import { test } from 'node:test';
import assert from 'node:assert/strict';
import { busyStatusOf, contentHash, eventTimeKey, parseEvent, type CanonicalEvent } from './index.ts';
import { ValidationError } from '../errors.ts';

const base = (over: Partial<CanonicalEvent> = {}): CanonicalEvent =>
  parseEvent({
    uid: 'u1',
    start: { dateTime: '2026-11-02T08:00:00Z', timeZone: 'Europe/Berlin' },
    end: { dateTime: '2026-11-02T09:00:00Z', timeZone: 'Europe/Berlin' },
    title: 'Standup',
    attendees: [
      { email: 'a@example.com', response: 'accepted' },
      { email: 'b@example.com', response: 'needsAction' },
    ],
    ...over,
  });

test('parseEvent fills defaults and keeps the three time forms', () => {
  const e = base();
  assert.equal(e.status, 'confirmed');
  assert.equal(e.availability, 'busy');
  assert.equal(e.recurrence, null);
  assert.deepEqual(parseEvent({ uid: 'x', start: { date: '2026-11-02' }, end: { date: '2026-11-03' } }).start, { date: '2026-11-02' });
  assert.deepEqual(parseEvent({ uid: 'x', start: { local: '2026-11-02T09:00:00' }, end: { local: '2026-11-02T10:00:00' } }).end, { local: '2026-11-02T10:00:00' });
});

test('parseEvent names every bad field', () => {
  assert.throws(
    () => parseEvent({ uid: '', start: { dateTime: '2026-11-02T08:00:00+01:00', timeZone: 'X' }, end: { date: '2026-11-02' }, status: 'maybe' }),
    (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.match(e.message, /uid/);
      assert.match(e.message, /start/);
      assert.match(e.message, /status/);
      return true;
    },
  );
  // A field left out is said to be required, not "Invalid input" (what zod says of a union of forms).
  assert.throws(() => parseEvent({ uid: 'x', title: 'y' }), { message: 'invalid event: start: required; end: required' });
});

test('an override cannot carry recurrence; start and end agree on all-day', () => {
  assert.throws(() => base({ originalStart: { date: '2026-11-02' }, recurrence: { rrules: ['FREQ=DAILY'], exdates: [], rdates: [] } }), /override cannot carry/);
  assert.throws(() => parseEvent({ uid: 'x', start: { date: '2026-11-02' }, end: { dateTime: '2026-11-02T09:00:00Z', timeZone: 'UTC' } }), /must both be all-day/);
});

test('contentHash ignores fields that change by themselves', () => {
  const a = base();
  const b = {
    ...a,
    providerEventId: 'other-id',
    providerVersion: '"etag-2"',
    providerUpdatedAt: '2026-11-03T00:00:00Z',
    sequence: 4,
    attendees: [...a.attendees].reverse(),
    start: { dateTime: '2026-11-02T08:00:00.000Z', timeZone: 'Europe/Berlin' },
    title: 'Standup  ',
  };
  assert.equal(contentHash(a), contentHash(b));
});

test('contentHash sees every content change', () => {
  const a = base();
  const changes: Partial<CanonicalEvent>[] = [
    { title: 'Other' },
    { start: { dateTime: '2026-11-02T08:30:00Z', timeZone: 'Europe/Berlin' } },
    { start: { dateTime: '2026-11-02T08:00:00Z', timeZone: 'America/New_York' } },
    { status: 'cancelled' },
    { availability: 'free' },
    { location: 'Room 1' },
    { attendees: [{ email: 'a@example.com', name: null, response: 'declined', optional: false, self: false }] },
    { recurrence: { rrules: ['FREQ=WEEKLY'], exdates: [], rdates: [] } },
  ];
  for (const change of changes) assert.notEqual(contentHash({ ...a, ...change }), contentHash(a), JSON.stringify(change));
});

test('eventTimeKey: same instant in different spellings is the same key; forms never collide', () => {
  assert.equal(eventTimeKey({ dateTime: '2026-11-02T08:00:00.000Z', timeZone: 'UTC' }), eventTimeKey({ dateTime: '2026-11-02T08:00:00Z', timeZone: 'Europe/Berlin' }));
  assert.notEqual(eventTimeKey({ local: '2026-11-02T08:00:00' }), eventTimeKey({ dateTime: '2026-11-02T08:00:00Z', timeZone: 'UTC' }));
});

test('busy policy', () => {
  assert.equal(busyStatusOf(base()), 'busy');
  assert.equal(busyStatusOf(base({ status: 'cancelled' })), null);
  assert.equal(busyStatusOf(base({ availability: 'free' })), null);
  assert.equal(busyStatusOf(base({ status: 'tentative' })), 'tentative');
  assert.equal(busyStatusOf(base({ availability: 'oof' })), 'oof');
  assert.equal(busyStatusOf(base({ availability: 'workingElsewhere' })), 'workingElsewhere');
  const self = (response: 'declined' | 'tentative') => [{ email: 'me@example.com', name: null, response, optional: false, self: true }];
  assert.equal(busyStatusOf(base({ attendees: self('declined') })), null);
  assert.equal(busyStatusOf(base({ attendees: self('tentative') })), 'tentative');
});

test('RRULE part order does not change the content hash', async () => {
  const { normalizeRRule } = await import('./rrule-text.ts');
  assert.equal(normalizeRRule('RRULE:byday=MO,WE;FREQ=WEEKLY;COUNT=5'), 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=5');
  assert.equal(normalizeRRule('FREQ=WEEKLY;COUNT=5;BYDAY=MO,WE'), normalizeRRule('COUNT=5;BYDAY=MO,WE;FREQ=WEEKLY'));
});
