import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEnv, type TestEnv } from './test-support.ts';

const G = 'https://www.googleapis.com/auth/';

describe('google emulator: calendars.patch and calendars.update', () => {
  let env: TestEnv;
  const path = (id: string) => `/calendar/v3/calendars/${encodeURIComponent(id)}`;
  const patch = (id: string, body: unknown, token?: string) => env.call(path(id), { method: 'PATCH', body, ...(token ? { token } : {}) });
  const make = async (body: Record<string, unknown> = { summary: 'Bookings' }, token?: string) => {
    const r = await env.call('/calendar/v3/calendars', { method: 'POST', body, ...(token ? { token } : {}) });
    assert.equal(r.status, 200, r.text);
    return r.json.id as string;
  };
  const entry = async (id: string) => (await env.call(`/calendar/v3/users/me/calendarList/${encodeURIComponent(id)}`)).json;
  before(async () => (env = await startEnv()));
  after(() => env.emu.close());

  it('PATCH {summary}: 200 with the Calendar resource, the rest kept; the list entry shows the new title and a new etag', async () => {
    const id = await make({ summary: 'Bookings', description: 'front desk', timeZone: 'Europe/Paris' });
    const was = await entry(id);
    env.emu.control.advanceClock(2000); // etags derive from the second of the last change
    const r = await patch(id, { summary: 'Appointments' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual({ ...r.json, etag: undefined }, {
      kind: 'calendar#calendar', etag: undefined, id, summary: 'Appointments', description: 'front desk', timeZone: 'Europe/Paris',
      conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
    });
    const now = await entry(id);
    assert.equal(now.summary, 'Appointments');
    assert.notEqual(now.etag, was.etag);
    assert.equal(now.etag, r.json.etag);
  });

  it('renames the primary calendar, by id or as "primary"', async () => {
    assert.equal((await patch('primary', { summary: 'Ada (work)' })).json.summary, 'Ada (work)');
    assert.equal((await entry(env.email)).summary, 'Ada (work)');
    assert.equal((await patch(env.email, { summary: env.email })).status, 200);
  });

  it('an empty title is 400 "Missing title." as on insert; a bad zone 400; an unknown calendar 404', async () => {
    const id = await make();
    for (const summary of ['', '  ', 7]) {
      const r = await patch(id, { summary });
      assert.equal(r.status, 400);
      assert.deepEqual(r.json.error.errors[0], { domain: 'global', reason: 'required', message: 'Missing title.', locationType: 'parameter', location: 'summary' });
    }
    assert.equal((await patch(id, { timeZone: 'Mars/Olympus' })).status, 400);
    assert.equal((await entry(id)).summary, 'Bookings');
    const gone = await patch('c_nothing@group.calendar.google.com', { summary: 'x' });
    assert.equal(gone.status, 404);
    assert.equal(gone.json.error.errors[0].reason, 'notFound');
  });

  it('PUT replaces: the summary is required and a description left out is cleared', async () => {
    const id = await make({ summary: 'Bookings', description: 'front desk' });
    const missing = await env.call(path(id), { method: 'PUT', body: { description: 'x' } });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error.message, 'Missing title.');
    const r = await env.call(path(id), { method: 'PUT', body: { summary: 'Desk' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.summary, 'Desk');
    assert.equal(r.json.description, undefined);
  });

  it('the owner only: a writer gets 403 requiredAccessLevel, a free/busy reader 404', async () => {
    const team = env.emu.control.createCalendar({ ownerEmail: 'bob@example.com', summary: 'Team' });
    env.emu.control.shareCalendar(team.id, env.email, 'writer');
    const r = await patch(team.id, { summary: 'Mine now' });
    assert.equal(r.status, 403);
    assert.deepEqual(r.json.error.errors[0], { domain: 'calendar', reason: 'requiredAccessLevel', message: 'You need to have owner access to this calendar.' });
    const busy = env.emu.control.createCalendar({ ownerEmail: 'bob@example.com', summary: 'Busy' });
    env.emu.control.shareCalendar(busy.id, env.email, 'freeBusyReader');
    assert.equal((await patch(busy.id, { summary: 'x' })).status, 404);
    assert.equal((await entry(team.id)).summary, 'Team');
  });

  it('needs calendar, calendar.calendars or calendar.app.created; the last reaches only what the same client made', async () => {
    const events = env.emu.control.issueGrant({ email: env.email, scope: `${G}calendar.events` }).accessToken;
    const id = await make();
    const refused = await patch(id, { summary: 'x' }, events);
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error.errors[0].reason, 'insufficientPermissions');
    const appA = env.emu.control.issueGrant({ email: env.email, scope: `${G}calendar.app.created`, clientId: 'app-a' }).accessToken;
    const mine = await make({ summary: 'Mine' }, appA);
    assert.equal((await patch(id, { summary: 'x' }, appA)).status, 403, 'a calendar made elsewhere');
    assert.equal((await patch('primary', { summary: 'x' }, appA)).status, 403, 'the primary was not made by the app');
    assert.equal((await patch(mine, { summary: 'Still mine' }, appA)).status, 200);
    const narrow = env.emu.control.issueGrant({ email: env.email, scope: `${G}calendar.calendars` }).accessToken;
    assert.equal((await patch(id, { summary: 'Renamed' }, narrow)).status, 200);
  });

  it("a user's summaryOverride stays on their list entry; summary changes under it", async () => {
    const id = await make();
    env.emu.control.setSummaryOverride(id, env.email, 'My label');
    assert.equal((await patch(id, { summary: 'Appointments' })).status, 200);
    const e = await entry(id);
    assert.equal(e.summary, 'Appointments');
    assert.equal(e.summaryOverride, 'My label');
  });
});
