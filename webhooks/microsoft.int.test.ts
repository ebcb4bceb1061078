/**
 * Graph subscriptions end to end against the in-process emulator: creation through the real
 * validation handshake, notifications -> receiver -> queued pull -> store, forged clientState,
 * renewal before expiry, and the lifecycle events (reauthorizationRequired, subscriptionRemoved,
 * missed).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectorContext, ConnectorWithPush } from '../connectors/index.ts';
import { checkSilentChannels } from '../hub/index.ts';
import { listChannelViews } from '../shared/store/index.ts';
import { channelRow } from '../hub/channels/list-channels.ts';
import { createConnector } from '../connectors/registry.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../emulators/microsoft/index.ts';
import { disconnectRedis, startHub, until, type Hub } from './test-support/hub.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('microsoft push: channel supervisor and receiver', () => {
  let emu: MicrosoftEmulator;
  let hub: Hub;
  let userId = '';
  let calId = '';
  let ctx: ConnectorContext;
  let connector: ConnectorWithPush;

  before(async () => {
    emu = await startMicrosoftEmulator({ switches: { allowHttpPush: true } });
    const user = emu.control.createUser({ email: 'adele@contoso.test', timeZone: 'UTC' });
    userId = user.id;
    calId = emu.control.createCalendar({ userId, name: 'push' }).id;
    const { accessToken } = emu.control.issueToken({ userId, scopes: ['Calendars.ReadWrite', 'offline_access'] });
    ctx = { credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
    connector = (await createConnector('microsoft', { baseUrl: emu.url })) as ConnectorWithPush;
    hub = await startHub({ provider: 'microsoft', externalId: 'adele@contoso.test', providerCalendarId: calId, connector, ctx });
  });
  after(async () => {
    await hub?.close();
    await emu?.close();
    disconnectRedis();
  });

  const row = () => hub.store.tenant(hub.tenantId).channels.get(hub.calendarId);
  const titles = async () => (await hub.store.tenant(hub.tenantId).events.list(hub.calendarId)).map((e) => e.event.title);
  const create = (subject: string) =>
    emu.control.createEvent({ userId, calendarId: calId, event: { subject, start: { dateTime: '2026-12-10T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-10T11:00:00', timeZone: 'UTC' } } });
  const patches = (subId: string) => emu.control.requests().filter((r) => r.method === 'PATCH' && r.path.endsWith(`/subscriptions/${subId}`)).length;

  it('answers the validation handshake with the token as text/plain', async () => {
    const token = 'Validation: Testing client application reachability for subscription Request-Id: 42 & more';
    const r = await hub.post(`/webhooks/microsoft?validationToken=${encodeURIComponent(token)}`, { contentType: 'text/plain; charset=utf-8', body: '' });
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^text\/plain/);
    assert.equal(r.body, token);
  });

  it('a sweep creates a subscription (through the real handshake) for the calendar', async () => {
    assert.deepEqual(await hub.supervisor.sweep(), { created: 1 });
    const [sub] = emu.control.subscriptions();
    assert.equal(sub?.notificationUrl, `${hub.url}/webhooks/microsoft`);
    assert.equal(sub?.resource, `me/calendars/${calId}/events`);
    const r = (await row())!;
    assert.equal(r.status, 'active');
    assert.equal(r.channelId, sub!.id);
    assert.match(r.secretHash!, /^[0-9a-f]{64}$/);
    await hub.idle();
  });

  it('a change in the mailbox reaches the store through notification -> receiver -> pull', async () => {
    create('graph change');
    await until(async () => (await titles()).includes('graph change'), 10_000, 'change in the store');
  });

  it('a forged clientState changes nothing; unknown subscriptions are ignored; bad bodies are 400', async () => {
    await hub.idle();
    const subscriptionId = (await row())!.channelId!;
    const before = { requested: hub.counts.requested, titles: await titles() };
    const forged = { value: [{ subscriptionId, clientState: 'guessed', changeType: 'updated', resource: 'Users/x/Events/y' }] };
    const r = await hub.post('/webhooks/microsoft', { contentType: 'application/json', body: forged });
    assert.equal(r.statusCode, 403);
    assert.equal(r.json().error.code, 'WEBHOOK_REJECTED');
    const noState = await hub.post('/webhooks/microsoft', { contentType: 'application/json', body: { value: [{ subscriptionId, changeType: 'updated' }] } });
    assert.equal(noState.statusCode, 403);
    const forgedLifecycle = { value: [{ subscriptionId, clientState: 'guessed', lifecycleEvent: 'subscriptionRemoved' }] };
    assert.equal((await hub.post('/webhooks/microsoft', { contentType: 'application/json', body: forgedLifecycle })).statusCode, 403);
    const unknown = await hub.post('/webhooks/microsoft', { contentType: 'application/json', body: { value: [{ subscriptionId: 'nope', clientState: 'x' }] } });
    assert.equal(unknown.statusCode, 202);
    for (const body of [{}, { value: [] }, { value: [{ clientState: 'x' }] }, { value: [{ subscriptionId, lifecycleEvent: 'explode' }] }]) {
      const bad = await hub.post('/webhooks/microsoft', { contentType: 'application/json', body });
      assert.equal(bad.statusCode, 400, JSON.stringify(body));
      assert.equal(bad.json().error.code, 'WEBHOOK_INVALID_REQUEST');
    }
    assert.equal((await hub.post('/webhooks/microsoft', { contentType: 'application/json', body: '{"value": [' })).statusCode, 400);
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(hub.counts.requested, before.requested, 'no pull was requested');
    assert.deepEqual(await titles(), before.titles);
    assert.equal((await row())!.status, 'active', 'a forged lifecycle event did not touch the channel');
    assert.equal(emu.control.subscriptions().length, 1);
  });

  it('the subscription is renewed (PATCH, same id) well before it expires', async () => {
    await hub.idle();
    const old = (await row())!;
    assert.deepEqual(await hub.supervisor.sweep(), {}, 'not due yet');
    // 130 of ~168 hours (10,080 minutes) later on the supervisor's clock: inside the last quarter.
    hub.clock.shiftMs = 130 * 3_600_000;
    assert.deepEqual(await hub.supervisor.sweep(), { renewed: 1 });
    hub.clock.shiftMs = 0;
    const next = (await row())!;
    assert.equal(next.channelId, old.channelId);
    assert.equal(next.secretHash, old.secretHash, 'Graph keeps the clientState on renewal');
    assert.equal(patches(old.channelId!), 1);
    create('after renewal');
    await until(async () => (await titles()).includes('after renewal'), 10_000, 'change after renewal');
  });

  it('reauthorizationRequired renews at once', async () => {
    const subId = (await row())!.channelId!;
    const before = patches(subId);
    emu.control.sendLifecycle({ subscriptionId: subId, event: 'reauthorizationRequired' });
    await until(() => patches(subId) > before, 10_000, 'a PATCH renew');
    await until(async () => (await row())!.status === 'active', 5_000, 'channel active again');
  });

  it('missed leads to a pull', async () => {
    await hub.idle();
    const before = hub.counts.requested;
    emu.control.sendLifecycle({ subscriptionId: (await row())!.channelId!, event: 'missed' });
    await until(() => hub.counts.requested > before, 10_000, 'a pull request');
  });

  it('subscriptionRemoved leads to a new subscription and a catch-up pull', async () => {
    await hub.idle();
    const old = (await row())!;
    emu.control.sendLifecycle({ subscriptionId: old.channelId!, event: 'subscriptionRemoved' });
    // Changed while no subscription exists: only the catch-up pull can bring it.
    create('while removed');
    await until(async () => emu.control.subscriptions().length === 1 && (await row())!.channelId !== old.channelId, 10_000, 'a new subscription');
    const r = (await row())!;
    assert.equal(r.status, 'active');
    assert.equal(emu.control.subscriptions()[0]!.id, r.channelId);
    await until(async () => (await titles()).includes('while removed'), 10_000, 'catch-up');
    create('on the new subscription');
    await until(async () => (await titles()).includes('on the new subscription'), 10_000, 'change on the new subscription');
  });

  it('a subscription deleted without notice: the poll\'s unnotified change flags it silent, GET finds it gone, it is recreated', async () => {
    await hub.idle();
    const old = (await row())!;
    // Deleted at Graph with no lifecycle notice (an admin, a tenant-wide cleanup): calhub is not told.
    await connector.push.unsubscribe(ctx, { id: old.channelId!, resourceId: null, secret: '', expiresAt: old.expiresAt!.toISOString() });
    assert.equal(emu.control.subscriptions().length, 0);
    const before = hub.counts.requested;
    create('unnotified');
    // The poll (what SYNC_POLL_INTERVAL_MS runs) finds it; no notification came.
    await hub.engine.requestPull(hub.tenantId, hub.calendarId);
    await until(async () => (await titles()).includes('unnotified'), 10_000, 'the poll brings the change');
    assert.equal(hub.counts.requested, before, 'no notification asked for a pull');
    // The previous notification (and the row's last save) came ten minutes before this change: a
    // notification's own pull stores its changes within the grace, this change came long after.
    await hub.store.db.query(`UPDATE push_channels SET last_notification_at = last_notification_at - interval '10 minutes', updated_at = updated_at - interval '10 minutes' WHERE calendar_id = $1`, [hub.calendarId]);
    const state = async () => channelRow((await listChannelViews(hub.store.db, hub.tenantId)).find((v) => v.calendarId === hub.calendarId)!, new Date()).state;
    const check = (shiftMs: number, checkChannel?: (t: string, c: string) => Promise<unknown>) =>
      checkSilentChannels({ store: hub.store, requestPull: async () => {}, log: quiet as never, metrics: hub.metrics, now: () => new Date(Date.now() + shiftMs), ...(checkChannel ? { checkChannel } : {}) });
    assert.equal(await check(0), 0, 'within the grace a notification may still come');
    assert.equal(await state(), 'active');
    // Three minutes later (past the two-minute grace) still no notification: suspected.
    hub.clock.shiftMs = 3 * 60_000;
    assert.equal(await check(3 * 60_000), 1);
    assert.equal(await state(), 'silent', 'shown silent while it is checked');
    assert.equal(await check(3 * 60_000), 0, 'suspected once');
    const gets = () => emu.control.requests().filter((r) => r.method === 'GET' && r.path.endsWith(`/subscriptions/${old.channelId}`)).length;
    assert.equal(await hub.supervisor.checkCalendar(hub.tenantId, hub.calendarId), 'created');
    hub.clock.shiftMs = 0;
    assert.equal(gets(), 1, 'verified with GET /subscriptions/{id}');
    const r = (await row())!;
    assert.notEqual(r.channelId, old.channelId);
    assert.equal(emu.control.subscriptions()[0]?.id, r.channelId);
    assert.equal(await state(), 'active', 'the new subscription is not silent');
    const counted = (await hub.metrics.registry.getSingleMetric('calhub_channels_checked_total')!.get()).values;
    assert.deepEqual(counted.map((v) => [v.labels.outcome, v.value]), [['recreated', 1]]);
    create('on the recreated subscription');
    await until(async () => (await titles()).includes('on the recreated subscription'), 10_000, 'change notified on the new subscription');
  });
});
