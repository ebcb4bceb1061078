/**
 * The push interface against the emulator: subscribe = watch, renew = replace, unsubscribe = stop;
 * the same for the calendar-list channel (calendarList.watch).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { makeGoogleHarness, type GoogleTestSetup } from './test-support.ts';

describe('google connector: push channels', () => {
  let h: GoogleTestSetup;
  let receiver: Server;
  let address = '';
  const got: IncomingHttpHeaders[] = [];
  before(async () => {
    h = await makeGoogleHarness();
    receiver = createServer((req, res) => {
      got.push(req.headers);
      req.resume();
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    address = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/google`;
  });
  after(async () => {
    await h.cleanup();
    await new Promise((r) => receiver.close(r));
  });
  const change = () => h.remote.createEvent({ uid: `p-${Math.random()}@x`, start: { date: '2026-03-02' }, end: { date: '2026-03-03' } });
  const states = (id: string) => got.filter((g) => g['x-goog-channel-id'] === id).map((g) => g['x-goog-resource-state']);

  it('subscribe creates a channel carrying the secret; notifications follow changes', async () => {
    const sub = await h.connector.push.subscribe(h.ctx, h.calendar, { address, secret: 's3cret', ttlSeconds: 3600 });
    assert.ok(sub.resourceId);
    const exp = Date.parse(sub.expiresAt) - Date.now();
    assert.ok(exp > 3500_000 && exp <= 3600_000);
    await change();
    await h.control.flushNotifications();
    assert.deepEqual(states(sub.id), ['sync', 'exists']);
    assert.ok(got.filter((g) => g['x-goog-channel-id'] === sub.id).every((g) => g['x-goog-channel-token'] === 's3cret'));
    await h.connector.push.unsubscribe(h.ctx, sub);
  });

  it('renew replaces: a new channel first, then the old one is stopped', async () => {
    const old = await h.connector.push.subscribe(h.ctx, h.calendar, { address, secret: 'k', ttlSeconds: 600 });
    const next = await h.connector.push.renew(h.ctx, h.calendar, old, { address, ttlSeconds: 7200 });
    assert.notEqual(next.id, old.id);
    assert.equal(next.secret, 'k');
    const channels = new Map(h.control.channels().map((c) => [c.id, c]));
    assert.equal(channels.get(old.id)?.stopped, true);
    assert.equal(channels.get(next.id)?.stopped, false);
    await change();
    await h.control.flushNotifications();
    assert.deepEqual(states(old.id), ['sync']);
    assert.deepEqual(states(next.id), ['sync', 'exists']);
  });

  it('unsubscribe stops the channel and is idempotent', async () => {
    const sub = await h.connector.push.subscribe(h.ctx, h.calendar, { address, secret: 'z', ttlSeconds: 600 });
    await h.connector.push.unsubscribe(h.ctx, sub);
    await h.connector.push.unsubscribe(h.ctx, sub);
    await change();
    await h.control.flushNotifications();
    assert.deepEqual(states(sub.id), ['sync']);
  });

  describe('calendar list (calendarList.watch)', () => {
    const list = () => {
      assert.ok(h.connector.push.calendarList, 'the Google connector offers calendar-list channels');
      return h.connector.push.calendarList;
    };
    const addCalendar = () => h.control.createCalendar({ ownerEmail: h.email, summary: `list ${Math.random()}` }).id;

    it('subscribe opens a channel on the user\'s list carrying the secret; list changes notify it, event changes do not', async () => {
      const sub = await list().subscribe(h.ctx, { address, secret: 'l1st', ttlSeconds: 3600 });
      assert.ok(sub.resourceId);
      const exp = Date.parse(sub.expiresAt) - Date.now();
      assert.ok(exp > 3500_000 && exp <= 3600_000);
      const ch = h.control.channels().find((c) => c.id === sub.id)!;
      assert.deepEqual([ch.listOf, ch.calendarId], [h.email, null], 'bound to the account, not a calendar');
      assert.match(ch.resourceUri, /\/calendar\/v3\/users\/me\/calendarList\?alt=json$/);
      const id = addCalendar();
      h.control.renameCalendar(id, 'renamed');
      await change();
      h.control.deleteCalendar(id);
      await h.control.flushNotifications();
      assert.deepEqual(states(sub.id), ['sync', 'exists', 'exists', 'exists']);
      assert.ok(got.filter((g) => g['x-goog-channel-id'] === sub.id).every((g) => g['x-goog-channel-token'] === 'l1st'));
      await h.connector.push.unsubscribe(h.ctx, sub);
    });

    it('renew replaces: a new list channel first (same secret), then the old one is stopped', async () => {
      const old = await list().subscribe(h.ctx, { address, secret: 'k2', ttlSeconds: 600 });
      const next = await list().renew(h.ctx, old, { address, ttlSeconds: 7200 });
      assert.notEqual(next.id, old.id);
      assert.equal(next.secret, 'k2');
      const exp = Date.parse(next.expiresAt) - Date.now();
      assert.ok(exp > 7100_000 && exp <= 7200_000);
      const channels = new Map(h.control.channels().map((c) => [c.id, c]));
      assert.equal(channels.get(old.id)?.stopped, true);
      assert.equal(channels.get(next.id)?.stopped, false);
      assert.equal(channels.get(next.id)?.listOf, h.email);
      h.control.hideCalendar(addCalendar(), h.email);
      await h.control.flushNotifications();
      assert.deepEqual(states(old.id), ['sync']);
      assert.deepEqual(states(next.id), ['sync', 'exists', 'exists'], 'the new calendar, then hiding it');
      await h.connector.push.unsubscribe(h.ctx, next);
    });

    it('unsubscribe stops a list channel and is idempotent', async () => {
      const sub = await list().subscribe(h.ctx, { address, secret: 'z2', ttlSeconds: 600 });
      await h.connector.push.unsubscribe(h.ctx, sub);
      await h.connector.push.unsubscribe(h.ctx, sub);
      assert.equal(h.control.channels().find((c) => c.id === sub.id)?.stopped, true);
      addCalendar();
      await h.control.flushNotifications();
      assert.deepEqual(states(sub.id), ['sync']);
    });
  });
});
