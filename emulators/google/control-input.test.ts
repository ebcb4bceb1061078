/** The control API over HTTP refuses malformed bodies with a 400 naming the field, and stores nothing. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEnv, timed, type TestEnv } from './test-support.ts';

describe('google emulator: control API input', () => {
  let env: TestEnv;
  before(async () => (env = await startEnv()));
  after(() => env.emu.close());
  const emu = (path: string, body: unknown) => env.call(`/_emulator${path}`, { method: 'POST', token: null, body });
  const refused = (r: { status: number; json: { error?: { errors: Array<{ location?: string }> } } }) => [r.status, r.json.error?.errors[0]?.location];
  const event = () => timed('2026-03-05T10:00:00Z', '2026-03-05T11:00:00Z', { summary: 'Board', attendees: [{ email: 'ada@example.com' }] });

  it('invitations: an organizer that is not {email, displayName?} is 400 naming the field; nothing is stored', async () => {
    const path = `/calendars/${encodeURIComponent(env.calId)}/invitations`;
    const cases: Array<[unknown, string]> = [
      [{ event: event(), organizer: 'bob@example.com' }, 'organizer'],
      [{ event: event() }, 'organizer'],
      [{ event: event(), organizer: ['bob@example.com'] }, 'organizer'],
      [{ event: event(), organizer: {} }, 'organizer.email'],
      [{ event: event(), organizer: { email: '' } }, 'organizer.email'],
      [{ event: event(), organizer: { email: 42 } }, 'organizer.email'],
      [{ event: event(), organizer: { email: 'bob@example.com', displayName: 7 } }, 'organizer.displayName'],
      [{ event: event(), organizer: { email: 'bob@example.com', self: true } }, 'organizer.self'],
      [{ organizer: { email: 'bob@example.com' } }, 'event'],
      [{ event: 'Board', organizer: { email: 'bob@example.com' } }, 'event'],
      [{ event: [event()], organizer: { email: 'bob@example.com' } }, 'event'],
    ];
    for (const [body, field] of cases) assert.deepEqual(refused(await emu(path, body)), [400, field], JSON.stringify(body));
    assert.deepEqual(env.emu.control.listStoredEvents(env.calId), [], 'a refused invitation leaves nothing behind');
    const ok = await emu(path, { event: event(), organizer: { email: 'bob@example.com', displayName: 'Bob' } });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.json.organizer, { email: 'bob@example.com', displayName: 'Bob' });
  });

  it('share: a role Google has not, or no email, is 400 naming the field; the calendar stays out of the list', async () => {
    const { id } = env.emu.control.createCalendar({ ownerEmail: 'bob@example.com', summary: 'Team' });
    const path = `/calendars/${encodeURIComponent(id)}/share`;
    for (const [body, field] of [
      [{ email: env.email, role: 'write' }, 'role'],
      [{ email: env.email }, 'role'],
      [{ email: env.email, role: 'owner' }, 'role'],
      [{ role: 'writer' }, 'email'],
      [{ email: ['ada@example.com'], role: 'writer' }, 'email'],
    ] as const) assert.deepEqual(refused(await emu(path, body)), [400, field], JSON.stringify(body));
    assert.equal((await env.call(`/calendar/v3/users/me/calendarList/${encodeURIComponent(id)}`)).status, 404);
    assert.equal((await emu(path, { email: env.email, role: 'writer' })).status, 204);
    assert.equal((await env.call(`/calendar/v3/users/me/calendarList/${encodeURIComponent(id)}`)).json.accessRole, 'writer');
  });

  it('conference-types: a string in place of the list is 400 `types`, not one solution per letter', async () => {
    const path = `/_emulator/calendars/${encodeURIComponent(env.calId)}/conference-types`;
    const put = (body: unknown) => env.call(path, { method: 'PUT', token: null, body });
    const allowed = async () => (await env.call(`/calendar/v3/users/me/calendarList/${encodeURIComponent(env.calId)}`)).json.conferenceProperties.allowedConferenceSolutionTypes;
    for (const types of ['hangoutsMeet', [1], null]) assert.deepEqual(refused(await put({ types })), [400, 'types'], JSON.stringify(types));
    assert.deepEqual(await allowed(), ['hangoutsMeet']);
    assert.equal((await put({ types: ['hangoutsMeet', 'addOn'] })).status, 204);
    assert.deepEqual(await allowed(), ['hangoutsMeet', 'addOn']);
    assert.equal((await put({})).status, 204, 'no list: none allowed, as before');
    assert.deepEqual(await allowed(), []);
  });
});
