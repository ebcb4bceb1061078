import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startEnv, type TestEnv } from './test-support.ts';

describe('google emulator: calendarList.watch', () => {
  let env: TestEnv;
  let receiver: Server;
  let address = '';
  const got: IncomingHttpHeaders[] = [];
  const bea = 'bea@example.com';
  let beaToken = '';
  before(async () => {
    env = await startEnv();
    env.emu.control.createUser({ email: bea });
    beaToken = env.emu.control.issueGrant({ email: bea }).accessToken;
    receiver = createServer((req, res) => {
      got.push(req.headers);
      req.resume();
      res.writeHead(200).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    address = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  after(async () => {
    await env.emu.close();
    await new Promise((r) => receiver.close(r));
  });

  const c = () => env.emu.control;
  const watch = (id: string, extra: Record<string, unknown> = {}, token?: string) =>
    env.call('/calendar/v3/users/me/calendarList/watch', { method: 'POST', body: { id, type: 'web_hook', address, token: 'list-tok', ...extra }, ...(token ? { token } : {}) });
  const states = (id: string) => got.filter((g) => g['x-goog-channel-id'] === id).map((g) => g['x-goog-resource-state']);
  /** The messages a change sent to the channel (flushes first). */
  const sentBy = async (id: string, change: () => unknown): Promise<string[]> => {
    await c().flushNotifications();
    const n = states(id).length;
    await change();
    await c().flushNotifications();
    return states(id).slice(n) as string[];
  };
  const cal = (id: string) => `/calendar/v3/calendars/${encodeURIComponent(id)}`;

  it('watch answers as events.watch does, bound to the user, and sends `sync` (message 1)', async () => {
    const t0 = Date.now();
    const r = await watch('list-a');
    assert.equal(r.status, 200);
    assert.equal(r.json.kind, 'api#channel');
    assert.equal(r.json.id, 'list-a');
    assert.equal(r.json.token, 'list-tok');
    assert.ok(r.json.resourceId);
    assert.ok(String(r.json.resourceUri).endsWith('/calendar/v3/users/me/calendarList?alt=json'), r.json.resourceUri);
    const exp = Number(r.json.expiration);
    assert.ok(exp >= t0 + 604_800_000 && exp <= Date.now() + 604_800_000, 'default ttl 604800 s');
    const ch = c().channels().find((x) => x.id === 'list-a')!;
    assert.deepEqual([ch.calendarId, ch.listOf], [null, env.email]);
    await c().flushNotifications();
    const sync = got.filter((g) => g['x-goog-channel-id'] === 'list-a');
    assert.deepEqual(sync.map((g) => [g['x-goog-resource-state'], g['x-goog-message-number']]), [['sync', '1']]);
    assert.equal(sync[0]!['x-goog-resource-id'], r.json.resourceId);
    assert.equal(sync[0]!['x-goog-resource-uri'], r.json.resourceUri);
  });

  it('the same body rules as events.watch: bad type, duplicate id, bad ttl → 400; no token → 401', async () => {
    assert.equal((await watch('list-type', { type: 'email' })).status, 400);
    assert.equal((await watch('list-a')).status, 400);
    assert.equal((await watch('list-a', {}, beaToken)).status, 400, 'channel ids are unique across users');
    assert.equal((await watch('list-ttl', { params: { ttl: '0' } })).status, 400);
    assert.equal((await watch('bad id!')).status, 400);
    assert.equal((await env.call('/calendar/v3/users/me/calendarList/watch', { method: 'POST', token: null, body: { id: 'list-anon', type: 'web_hook', address } })).status, 401);
  });

  it('control changes to the list send `exists`, token echoed, numbers increasing', async () => {
    let id = '';
    assert.deepEqual(await sentBy('list-a', () => (id = c().createCalendar({ ownerEmail: env.email, summary: 'Work' }).id)), ['exists'], 'create');
    assert.deepEqual(await sentBy('list-a', () => c().renameCalendar(id, 'Work 2')), ['exists'], 'rename');
    assert.deepEqual(await sentBy('list-a', () => c().hideCalendar(id, env.email)), ['exists'], 'hide');
    assert.deepEqual(await sentBy('list-a', () => c().hideCalendar(id, env.email, false)), ['exists'], 'unhide');
    assert.deepEqual(await sentBy('list-a', () => c().hideCalendar(id, env.email, false)), [], 'unhiding a shown calendar changes nothing');
    assert.deepEqual(await sentBy('list-a', () => c().setSummaryOverride(id, env.email, 'Mine')), ['exists'], 'summaryOverride');
    assert.deepEqual(await sentBy('list-a', () => c().setSummaryOverride(id, env.email, null)), ['exists'], 'summaryOverride removed');
    assert.deepEqual(await sentBy('list-a', () => c().deleteCalendar(id)), ['exists'], 'delete: the list still exists, so not not_exists');
    const theirs = c().createCalendar({ ownerEmail: bea, summary: 'Bea' }).id;
    assert.deepEqual(await sentBy('list-a', () => c().shareCalendar(theirs, env.email, 'reader')), ['exists'], 'shared with them');
    assert.deepEqual(await sentBy('list-a', () => c().shareCalendar(theirs, env.email, 'reader')), [], 'the same role again changes nothing');
    assert.deepEqual(await sentBy('list-a', () => c().shareCalendar(theirs, env.email, 'writer')), ['exists'], 'role changed');
    assert.deepEqual(await sentBy('list-a', () => c().renameCalendar(theirs, 'Bea 2')), ['exists'], 'a calendar in their list renamed by its owner');
    assert.deepEqual(await sentBy('list-a', () => c().unshareCalendar(theirs, env.email)), ['exists'], 'unshared');
    assert.deepEqual(await sentBy('list-a', () => c().renameCalendar(theirs, 'Bea 3')), [], 'no longer in their list');
    assert.throws(() => c().unshareCalendar(theirs, bea), /owner/);
    const msgs = got.filter((g) => g['x-goog-channel-id'] === 'list-a');
    const nums = msgs.map((g) => Number(g['x-goog-message-number']));
    assert.deepEqual(nums, [...nums].sort((a, b) => a - b));
    assert.equal(new Set(nums).size, nums.length, 'never a number twice');
    assert.ok(msgs.every((g) => g['x-goog-channel-token'] === 'list-tok' && !Number.isNaN(Date.parse(String(g['x-goog-channel-expiration'])))));
  });

  it('event changes do not touch the calendar list', async () => {
    assert.deepEqual(
      await sentBy('list-a', () => c().insertEvent(env.calId, { start: { date: '2026-03-02' }, end: { date: '2026-03-03' } })),
      [],
    );
  });

  it('API changes (calendars.insert/patch/delete) and the control API over HTTP send `exists`', async () => {
    let id = '';
    assert.deepEqual(await sentBy('list-a', async () => (id = (await env.call('/calendar/v3/calendars', { method: 'POST', body: { summary: 'Api' } })).json.id)), ['exists'], 'insert');
    assert.deepEqual(await sentBy('list-a', () => env.call(cal(id), { method: 'PATCH', body: { summary: 'Api 2' } })), ['exists'], 'patch');
    assert.deepEqual(await sentBy('list-a', () => env.call(cal(id), { method: 'PUT', body: { summary: 'Api 3' } })), ['exists'], 'update');
    const emu = (path: string, method: string, body?: unknown) => env.call(`/_emulator${path}`, { method, token: null, ...(body ? { body } : {}) });
    assert.deepEqual(await sentBy('list-a', () => emu(`/calendars/${encodeURIComponent(id)}/hidden`, 'PUT', { email: env.email })), ['exists'], 'hidden over HTTP');
    assert.deepEqual(await sentBy('list-a', () => emu(`/calendars/${encodeURIComponent(id)}/summary-override`, 'PUT', { email: env.email, summary: 'x' })), ['exists'], 'override over HTTP');
    assert.deepEqual(await sentBy('list-a', () => emu(`/calendars/${encodeURIComponent(id)}/summary`, 'PUT', { summary: 'Api 4' })), ['exists'], 'rename over HTTP');
    assert.deepEqual(await sentBy('list-a', () => env.call(cal(id), { method: 'DELETE' })), ['exists'], 'delete');
    const theirs = c().createCalendar({ ownerEmail: bea, summary: 'Bea shared' }).id;
    assert.deepEqual(await sentBy('list-a', () => emu(`/calendars/${encodeURIComponent(theirs)}/share`, 'POST', { email: env.email, role: 'reader' })), ['exists'], 'share over HTTP');
    const unshare = await sentBy('list-a', async () => assert.equal((await emu(`/calendars/${encodeURIComponent(theirs)}/share/${encodeURIComponent(env.email)}`, 'DELETE')).status, 204));
    assert.deepEqual(unshare, ['exists'], 'unshare over HTTP');
    assert.deepEqual(await sentBy('list-a', () => emu('/calendars', 'POST', { ownerEmail: env.email, summary: 'Ctl' })), ['exists'], 'create over HTTP');
  });

  it("a user's channel hears nothing of another user's list", async () => {
    const r = await watch('list-bea', { token: 'bea-tok' }, beaToken);
    assert.equal(r.status, 200);
    assert.notEqual(r.json.resourceId, c().channels().find((x) => x.id === 'list-a')!.resourceId);
    let id = '';
    assert.deepEqual(await sentBy('list-a', () => (id = c().createCalendar({ ownerEmail: bea, summary: 'Bea only' }).id)), []);
    assert.deepEqual(states('list-bea'), ['sync', 'exists']);
    assert.deepEqual(await sentBy('list-a', () => c().hideCalendar(id, bea)), []);
    assert.deepEqual(await sentBy('list-a', () => c().hideCalendar(id, env.email)), [], 'hiding a calendar not in the list changes nothing');
    assert.deepEqual(states('list-bea'), ['sync', 'exists', 'exists']);
    const before = states('list-a').length;
    assert.deepEqual(await sentBy('list-bea', () => c().shareCalendar(id, env.email, 'reader')), [], "sharing changes the invitee's list, not the owner's");
    assert.deepEqual(states('list-a').slice(before), ['exists']);
  });

  it('channels.stop ends a calendar-list channel (a wrong resourceId is 404); an expired one hears nothing', async () => {
    const r = await watch('list-stop');
    assert.equal((await env.call('/calendar/v3/channels/stop', { method: 'POST', body: { id: 'list-stop', resourceId: 'wrong' } })).status, 404);
    assert.equal((await env.call('/calendar/v3/channels/stop', { method: 'POST', body: { id: 'list-stop', resourceId: r.json.resourceId } })).status, 204);
    await watch('list-exp', { params: { ttl: '60' } });
    c().advanceClock(61_000);
    try {
      assert.deepEqual(await sentBy('list-a', () => c().createCalendar({ ownerEmail: env.email, summary: 'late' })), ['exists'], 'a live channel (a week) still hears it');
    } finally {
      c().advanceClock(-61_000);
    }
    assert.deepEqual(states('list-stop'), ['sync']);
    assert.deepEqual(states('list-exp'), ['sync']);
    assert.equal((await env.call('/calendar/v3/channels/stop', { method: 'POST', body: { id: 'list-stop', resourceId: r.json.resourceId } })).status, 404, 'stopping twice');
  });
});
