import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator } from './server.ts';
import { startEnv, timed, type TestEnv } from './test-support.ts';

describe('google emulator: push channels', () => {
  let env: TestEnv;
  let receiver: Server;
  let address = '';
  const got: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  /** Statuses the receiver answers with before it answers 200 again. */
  const failNext = new Map<string, number[]>();
  before(async () => {
    env = await startEnv();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        got.push({ headers: req.headers, body });
        const fail = failNext.get(String(req.headers['x-goog-channel-id']))?.shift();
        res.writeHead(fail ?? 200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    address = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  after(async () => {
    await env.emu.close();
    await new Promise((r) => receiver.close(r));
  });

  const watch = (id: string, extra: Record<string, unknown> = {}) =>
    env.call(`/calendar/v3/calendars/primary/events/watch`, { method: 'POST', body: { id, type: 'web_hook', address, token: 'tok-1', ...extra } });
  const change = () => env.emu.control.insertEvent(env.calId, timed('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z'));
  const forChannel = (id: string) => got.filter((g) => g.headers['x-goog-channel-id'] === id);

  it('watch answers with resourceId and expiration (default ttl 604800 s)', async () => {
    const before = Date.now();
    const r = await watch('chan-default');
    assert.equal(r.status, 200);
    assert.equal(r.json.kind, 'api#channel');
    assert.ok(r.json.resourceId);
    const exp = Number(r.json.expiration);
    assert.ok(exp >= before + 604_800_000 && exp <= Date.now() + 604_800_000);
  });

  it('sends `sync` first (message 1), then `exists` with increasing numbers, headers only', async () => {
    const r = await watch('chan-a', { params: { ttl: '3600' } });
    change();
    change();
    await env.emu.control.flushNotifications();
    const msgs = forChannel('chan-a');
    assert.deepEqual(msgs.map((m) => m.headers['x-goog-resource-state']), ['sync', 'exists', 'exists']);
    assert.deepEqual(msgs.map((m) => m.headers['x-goog-message-number']), ['1', '2', '3']);
    for (const m of msgs) {
      assert.equal(m.body, '');
      assert.equal(m.headers['x-goog-channel-token'], 'tok-1');
      assert.equal(m.headers['x-goog-resource-id'], r.json.resourceId);
      assert.ok(!Number.isNaN(Date.parse(String(m.headers['x-goog-channel-expiration']))));
    }
  });

  it('channels.stop answers 204 and ends delivery; a wrong resourceId is 404', async () => {
    const r = await watch('chan-stop');
    assert.equal((await env.call('/calendar/v3/channels/stop', { method: 'POST', body: { id: 'chan-stop', resourceId: 'wrong' } })).status, 404);
    const stop = await env.call('/calendar/v3/channels/stop', { method: 'POST', body: { id: 'chan-stop', resourceId: r.json.resourceId } });
    assert.equal(stop.status, 204);
    change();
    await env.emu.control.flushNotifications();
    assert.deepEqual(forChannel('chan-stop').map((m) => m.headers['x-goog-resource-state']), ['sync']);
  });

  it('an expired channel stops receiving', async () => {
    await watch('chan-exp', { params: { ttl: '60' } });
    env.emu.control.advanceClock(61_000);
    change();
    await env.emu.control.flushNotifications();
    env.emu.control.advanceClock(-61_000);
    assert.equal(forChannel('chan-exp').length, 1);
  });

  it('a share of notifications can be dropped; message numbers still increase', async () => {
    await watch('chan-drop');
    env.emu.control.dropNotifications(0.5);
    for (let i = 0; i < 4; i++) change();
    await env.emu.control.flushNotifications();
    env.emu.control.dropNotifications(0);
    const nums = forChannel('chan-drop').map((m) => Number(m.headers['x-goog-message-number']));
    assert.equal(nums.length, 3, 'sync + half of 4 changes');
    assert.deepEqual(nums, [...nums].sort((a, b) => a - b));
    assert.equal(env.emu.control.deliveries().filter((d) => d.channelId === 'chan-drop' && d.dropped).length, 2);
  });

  it('a receiver answering 5xx gets the same message again with backoff; a 4xx is not retried', async () => {
    env.emu.control.setPushRetry({ attempts: 3, baseMs: 20 });
    await watch('chan-retry');
    await env.emu.control.flushNotifications();
    failNext.set('chan-retry', [503, 500]);
    await change();
    await env.emu.control.flushNotifications();
    const posts = forChannel('chan-retry').filter((g) => g.headers['x-goog-resource-state'] === 'exists');
    assert.equal(posts.length, 3, 'two 5xx answers, then the 200');
    assert.equal(new Set(posts.map((p) => p.headers['x-goog-message-number'])).size, 1, 'a retry is the same message');
    const d = env.emu.control.deliveries().filter((x) => x.channelId === 'chan-retry' && x.state === 'exists');
    assert.deepEqual([d.at(-1)!.attempts, d.at(-1)!.status], [3, 200]);
    failNext.set('chan-retry', [404]);
    await change();
    await env.emu.control.flushNotifications();
    assert.equal(forChannel('chan-retry').filter((g) => g.headers['x-goog-resource-state'] === 'exists').length, 4);
  });

  it('deleting the watched calendar sends not_exists', async () => {
    const cal = env.emu.control.createCalendar({ ownerEmail: env.email, summary: 'temp' });
    await env.call(`/calendar/v3/calendars/${encodeURIComponent(cal.id)}/events/watch`, { method: 'POST', body: { id: 'chan-gone', type: 'web_hook', address } });
    env.emu.control.deleteCalendar(cal.id);
    await env.emu.control.flushNotifications();
    assert.deepEqual(forChannel('chan-gone').map((m) => m.headers['x-goog-resource-state']), ['sync', 'not_exists']);
  });

  it('duplicate channel ids and bad types are 400; http addresses only with allowHttpPush', async () => {
    assert.equal((await watch('chan-a')).status, 400);
    assert.equal((await watch('chan-type', { type: 'email' })).status, 400);
    const strict = await startGoogleEmulator();
    strict.control.createUser({ email: 'x@example.com' });
    const g = strict.control.issueGrant({ email: 'x@example.com' });
    const r = await fetch(`${strict.url}/calendar/v3/calendars/primary/events/watch`, { method: 'POST', headers: { authorization: `Bearer ${g.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ id: 'c1', type: 'web_hook', address }) });
    assert.equal(r.status, 400);
    assert.equal(((await r.json()) as { error: { errors: Array<{ reason: string }> } }).error.errors[0]!.reason, 'push.webhookUrlNotHttps');
    await strict.close();
  });
});
