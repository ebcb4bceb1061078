/**
 * Google push end to end against the in-process emulator: supervisor -> events.watch -> emulator
 * notification -> receiver -> queued pull -> store; forged notifications; replacement before
 * expiry on the emulator's clock; a removed calendar's channel stopped; a 1,000-notification burst.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectorContext } from '../connectors/index.ts';
import { createConnector } from '../connectors/registry.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../emulators/google/index.ts';
import { hashSecret } from '../shared/channel-secret.ts';
import { listChannelKey } from '../shared/store/index.ts';
import { refreshDueCalendarLists } from '../hub/index.ts';
import { disconnectRedis, startHub, until, type Hub } from './test-support/hub.ts';

const TTL = 3600;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('google push: channel supervisor and receiver', () => {
  let emu: RunningGoogleEmulator;
  let hub: Hub;
  let calId = '';
  const email = 'push@example.com';

  before(async () => {
    emu = await startGoogleEmulator({ allowHttpPush: true });
    emu.control.createUser({ email, timeZone: 'UTC' });
    calId = emu.control.createCalendar({ ownerEmail: email, summary: 'push', timeZone: 'UTC' }).id;
    const { accessToken } = emu.control.issueGrant({ email });
    const ctx: ConnectorContext = { credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
    hub = await startHub({ provider: 'google', externalId: email, providerCalendarId: calId, connector: await createConnector('google', { baseUrl: emu.url }), ctx, ttlSeconds: TTL });
  });
  after(async () => {
    await hub?.close();
    await emu?.close();
    disconnectRedis();
  });

  // The calendar's channels (the account's calendar-list channel is the last test's).
  const live = () => emu.control.channels().filter((c) => !c.stopped && c.calendarId !== null);
  const row = () => hub.store.tenant(hub.tenantId).channels.get(hub.calendarId);
  const titles = async () => (await hub.store.tenant(hub.tenantId).events.list(hub.calendarId)).map((e) => e.event.title);
  const insert = (title: string) => emu.control.insertEvent(calId, { summary: title, start: { dateTime: '2026-12-10T10:00:00Z' }, end: { dateTime: '2026-12-10T11:00:00Z' } });
  const headersOf = (ch: { id: string; token: string | null; resourceId: string }, state = 'exists') => ({
    'x-goog-channel-id': ch.id,
    'x-goog-channel-token': ch.token ?? '',
    'x-goog-resource-id': ch.resourceId,
    'x-goog-resource-state': state,
    // A fresh number for each: the receiver refuses one it has already seen as a replay.
    'x-goog-message-number': String(emu.control.nextMessageNumber(ch.id)),
  });

  it('connecting the account creates a channel; only the token hash is stored; the sync handshake pulls nothing', async () => {
    assert.deepEqual(await hub.supervisor.connectAccount(hub.tenantId, hub.accountId), { created: 2 }, 'the calendar\'s channel and the account\'s calendar-list channel');
    const [ch] = live();
    const r = (await row())!;
    assert.equal(r.status, 'active');
    assert.equal(r.channelId, ch!.id);
    assert.equal(r.address, `${hub.url}/webhooks/google`);
    assert.ok(ch!.token && r.secretHash === hashSecret(ch!.token) && r.secretHash !== ch!.token, 'the stored value is the hash, not the token');
    await hub.idle();
    const before = hub.counts.requested;
    const res = await hub.post('/webhooks/google', { headers: headersOf(ch!, 'sync') });
    assert.equal(res.statusCode, 200);
    assert.equal(hub.counts.requested, before, 'sync is a handshake, not a change');
  });

  it('a change at Google reaches the store through notification -> receiver -> pull', async () => {
    const started = Date.now();
    insert('pushed change');
    await until(async () => (await titles()).includes('pushed change'), 10_000, 'change in the store');
    assert.ok(Date.now() - started < 5_000, `propagation took ${Date.now() - started} ms`);
    await emu.control.flushNotifications();
    const mine = emu.control.deliveries().filter((d) => d.channelId === live()[0]!.id);
    assert.deepEqual([...new Set(mine.map((d) => d.status))], [200]);
  });

  it('forged notifications change nothing: wrong token, wrong resource, unknown channel, missing headers', async () => {
    await hub.idle();
    const ch = live()[0]!;
    const before = { requested: hub.counts.requested, titles: await titles() };
    const wrongToken = await hub.post('/webhooks/google', { headers: { ...headersOf(ch), 'x-goog-channel-token': 'guessed' } });
    assert.equal(wrongToken.statusCode, 403);
    assert.equal(wrongToken.json().error.code, 'WEBHOOK_REJECTED');
    const noToken = { ...headersOf(ch) } as Record<string, string>;
    delete noToken['x-goog-channel-token'];
    assert.equal((await hub.post('/webhooks/google', { headers: noToken })).statusCode, 403);
    assert.equal((await hub.post('/webhooks/google', { headers: { ...headersOf(ch), 'x-goog-resource-id': 'other' } })).statusCode, 403);
    const unknown = await hub.post('/webhooks/google', { headers: { ...headersOf(ch), 'x-goog-channel-id': 'not-a-channel-of-ours' } });
    assert.equal(unknown.statusCode, 200, 'unknown channels are acknowledged and ignored');
    const bad = await hub.post('/webhooks/google', { headers: { 'x-goog-channel-id': ch.id } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'WEBHOOK_INVALID_REQUEST');
    assert.equal((await hub.post('/webhooks/google', { headers: { ...headersOf(ch), 'x-goog-resource-state': 'gone' } })).statusCode, 400);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(hub.counts.requested, before.requested, 'no pull was requested');
    assert.deepEqual(await titles(), before.titles);
  });

  it('a burst of 1,000 notifications for one calendar causes at most 3 pulls; a replay is refused', async () => {
    await hub.idle();
    const ch = live()[0]!;
    const start = { requested: hub.counts.requested, listings: hub.counts.listings };
    const burst = Array.from({ length: 1000 }, () => headersOf(ch));
    const began = Date.now();
    const answers = await Promise.all(burst.map((headers) => hub.post('/webhooks/google', { headers })));
    const seconds = (Date.now() - began) / 1000;
    const by = (s: number) => answers.filter((a) => a.statusCode === s).length;
    // Past the channel's burst (60) the rest are 429 and owe one pull; a 409 only where a higher number was accepted first.
    assert.equal(by(200) + by(429) + by(409), 1000, answers.map((a) => a.statusCode).join());
    // The bucket refills at 10/s while the burst is answered (seconds on a loaded machine).
    assert.ok(by(200) >= 1 && by(200) <= 60 + Math.ceil(seconds * 10) + 10, `${by(200)} accepted in ${seconds} s`);
    await until(async () => hub.counts.requested - start.requested >= 2, 10_000, 'the owed pull after the 429s');
    await hub.idle();
    const listings = hub.counts.listings - start.listings;
    const requested = hub.counts.requested - start.requested;
    console.log(`burst: ${by(200)} accepted, ${by(429)} rate limited, ${by(409)} replayed; ${requested} pull requests, ${listings} pull rounds`);
    assert.ok(listings >= 1 && listings <= 3, `expected 1–3 pull rounds, got ${listings}`);
    assert.ok(requested <= 4, `the receiver asked the engine ${requested} times`);
    // A captured notification sent again is refused and pulls nothing.
    await hub.idle();
    const again = await hub.post('/webhooks/google', { headers: burst[0]! });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'WEBHOOK_REPLAYED');
  });

  it('the channel is replaced before it expires: new channel first, old one stopped, changes keep flowing', async () => {
    await hub.idle();
    const old = (await row())!;
    // 50 of 60 minutes later, on both clocks: inside the renewal window (the last quarter).
    const shift = 50 * 60_000;
    emu.control.advanceClock(shift);
    hub.clock.shiftMs = shift;
    assert.deepEqual(await hub.supervisor.sweep(), { replaced: 2 }, 'the calendar-list channel is as old');
    const next = (await row())!;
    assert.notEqual(next.channelId, old.channelId);
    assert.notEqual(next.secretHash, old.secretHash, 'a replacement gets a new token');
    const channels = new Map(emu.control.channels().map((c) => [c.id, c]));
    assert.equal(channels.get(old.channelId!)?.stopped, true);
    assert.equal(channels.get(next.channelId!)?.stopped, false);
    assert.ok(next.expiresAt!.getTime() > old.expiresAt!.getTime());
    insert('after replacement');
    await until(async () => (await titles()).includes('after replacement'), 10_000, 'change after replacement');
    assert.deepEqual(await hub.supervisor.sweep(), {}, 'nothing is due right after');
  });

  it('the channel of a removed calendar is stopped and forgotten', async () => {
    await hub.idle();
    const r = (await row())!;
    await hub.store.db.query('DELETE FROM calendars WHERE id = $1', [hub.calendarId]);
    assert.deepEqual(await hub.supervisor.sweep(), { retired: 1 });
    assert.equal(emu.control.channels().find((c) => c.id === r.channelId)?.stopped, true);
    assert.equal(await row(), null);
  });

  it("the account's calendar list has a channel of its own: a calendar made, renamed and deleted in Google Calendar is read at once", async () => {
    const t = hub.store.tenant(hub.tenantId);
    const list = (await t.channels.get(listChannelKey(hub.accountId)))!;
    assert.deepEqual([list.kind, list.status], ['calendar-list', 'active']);
    const ours = emu.control.channels().find((c) => c.id === list.channelId)!;
    assert.ok(ours.token && list.secretHash === hashSecret(ours.token), 'only the hash is kept');
    const before = hub.counts.calendarLists;
    const named = async (name: string) => (await t.calendars.list()).find((c) => c.name === name);
    const made = emu.control.createCalendar({ ownerEmail: email, summary: 'Made in Google', timeZone: 'UTC' });
    await until(async () => Boolean(await named('Made in Google')), 10_000, 'the new calendar recorded');
    emu.control.renameCalendar(made.id, 'Renamed in Google');
    await until(async () => Boolean(await named('Renamed in Google')), 10_000, 'the new name');
    emu.control.deleteCalendar(made.id);
    await until(async () => (await named('Renamed in Google'))?.missingSince != null, 10_000, 'the calendar marked missing');
    assert.ok(hub.counts.calendarLists - before >= 3, `${hub.counts.calendarLists - before} readings`);
    // A forged notification on it reads nothing.
    const forged = await hub.post('/webhooks/google', { headers: { ...headersOf(ours), 'x-goog-channel-token': 'not-the-token' } });
    assert.equal(forged.statusCode, 403);
  });

  it("a calendar-list reading that fails after its notification is retried by the maintenance tick, not left to the hourly listing", async () => {
    const t = hub.store.tenant(hub.tenantId);
    const named = async (name: string) => (await t.calendars.list()).find((c) => c.name === name);
    const before = hub.counts.calendarLists;
    emu.control.injectFault({ status: 503, reason: 'backendError', pathPrefix: '/calendar/v3/users/me/calendarList', method: 'GET', count: 1_000 });
    emu.control.createCalendar({ ownerEmail: email, summary: 'Made while Google failed', timeZone: 'UTC' });
    await until(async () => hub.counts.calendarLists > before, 10_000, 'the receiver tried to read the list');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await named('Made while Google failed'), undefined, 'the reading failed');
    assert.notEqual((await t.accounts.listRequest(hub.accountId)).requestedAt, null, 'the notification stands as a request');
    emu.control.clearFaults();
    // The tick leaves the receiver 10 s for its own try: step past them.
    await hub.store.db.query(`UPDATE accounts SET calendars_list_requested_at = calendars_list_requested_at - interval '11 seconds', calendars_listed_at = calendars_listed_at - interval '11 seconds' WHERE id = $1`, [hub.accountId]);
    const tick = await refreshDueCalendarLists(hub.hub);
    assert.deepEqual([tick.listed, tick.failed, tick.added], [1, 0, 1]);
    assert.ok(await named('Made while Google failed'), 'recorded by the retry');
    assert.equal((await t.accounts.listRequest(hub.accountId)).requestedAt, null, 'the request is answered');
    assert.equal((await refreshDueCalendarLists(hub.hub)).listed, 0, 'and not read again');
  });
});
