import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startEnv, timed, type TestEnv } from './test-support.ts';

const G = 'https://www.googleapis.com/auth/';

describe('google emulator: calendars.delete', () => {
  let env: TestEnv;
  const path = (id: string) => `/calendar/v3/calendars/${encodeURIComponent(id)}`;
  const del = (id: string, token?: string) => env.call(path(id), { method: 'DELETE', ...(token ? { token } : {}) });
  const make = async (token?: string) => {
    const r = await env.call('/calendar/v3/calendars', { method: 'POST', body: { summary: 'Bookings' }, ...(token ? { token } : {}) });
    assert.equal(r.status, 200, r.text);
    return r.json.id as string;
  };
  const listed = async () => ((await env.call('/calendar/v3/users/me/calendarList')).json.items as Array<{ id: string }>).map((c) => c.id);
  before(async () => (env = await startEnv()));
  after(() => env.emu.close());

  it('deletes a secondary calendar with its events: 204, gone from calendarList, its events 404, a second delete 404', async () => {
    const id = await make();
    assert.equal((await env.call(`${path(id)}/events`, { method: 'POST', body: timed('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z') })).status, 200);
    const r = await del(id);
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assert.ok(!(await listed()).includes(id));
    assert.equal((await env.call(`/calendar/v3/users/me/calendarList/${encodeURIComponent(id)}`)).status, 404);
    assert.equal((await env.events({}, id)).status, 404);
    const again = await del(id);
    assert.equal(again.status, 404);
    assert.deepEqual(again.json, { error: { errors: [{ domain: 'global', reason: 'notFound', message: 'Not Found' }], code: 404, message: 'Not Found' } });
  });

  it('refuses the primary calendar, by id or as "primary", with 403 cannotDeletePrimaryCalendar', async () => {
    for (const id of [env.email, 'primary']) {
      const r = await del(id);
      assert.equal(r.status, 403);
      assert.deepEqual(r.json, {
        error: { errors: [{ domain: 'calendar', reason: 'cannotDeletePrimaryCalendar', message: 'Cannot delete primary calendar.' }], code: 403, message: 'Cannot delete primary calendar.' },
      });
    }
    assert.ok((await listed()).includes(env.email));
  });

  it('refuses a calendar someone else owns with 403 requiredAccessLevel; one only shared free/busy is 404', async () => {
    const team = env.emu.control.createCalendar({ ownerEmail: 'bob@example.com', summary: 'Team' });
    env.emu.control.shareCalendar(team.id, env.email, 'writer');
    const r = await del(team.id);
    assert.equal(r.status, 403);
    assert.deepEqual(r.json.error.errors[0], { domain: 'calendar', reason: 'requiredAccessLevel', message: 'You need to have owner access to this calendar.' });
    const busy = env.emu.control.createCalendar({ ownerEmail: 'bob@example.com', summary: 'Busy' });
    env.emu.control.shareCalendar(busy.id, env.email, 'freeBusyReader');
    assert.equal((await del(busy.id)).status, 404);
  });

  it('needs calendar, calendar.calendars or calendar.app.created; the last reaches only what the same client made', async () => {
    const events = env.emu.control.issueGrant({ email: env.email, scope: `${G}calendar.events` }).accessToken;
    const id = await make();
    const refused = await del(id, events);
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error.errors[0].reason, 'insufficientPermissions');

    const appA = env.emu.control.issueGrant({ email: env.email, scope: `${G}calendar.app.created ${G}calendar.events`, clientId: 'app-a' }).accessToken;
    const appB = env.emu.control.issueGrant({ email: env.email, scope: `${G}calendar.app.created`, clientId: 'app-b' }).accessToken;
    const mine = await make(appA);
    assert.equal((await del(id, appA)).status, 403, 'a calendar made by another client');
    assert.equal((await del(mine, appB)).status, 403, 'a calendar made by another client');
    assert.equal((await del(mine, appA)).status, 204);
    const cal = await make();
    const narrow = env.emu.control.issueGrant({ email: env.email, scope: `${G}calendar.calendars` }).accessToken;
    assert.equal((await del(cal, narrow)).status, 204);
  });

  it('tells the deleted calendar\'s push channels not_exists', async () => {
    let states: string[] = [];
    const receiver = http.createServer((req, res) => {
      states.push(String(req.headers['x-goog-resource-state']));
      res.writeHead(200).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const id = await make();
      const address = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
      const watch = await env.call(`${path(id)}/events/watch`, { method: 'POST', body: { id: `ch-${Date.now()}`, type: 'web_hook', address } });
      assert.equal(watch.status, 200, watch.text);
      await env.emu.control.flushNotifications();
      states = [];
      assert.equal((await del(id)).status, 204);
      await env.emu.control.flushNotifications();
      assert.deepEqual(states, ['not_exists']);
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });
});
