/* eslint-disable @typescript-eslint/no-explicit-any */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestGraph, timed, type TestGraph } from './test-helpers.ts';

/** A webhook receiver whose answers each test can change. */
interface Receiver { url: string; posts: Array<{ query: URLSearchParams; body: string }>; mode: 'echo' | 'wrong' | 'silent' | 'fail-once'; server: Server }

async function startReceiver(): Promise<Receiver> {
  const r: Receiver = { url: '', posts: [], mode: 'echo', server: createServer() };
  let failed = false;
  r.server.on('request', async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url!, 'http://x');
    r.posts.push({ query: url.searchParams, body: Buffer.concat(chunks).toString() });
    const token = url.searchParams.get('validationToken');
    if (r.mode === 'silent') return;
    if (token !== null) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end(r.mode === 'wrong' ? 'nope' : token);
    }
    if (r.mode === 'fail-once' && !failed) {
      failed = true;
      res.writeHead(503);
      return void res.end();
    }
    res.writeHead(202);
    res.end();
  });
  await new Promise<void>((ok) => r.server.listen(0, '127.0.0.1', ok));
  r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/hook?tenant=t1`;
  return r;
}

describe('Graph emulator: subscriptions', () => {
  let g: TestGraph;
  let rx: Receiver;
  const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
  const subscribe = (extra: Record<string, unknown> = {}) => g.call('POST', '/subscriptions', {
    body: {
      changeType: 'created,updated,deleted', notificationUrl: rx.url, lifecycleNotificationUrl: rx.url,
      resource: `me/calendars/${g.calendarId}/events`, expirationDateTime: inMinutes(60), clientState: 'secret-1', ...extra,
    },
  });
  before(async () => {
    g = await startTestGraph();
    rx = await startReceiver();
    g.emu.control.setNotificationSettings({ validationTimeoutMs: 300, retryDelayMs: 20 });
  });
  beforeEach(() => {
    rx.posts.length = 0;
    rx.mode = 'echo';
  });
  after(async () => {
    await g.emu.close();
    rx.server.closeAllConnections();
    rx.server.close();
  });

  it('validates the notification URL by POSTing a validationToken and expects it echoed as text/plain', async () => {
    const r = await subscribe();
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal(rx.posts.length, 2, 'notificationUrl and lifecycleNotificationUrl are both validated');
    assert.ok(rx.posts[0]!.query.get('validationToken'));
    assert.equal(rx.posts[0]!.query.get('tenant'), 't1', 'the URL query string is kept');
    assert.equal(r.json.clientState, 'secret-1');
  });

  it('fails the create when the echo is wrong or does not come in time', async () => {
    rx.mode = 'wrong';
    const wrong = await subscribe();
    assert.equal(wrong.status, 400);
    assert.match(wrong.json.error.message, /validation request failed/);
    rx.mode = 'silent';
    assert.equal((await subscribe()).status, 400);
    assert.equal(g.emu.control.subscriptions().length, 1, 'only the first test subscription exists');
  });

  it('caps event subscriptions at 10,080 minutes, raises less than 45 to 45, renews by PATCH, reauthorizes with 204, deletes with 204', async () => {
    assert.equal((await subscribe({ expirationDateTime: inMinutes(10_081) })).status, 400);
    const sub = (await subscribe({ expirationDateTime: inMinutes(10_079) })).json;
    const renewed = await g.call('PATCH', `/subscriptions/${sub.id}`, { body: { expirationDateTime: inMinutes(4000) } });
    assert.equal(renewed.status, 200);
    assert.ok(Date.parse(renewed.json.expirationDateTime) < Date.parse(sub.expirationDateTime));
    assert.equal((await g.call('PATCH', `/subscriptions/${sub.id}`, { body: { expirationDateTime: inMinutes(10_100) } })).status, 400);
    const floor = await g.call('PATCH', `/subscriptions/${sub.id}`, { body: { expirationDateTime: inMinutes(5) } });
    const ahead = (Date.parse(floor.json.expirationDateTime) - Date.now()) / 60_000;
    assert.ok(ahead > 44.9 && ahead <= 45, `raised to 45 minutes, got ${ahead}`);
    const reauth = await g.call('POST', `/subscriptions/${sub.id}/reauthorize`);
    assert.equal(reauth.status, 204);
    assert.equal(reauth.json, null, 'no body');
    assert.equal((await g.call('DELETE', `/subscriptions/${sub.id}`)).status, 204);
    assert.equal((await g.call('GET', `/subscriptions/${sub.id}`)).status, 404);
  });

  it('refuses http notification and lifecycle URLs unless allowHttpPush is on', async () => {
    g.emu.control.setSwitches({ allowHttpPush: false });
    try {
      const plain = await subscribe();
      assert.equal(plain.status, 400);
      assert.match(plain.json.error.message, /notificationUrl must be an https URL/);
      const lifecycle = await subscribe({ notificationUrl: 'https://hub.example.test/webhooks/microsoft' });
      assert.match(lifecycle.json.error.message, /lifecycleNotificationUrl must be an https URL/);
      assert.equal(rx.posts.length, 0, 'refused before any validation request');
    } finally {
      g.emu.control.setSwitches({ allowHttpPush: true });
    }
  });

  it('refuseCalendarSubscriptions: only me/events is accepted; meEventsDefaultCalendarOnly: me/events hears only the default calendar', async () => {
    const other = g.emu.control.createCalendar({ userId: g.userId, name: 'not default' });
    g.emu.control.setSwitches({ refuseCalendarSubscriptions: true });
    try {
      for (const resource of [`me/calendars/${other.id}/events`, 'me/calendar/events', `users/${g.userId}/calendars/${other.id}/events`]) {
        const r = await subscribe({ resource, lifecycleNotificationUrl: undefined });
        assert.equal(r.status, 400, resource);
        assert.match(r.json.error.message, /is not supported/);
      }
    } finally {
      g.emu.control.setSwitches({ refuseCalendarSubscriptions: false });
    }
    const heard = async (defaultOnly: boolean) => {
      g.emu.control.setSwitches({ meEventsDefaultCalendarOnly: defaultOnly });
      const sub = (await subscribe({ resource: 'me/events', lifecycleNotificationUrl: undefined })).json;
      rx.posts.length = 0;
      const inDefault = g.emu.control.createEvent({ userId: g.userId, calendarId: g.calendarId, event: timed('d', '2026-07-07T10:00:00', '2026-07-07T11:00:00') }).id;
      const inOther = g.emu.control.createEvent({ userId: g.userId, calendarId: other.id, event: timed('o', '2026-07-07T10:00:00', '2026-07-07T11:00:00') }).id;
      await g.emu.control.settle();
      await g.call('DELETE', `/subscriptions/${sub.id}`);
      const ids = new Set(delivered().filter((v: any) => v.subscriptionId === sub.id).map((v: any) => v.resourceData.id));
      return [ids.has(inDefault), ids.has(inOther)];
    };
    try {
      assert.deepEqual(await heard(false), [true, true], 'documented: every calendar of the mailbox');
      assert.deepEqual(await heard(true), [true, false], 'FIELD: the default calendar only');
    } finally {
      g.emu.control.setSwitches({ meEventsDefaultCalendarOnly: false });
    }
  });

  it('notifies changes with clientState, changeType and resourceData, batched per URL', async () => {
    const ev = g.emu.control.createEvent({ userId: g.userId, calendarId: g.calendarId, event: timed('n1', '2026-07-01T10:00:00', '2026-07-01T11:00:00') });
    g.emu.control.updateEvent({ userId: g.userId, id: ev.id, patch: { subject: 'n2' } });
    await g.emu.control.settle();
    const items = rx.posts.flatMap((p) => JSON.parse(p.body).value);
    assert.deepEqual(items.map((i: any) => i.changeType), ['created', 'updated']);
    assert.equal(rx.posts.length, 1, 'both changes arrive in one POST');
    assert.ok(items.every((i: any) => i.clientState === 'secret-1' && i.resourceData.id === ev.id && i.resource.endsWith(`/Events/${ev.id}`)));
    assert.equal(items[0].resourceData['@odata.type'], '#Microsoft.Graph.Event');
  });

  it('retries a receiver that fails', async () => {
    rx.mode = 'fail-once';
    g.emu.control.createEvent({ userId: g.userId, calendarId: g.calendarId, event: timed('retry', '2026-07-02T10:00:00', '2026-07-02T11:00:00') });
    await g.emu.control.settle();
    assert.equal(rx.posts.length, 2, 'one failed attempt and one retry');
  });

  it('sends lifecycle notifications; subscriptionRemoved also removes the subscription', async () => {
    const sub = g.emu.control.subscriptions()[0]!;
    for (const event of ['reauthorizationRequired', 'missed', 'subscriptionRemoved'] as const) g.emu.control.sendLifecycle({ subscriptionId: sub.id, event });
    await g.emu.control.settle();
    const events = rx.posts.flatMap((p) => JSON.parse(p.body).value).map((v: any) => [v.lifecycleEvent, v.clientState]);
    assert.deepEqual(events.sort(), [['missed', 'secret-1'], ['reauthorizationRequired', 'secret-1'], ['subscriptionRemoved', 'secret-1']]);
    assert.equal((await g.call('GET', `/subscriptions/${sub.id}`)).status, 404);
  });

  /** Subscribes to a calendar of its own, so only this test's changes reach it. */
  const ownCalendar = async (name: string, extra: Record<string, unknown> = {}) => {
    const cal = g.emu.control.createCalendar({ userId: g.userId, name });
    const r = await subscribe({ resource: `me/calendars/${cal.id}/events`, ...extra });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    return { calendarId: cal.id, sub: r.json };
  };
  const delivered = () => rx.posts.filter((p) => p.query.get('validationToken') === null).flatMap((p) => JSON.parse(p.body).value);
  const lifecycleOf = () => delivered().filter((v: any) => v.lifecycleEvent).map((v: any) => [v.subscriptionId, v.lifecycleEvent]);
  const newToken = () => { g.token = g.emu.control.issueToken({ userId: g.userId }).accessToken; };

  it('sends missed to the lifecycle URL when notifications are dropped, once per batch, only to subscriptions that have one', async () => {
    const a = await ownCalendar('missed');
    const b = await subscribe({ resource: `me/calendars/${a.calendarId}/events`, lifecycleNotificationUrl: undefined });
    g.emu.control.setNotificationSettings({ dropRate: 1 });
    for (const n of ['lost1', 'lost2']) g.emu.control.createEvent({ userId: g.userId, calendarId: a.calendarId, event: timed(n, '2026-07-03T10:00:00', '2026-07-03T11:00:00') });
    await g.emu.control.settle();
    g.emu.control.setNotificationSettings({ dropRate: 0 });
    assert.ok(delivered().every((v: any) => v.lifecycleEvent), 'no change notification got through');
    assert.deepEqual(lifecycleOf(), [[a.sub.id, 'missed']]);
    assert.equal(g.emu.control.droppedNotifications(), 4);
    for (const id of [a.sub.id, b.json.id]) await g.call('DELETE', `/subscriptions/${id}`);
  });

  it('drops the same notifications for the same dropSeed', async () => {
    const { calendarId, sub } = await ownCalendar('seeded', { lifecycleNotificationUrl: undefined });
    const run = async () => {
      rx.posts.length = 0;
      g.emu.control.setNotificationSettings({ dropRate: 0.5, dropSeed: 42 });
      const ids = Array.from({ length: 16 }, (_, i) => g.emu.control.createEvent({ userId: g.userId, calendarId, event: timed(`s${i}`, '2026-07-04T10:00:00', '2026-07-04T11:00:00') }).id);
      await g.emu.control.settle();
      const got = new Set(delivered().map((v: any) => v.resourceData.id));
      return ids.map((id) => got.has(id));
    };
    const first = await run();
    const second = await run();
    g.emu.control.setNotificationSettings({ dropRate: 0 });
    assert.deepEqual(second, first);
    assert.ok(first.includes(true) && first.includes(false), 'half-ish are dropped');
    await g.call('DELETE', `/subscriptions/${sub.id}`);
  });

  it('sends reauthorizationRequired shortly before a subscription expires', async () => {
    g.emu.control.setNotificationSettings({ reauthorizeBeforeExpiryMs: 60 * 60_000 - 150 });
    const { sub } = await ownCalendar('expiring');
    g.emu.control.setNotificationSettings({ reauthorizeBeforeExpiryMs: 15 * 60_000 });
    assert.deepEqual(lifecycleOf(), [], 'not at once');
    for (let i = 0; i < 100 && lifecycleOf().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(lifecycleOf(), [[sub.id, 'reauthorizationRequired']]);
    await g.call('DELETE', `/subscriptions/${sub.id}`);
  });

  it('on a revoked grant sends reauthorizationRequired, pauses notifications, then removes the subscription with subscriptionRemoved', async () => {
    g.emu.control.setNotificationSettings({ reauthorizeGraceMs: 100 });
    const a = await ownCalendar('revoked');
    const b = await subscribe({ resource: `me/calendars/${a.calendarId}/events`, lifecycleNotificationUrl: undefined });
    g.emu.control.revokeGrants({ userId: g.userId });
    g.emu.control.createEvent({ userId: g.userId, calendarId: a.calendarId, event: timed('paused', '2026-07-05T10:00:00', '2026-07-05T11:00:00') });
    await g.emu.control.settle();
    newToken();
    assert.deepEqual(lifecycleOf(), [[a.sub.id, 'reauthorizationRequired'], [a.sub.id, 'subscriptionRemoved']]);
    assert.equal(delivered().filter((v: any) => v.changeType).length, 0, 'changes during the pause are not notified');
    for (const id of [a.sub.id, b.json.id]) assert.equal((await g.call('GET', `/subscriptions/${id}`)).status, 404);
  });

  it('keeps a challenged subscription that is reauthorized with a fresh grant in time', async () => {
    g.emu.control.setNotificationSettings({ reauthorizeGraceMs: 10_000 });
    const { calendarId, sub } = await ownCalendar('reauthorized');
    g.emu.control.revokeGrants({ userId: g.userId });
    newToken();
    assert.equal((await g.call('POST', `/subscriptions/${sub.id}/reauthorize`)).status, 204);
    await g.emu.control.settle();
    g.emu.control.createEvent({ userId: g.userId, calendarId, event: timed('back', '2026-07-06T10:00:00', '2026-07-06T11:00:00') });
    await g.emu.control.settle();
    assert.deepEqual(lifecycleOf(), [[sub.id, 'reauthorizationRequired']]);
    assert.deepEqual(delivered().filter((v: any) => v.changeType).map((v: any) => v.changeType), ['created'], 'notifications resume');
    assert.equal((await g.call('GET', `/subscriptions/${sub.id}`)).status, 200);
  });
});

// subscription-list.md: a delegated caller lists the subscriptions "created by this app for the
// signed-in user only", and "the clientState property value is not returned for security
// purposes"; GET /subscriptions/{id} shows it (subscription-get.md's example).
describe('Graph emulator: listing subscriptions', () => {
  let g: TestGraph;
  let rx: Receiver;
  before(async () => {
    g = await startTestGraph();
    rx = await startReceiver();
  });
  after(async () => {
    await g.emu.close();
    rx.server.close();
  });

  it("lists this app's subscriptions for the user without their clientState", async () => {
    const expirationDateTime = new Date(Date.now() + 60 * 60_000).toISOString();
    const body = { changeType: 'created,updated,deleted', notificationUrl: rx.url, resource: `me/calendars/${g.calendarId}/events`, expirationDateTime, clientState: 'secret-9' };
    const made = await g.call('POST', '/subscriptions', { body });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const other = g.emu.control.issueToken({ userId: g.userId, clientId: 'another-app' });
    const theirs = await fetch(`${g.emu.url}/v1.0/subscriptions`, { method: 'POST', headers: { authorization: `Bearer ${other.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...body, clientState: 'theirs' }) });
    assert.equal(theirs.status, 201);
    const listed = await g.call('GET', '/subscriptions');
    assert.deepEqual(listed.json.value.map((s: any) => [s.id, s.notificationUrl, s.clientState]), [[made.json.id, rx.url, null]]);
    assert.equal((await g.call('GET', `/subscriptions/${made.json.id}`)).json.clientState, 'secret-9');
  });
});
