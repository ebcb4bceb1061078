import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEnv, timed, type TestEnv } from './test-support.ts';

describe('google emulator: writes, etags and resource fields', () => {
  let env: TestEnv;
  const base = () => `/calendar/v3/calendars/${encodeURIComponent(env.calId)}/events`;
  const insert = (body: unknown, qs = '') => env.call(`${base()}${qs}`, { method: 'POST', body });
  before(async () => (env = await startEnv()));
  after(() => env.emu.close());

  it('insert fills id, etag, iCalUID, organizer, creator, sequence', async () => {
    const r = await insert(timed('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z', { summary: 'new' }));
    assert.equal(r.status, 200);
    assert.match(r.json.id, /^[a-v0-9]{26}$/);
    assert.match(r.json.etag, /^"\d+"$/);
    assert.equal(r.json.iCalUID, `${r.json.id}@google.com`);
    assert.deepEqual(r.json.organizer, { email: env.email, self: true });
    assert.equal(r.json.sequence, 0);
    assert.equal(r.json.start.dateTime, '2026-03-02T11:00:00+01:00', 'Google answers in the zone offset');
  });

  it('client ids must be base32hex of length 5–1024; a duplicate id is 409 duplicate', async () => {
    assert.equal((await insert({ id: 'UPPER', ...timed('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z') })).status, 400);
    assert.equal((await insert({ id: 'abcd', ...timed('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z') })).status, 400);
    assert.equal((await insert({ id: 'abcde01', ...timed('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z') })).status, 200);
    const dup = await insert({ id: 'abcde01', ...timed('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z') });
    assert.equal(dup.status, 409);
    assert.equal(dup.json.error.errors[0].reason, 'duplicate');
  });

  it('If-Match with a stale etag is 412 conditionNotMet on update, patch and delete; If-None-Match gives 304', async () => {
    const ev = (await insert(timed('2026-03-03T10:00:00Z', '2026-03-03T11:00:00Z', { summary: 'v1' }))).json;
    const fresh = (await env.call(`${base()}/${ev.id}`, { method: 'PATCH', body: { summary: 'v2' } })).json;
    assert.notEqual(fresh.etag, ev.etag);
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const r = await env.call(`${base()}/${ev.id}`, { method, headers: { 'if-match': ev.etag }, ...(method === 'DELETE' ? {} : { body: { ...fresh, summary: 'v3' } }) });
      assert.equal(r.status, 412, method);
      assert.equal(r.json.error.errors[0].reason, 'conditionNotMet');
    }
    assert.equal((await env.call(`${base()}/${ev.id}`, { headers: { 'if-none-match': fresh.etag } })).status, 304);
    assert.equal((await env.call(`${base()}/${ev.id}`, { method: 'DELETE', headers: { 'if-match': fresh.etag } })).status, 204);
  });

  it('If-Match holds on an instance of a series too, before and after it is an exception (A.8 names no exception for instances)', async () => {
    const series = (await insert({ ...timed('2026-03-09T10:00:00Z', '2026-03-09T11:00:00Z', { summary: 'weekly' }), start: { dateTime: '2026-03-09T10:00:00Z', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-03-09T11:00:00Z', timeZone: 'Europe/Berlin' }, recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3'] })).json;
    const url = `${base()}/${series.id}_20260316T100000Z`;
    const plain = (await env.call(url)).json;
    assert.match(plain.etag, /^"\d+"$/, 'an instance never written to has an etag');
    // Changed by another client: the etag read before no longer matches, for a write or a delete.
    const changed = (await env.call(url, { method: 'PATCH', headers: { 'if-match': plain.etag }, body: { summary: 'moved room' } })).json;
    assert.notEqual(changed.etag, plain.etag);
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const r = await env.call(url, { method, headers: { 'if-match': plain.etag }, ...(method === 'DELETE' ? {} : { body: { ...changed, summary: 'overwritten' } }) });
      assert.equal(r.status, 412, method);
    }
    assert.equal((await env.call(url)).json.summary, 'moved room');
    // A change to the series moves the etag of its plain instances.
    const other = `${base()}/${series.id}_20260323T100000Z`;
    const before = (await env.call(other)).json.etag;
    await env.call(`${base()}/${series.id}`, { method: 'PATCH', body: { location: 'Room 1' } });
    assert.equal((await env.call(other, { method: 'PATCH', headers: { 'if-match': before }, body: { summary: 'x' } })).status, 412);
  });

  it('update removes extended properties it leaves out; patch with null deletes one key', async () => {
    const ev = (await insert(timed('2026-03-04T10:00:00Z', '2026-03-04T11:00:00Z', { extendedProperties: { private: { a: '1', b: '2' }, shared: { s: 'x' } } }))).json;
    const patched = (await env.call(`${base()}/${ev.id}`, { method: 'PATCH', body: { extendedProperties: { private: { a: null } } } })).json;
    assert.deepEqual(patched.extendedProperties, { private: { b: '2' }, shared: { s: 'x' } });
    const put = (await env.call(`${base()}/${ev.id}`, { method: 'PUT', body: timed('2026-03-04T10:00:00Z', '2026-03-04T11:00:00Z', { summary: 'put' }) })).json;
    assert.equal(put.extendedProperties, undefined);
    assert.equal(put.summary, 'put');
  });

  it('conferenceData is ignored without conferenceDataVersion=1; a Meet conference sets hangoutLink', async () => {
    const conferenceData = { conferenceId: 'abc-defg-hij', conferenceSolution: { key: { type: 'hangoutsMeet' } }, entryPoints: [{ entryPointType: 'video', uri: 'https://meet.google.com/abc-defg-hij' }] };
    const ignored = (await insert(timed('2026-03-05T10:00:00Z', '2026-03-05T11:00:00Z', { conferenceData }))).json;
    assert.equal(ignored.conferenceData, undefined);
    const kept = (await insert(timed('2026-03-05T10:00:00Z', '2026-03-05T11:00:00Z', { conferenceData }), '?conferenceDataVersion=1')).json;
    assert.equal(kept.hangoutLink, 'https://meet.google.com/abc-defg-hij');
  });

  it('a createRequest makes a Meet (hangoutLink, success); the same requestId again is ignored; a type the calendar does not allow is 400', async () => {
    const ask = (requestId: string, type = 'hangoutsMeet') => ({ conferenceData: { createRequest: { requestId, conferenceSolutionKey: { type } } } });
    const ignored = (await insert(timed('2026-03-05T12:00:00Z', '2026-03-05T13:00:00Z', ask('r-0')))).json;
    assert.equal(ignored.conferenceData, undefined, 'without conferenceDataVersion=1 nothing is made');
    const ev = (await insert(timed('2026-03-05T12:00:00Z', '2026-03-05T13:00:00Z', ask('r-1')), '?conferenceDataVersion=1')).json;
    assert.equal(ev.conferenceData.createRequest.status.statusCode, 'success');
    assert.match(ev.hangoutLink, /^https:\/\/meet\.google\.com\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    assert.equal(ev.conferenceData.entryPoints[0].uri, ev.hangoutLink);
    const again = (await env.call(`${base()}/${ev.id}?conferenceDataVersion=1`, { method: 'PATCH', body: ask('r-1') })).json;
    assert.equal(again.hangoutLink, ev.hangoutLink, 'the same requestId is ignored');
    const plain = (await env.call(`${base()}/${ev.id}`, { method: 'PUT', body: timed('2026-03-05T12:00:00Z', '2026-03-05T13:00:00Z', { summary: 'kept' }) })).json;
    assert.equal(plain.hangoutLink, ev.hangoutLink, 'an update without conferenceDataVersion keeps the conference');
    const bad = await insert(timed('2026-03-05T12:00:00Z', '2026-03-05T13:00:00Z', ask('r-2', 'eventHangout')), '?conferenceDataVersion=1');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.message, 'Invalid conference type value.');
    const list = (await env.call('/calendar/v3/users/me/calendarList')).json;
    assert.deepEqual(list.items[0].conferenceProperties, { allowedConferenceSolutionTypes: ['hangoutsMeet'] });
  });

  it('sequence bumps when the time changes; a lower sequence is rejected', async () => {
    const ev = (await insert(timed('2026-03-06T10:00:00Z', '2026-03-06T11:00:00Z'))).json;
    const moved = (await env.call(`${base()}/${ev.id}`, { method: 'PATCH', body: timed('2026-03-06T12:00:00Z', '2026-03-06T13:00:00Z') })).json;
    assert.equal(moved.sequence, 1);
    assert.equal((await env.call(`${base()}/${ev.id}`, { method: 'PATCH', body: { summary: 'x' } })).json.sequence, 1);
    assert.equal((await env.call(`${base()}/${ev.id}`, { method: 'PATCH', body: { sequence: 0 } })).status, 400);
  });

  it('an end before the start is 400 timeRangeEmpty; the attendee who owns the calendar is self', async () => {
    const r = await insert(timed('2026-03-07T11:00:00Z', '2026-03-07T10:00:00Z'));
    assert.equal(r.json.error.errors[0].reason, 'timeRangeEmpty');
    const ev = (await insert(timed('2026-03-07T10:00:00Z', '2026-03-07T11:00:00Z', { attendees: [{ email: env.email, responseStatus: 'declined' }, { email: 'bob@example.com' }] }))).json;
    assert.equal(ev.attendees[0].self, true);
    assert.equal(ev.attendees[1].self, undefined);
  });

  it('get returns deleted events as cancelled; deleting twice is 410 deleted; unknown ids are 404', async () => {
    const ev = (await insert(timed('2026-03-08T10:00:00Z', '2026-03-08T11:00:00Z'))).json;
    await env.call(`${base()}/${ev.id}`, { method: 'DELETE' });
    assert.equal((await env.call(`${base()}/${ev.id}`)).json.status, 'cancelled');
    const again = await env.call(`${base()}/${ev.id}`, { method: 'DELETE' });
    assert.equal(again.status, 410);
    assert.equal(again.json.error.errors[0].reason, 'deleted');
    assert.equal((await env.call(`${base()}/nosuchevent1`)).status, 404);
  });

  it('calendarList lists owned and shared calendars with their access role', async () => {
    const other = env.emu.control.createCalendar({ ownerEmail: 'bob@example.com', summary: 'Team', timeZone: 'UTC' });
    env.emu.control.shareCalendar(other.id, env.email, 'reader');
    const r = await env.call('/calendar/v3/users/me/calendarList');
    const byId = new Map(r.json.items.map((c: { id: string }) => [c.id, c]));
    assert.deepEqual([(byId.get(env.email) as { primary: boolean }).primary, (byId.get(other.id) as { accessRole: string }).accessRole], [true, 'reader']);
    assert.equal((await env.call('/calendar/v3/users/me/calendarList?minAccessRole=writer')).json.items.length, 1);
    const w = await env.call(`/calendar/v3/calendars/${encodeURIComponent(other.id)}/events`, { method: 'POST', body: timed('2026-03-08T10:00:00Z', '2026-03-08T11:00:00Z') });
    assert.equal(w.status, 403);
  });
});

describe('google emulator: an invitee\'s copy (A.4 forbiddenForNonOrganizer)', () => {
  let env: TestEnv;
  const base = () => `/calendar/v3/calendars/${encodeURIComponent(env.calId)}/events`;
  before(async () => (env = await startEnv()));
  after(() => env.emu.close());

  it('an update leaving out guestsCan* sets their defaults, which only the organizer may: 403; a patch of the own response passes', async () => {
    const inv = env.emu.control.inviteEvent(
      env.calId,
      timed('2026-03-05T10:00:00Z', '2026-03-05T11:00:00Z', { summary: 'Board', guestsCanSeeOtherGuests: false, attendees: [{ email: env.email }, { email: 'cfo@corp.test' }] }),
      { email: 'ceo@corp.test' },
    );
    assert.deepEqual(inv.organizer, { email: 'ceo@corp.test' });
    const { id, etag: _e, ...rest } = inv;
    const put = await env.call(`${base()}/${id}`, { method: 'PUT', body: { ...rest, guestsCanSeeOtherGuests: undefined } });
    assert.equal(put.status, 403);
    assert.equal(put.json.error.errors[0].reason, 'forbiddenForNonOrganizer');
    const widen = await env.call(`${base()}/${id}`, { method: 'PATCH', body: { guestsCanModify: true } });
    assert.equal(widen.status, 403);
    const rsvp = await env.call(`${base()}/${id}`, { method: 'PATCH', body: { attendees: [{ email: env.email, responseStatus: 'accepted' }, { email: 'cfo@corp.test' }] } });
    assert.equal(rsvp.status, 200, rsvp.text);
    assert.equal(rsvp.json.guestsCanSeeOtherGuests, false, 'the organizer\'s setting stands');
    assert.deepEqual(rsvp.json.attendees.find((a: { self?: boolean }) => a.self), { email: env.email, responseStatus: 'accepted', self: true });
    // The organizer's own event: an update without them is fine (they are the organizer's to set).
    const own = (await env.call(base(), { method: 'POST', body: timed('2026-03-06T10:00:00Z', '2026-03-06T11:00:00Z', { guestsCanSeeOtherGuests: false }) })).json;
    assert.equal((await env.call(`${base()}/${own.id}`, { method: 'PUT', body: timed('2026-03-06T10:00:00Z', '2026-03-06T11:00:00Z') })).status, 200);
  });
});
