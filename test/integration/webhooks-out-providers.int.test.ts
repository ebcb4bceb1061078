/**
 * Changes made at the provider — on a real Radicale and on the Google and Microsoft emulators —
 * reach a tenant's receiver (its own process, verifying every signature with `standardwebhooks`)
 * as the right event types with the canonical event and its calendar and account ids; a mirror
 * copy is marked as calhub's own write; forged, unsigned and stale requests are refused.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { makeConnect } from '../../hub/connect.ts';
import { createCaldavConnector } from '../../connectors/caldav/index.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import type { Config } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { settle, type EngineDeps } from '../../sync-engine/index.ts';
import { createWebhookEndpoint, WebhookDispatcher } from '../../hub/index.ts';
import { davContext } from '../support/caldav-harness.ts';
import { deleteResource, putEvent } from '../support/dav-content.ts';
import { makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { openHub, type HubSetup } from '../support/hub-store.ts';
import { startReceiver, type Received, type Receiver } from '../support/webhook-receiver.ts';

const log = createLogger({ level: 'silent' });
let receiver: Receiver;
let redis: Redis;
const secrets: string[] = [];
const dispatchers: WebhookDispatcher[] = [];

/** An endpoint at the receiver for this tenant, and a delivery worker on this store. */
async function subscribe(store: Store, tenantId: string): Promise<string> {
  const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
  const ep = await createWebhookEndpoint({ store, keyring, allowPrivateNetworks: true }, tenantId, { url: receiver.url, events: ['*'] });
  secrets.push(ep.secret);
  await receiver.control({ secrets });
  const d = new WebhookDispatcher({ connection: redis, store, keyring, log, allowPrivateNetworks: true, prefix: `t-whp-${randomBytes(4).toString('hex')}`, composeIntervalMs: 50, sweepIntervalMs: 500 });
  d.startWorker();
  dispatchers.push(d);
  return ep.id;
}

/** The next message for `calendarId` of `type` about event UID `uid` (or any subject when uid is null). */
async function expectMessage(type: string, calendarId: string, uid: string | null): Promise<Received> {
  const match = (a: Received) => a.type === type && a.payload.data.calendarId === calendarId && (uid === null || a.payload.data.event?.uid === uid || a.payload.data.uid === uid);
  const got = await receiver.waitFor((all) => all.some(match), 20_000, `${type} for ${uid ?? calendarId}`);
  return got.find(match)!;
}

before(async () => {
  receiver = await startReceiver();
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
});
after(async () => {
  for (const d of dispatchers) await d.close();
  redis?.disconnect();
  await receiver?.close();
});

describe('outbound webhooks from Radicale', () => {
  let server: DavServer;
  let store: Store;
  let deps: EngineDeps;
  let tenantId = '';
  let accountId = '';
  const cal = { a: '', b: '' };
  const url = { a: '', b: '' };

  before(async () => {
    server = await startRadicale();
    url.a = await makeCalendar(server, 'A');
    url.b = await makeCalendar(server, 'B');
    store = await Store.open({ dataDir: null });
    await store.migrate();
    tenantId = (await store.tenants.create('wh-radicale')).tenant.id;
    await subscribe(store, tenantId);
    const t = store.tenant(tenantId);
    const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
    const account = await t.accounts.upsert({
      provider: 'caldav', externalId: `${server.username}@radicale`,
      credentials: keyring.encrypt(JSON.stringify({ username: server.username, password: server.password })), config: { serverUrl: server.url },
    });
    accountId = account.id;
    const remote = (await createCaldavConnector({ serverUrl: server.url, allowPrivateNetworks: true }).listCalendars(davContext(server))).filter((c) => c.supportsEvents);
    const cals = await t.calendars.upsertMany(account.id, remote.map((c) => ({ providerCalendarId: c.providerCalendarId, name: c.name, timeZone: c.timeZone, color: c.color, readOnly: c.readOnly })));
    cal.a = cals.find((c) => c.name === 'A')!.id;
    cal.b = cals.find((c) => c.name === 'B')!.id;
    deps = { store, log, connect: makeConnect({ store, keyring, config: { caldavAllowPrivateNetworks: true } as Config, log }) };
  });
  after(async () => {
    await store?.close();
    await server?.stop();
  });

  it('connecting the account and finding its calendars: account.connected, calendar.created', async () => {
    await receiver.waitFor((all) => all.some((a) => a.type === 'account.connected' && a.payload.data.accountId === accountId), 20_000, 'account.connected');
    const created = await expectMessage('calendar.created', cal.a, null);
    assert.equal(created.payload.data.accountId, accountId);
  });

  it('an event created, changed and deleted on the server: event.created, event.updated, event.deleted', async () => {
    const e = { uid: 'wh-r1', summary: 'Planning', start: 'DTSTART:20261210T090000Z', end: 'DTEND:20261210T100000Z' };
    const href = await putEvent(server, url.a, e);
    await settle(deps, tenantId, [cal.a, cal.b]);
    const created = await expectMessage('event.created', cal.a, 'wh-r1');
    assert.equal(created.payload.data.accountId, accountId);
    assert.equal(created.payload.data.event.title, 'Planning');
    assert.equal(created.payload.data.writtenByCalhub, false);
    assert.match(created.payload.data.eventId, /^evt_/);
    await putEvent(server, url.a, { ...e, summary: 'Planning (moved)', start: 'DTSTART:20261210T130000Z', end: 'DTEND:20261210T140000Z' });
    await settle(deps, tenantId, [cal.a, cal.b]);
    const updated = await expectMessage('event.updated', cal.a, 'wh-r1');
    assert.equal(updated.payload.data.event.title, 'Planning (moved)');
    assert.equal(updated.payload.data.eventId, created.payload.data.eventId);
    await deleteResource(server, href);
    await settle(deps, tenantId, [cal.a, cal.b]);
    const deleted = await expectMessage('event.deleted', cal.a, 'wh-r1');
    assert.equal(deleted.payload.data.eventId, created.payload.data.eventId);
  });

  let seriesHref = '';
  it('a recurring series: one message with the master and the instances that changed', async () => {
    seriesHref = await putEvent(server, url.a, {
      uid: 'wh-series', summary: 'Standup', start: 'DTSTART:20261214T090000Z', end: 'DTEND:20261214T091500Z', extra: ['RRULE:FREQ=DAILY;COUNT=5'],
      overrides: [['RECURRENCE-ID:20261215T090000Z', 'DTSTART:20261215T100000Z', 'DTEND:20261215T101500Z', 'SUMMARY:Standup (late)']],
    });
    await settle(deps, tenantId, [cal.a, cal.b]);
    const m = await expectMessage('event.created', cal.a, 'wh-series');
    assert.equal(m.payload.data.series.masterId, m.payload.data.eventId);
    assert.deepEqual(m.payload.data.series.instances.map((i: { change: string; event: { title: string } }) => [i.change, i.event.title]), [['created', 'Standup (late)']]);
  });

  it('a series deleted on the server: one event.deleted naming the override it took along', async () => {
    const created = await expectMessage('event.created', cal.a, 'wh-series');
    await deleteResource(server, seriesHref);
    await settle(deps, tenantId, [cal.a, cal.b]);
    const m = await expectMessage('event.deleted', cal.a, 'wh-series');
    assert.equal(m.payload.data.eventId, created.payload.data.eventId);
    assert.deepEqual(m.payload.data.series.instances.map((i: { change: string; eventId: string }) => [i.change, i.eventId]), created.payload.data.series.instances.map((i: { eventId: string }) => ['deleted', i.eventId]));
  });

  it("a mirror copy calhub writes is marked writtenByCalhub; the source change is not", async () => {
    await store.tenant(tenantId).mirror.create(cal.a, cal.b, { mode: 'busy-block', twoWay: false });
    await putEvent(server, url.a, { uid: 'wh-r2', summary: 'Client call', start: 'DTSTART:20261211T090000Z', end: 'DTEND:20261211T100000Z' });
    await settle(deps, tenantId, [cal.a, cal.b]);
    const source = await expectMessage('event.created', cal.a, 'wh-r2');
    assert.equal(source.payload.data.writtenByCalhub, false);
    const copy = await receiver.waitFor((all) => all.some((a) => a.type === 'event.created' && a.payload.data.calendarId === cal.b && a.payload.data.event?.title === 'Busy'), 20_000, 'the busy copy');
    const onB = copy.filter((a) => a.payload.data.calendarId === cal.b && a.type.startsWith('event.'));
    assert.ok(onB.every((a) => a.payload.data.writtenByCalhub === true), JSON.stringify(onB.map((a) => [a.type, a.payload.data.writtenByCalhub, a.payload.data.event?.title, a.payload.data.event?.provenance, a.payload.data.series])));
  });
});

describe('outbound webhooks from the Google emulator', () => {
  const EMAIL = 'ada.webhooks@example.com';
  let emu: RunningGoogleEmulator;
  let h: HubSetup;
  let calId = '';

  before(async () => {
    emu = await startGoogleEmulator();
    emu.control.createUser({ email: EMAIL, timeZone: 'Europe/Berlin' });
    const grant = emu.control.issueGrant({ email: EMAIL, clientId: 'wh' });
    h = await openHub({ provider: 'google', externalId: EMAIL, baseUrl: emu.url, tokens: { accessToken: grant.accessToken, refreshToken: grant.refreshToken, expiresAt: Date.now() + 3_600_000}, clientId: 'wh' });
    calId = h.calendars.get(EMAIL)!;
    await subscribe(h.store, h.tenantId);
    await settle(h.deps, h.tenantId, [calId]);
  });
  after(async () => {
    await h?.store.close();
    await emu?.close();
  });

  it('created, updated and deleted in Google arrive as event.created, event.updated, event.deleted', async () => {
    const id = emu.control.insertEvent(EMAIL, { summary: 'g-review', start: { dateTime: '2026-12-10T10:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-12-10T11:00:00', timeZone: 'Europe/Berlin' } }).id;
    await settle(h.deps, h.tenantId, [calId]);
    const created = await receiver.waitFor((all) => all.some((a) => a.type === 'event.created' && a.payload.data.event?.title === 'g-review'), 20_000, 'google event.created');
    const c = created.find((a) => a.payload.data.event?.title === 'g-review')!;
    assert.equal(c.payload.data.calendarId, calId);
    assert.equal(c.payload.data.accountId, h.accountId);
    emu.control.patchEvent(EMAIL, id, { summary: 'g-review (renamed)' });
    await settle(h.deps, h.tenantId, [calId]);
    await receiver.waitFor((all) => all.some((a) => a.type === 'event.updated' && a.payload.data.event?.title === 'g-review (renamed)'), 20_000, 'google event.updated');
    emu.control.deleteEvent(EMAIL, id);
    await settle(h.deps, h.tenantId, [calId]);
    await receiver.waitFor((all) => all.some((a) => a.type === 'event.deleted' && a.payload.data.eventId === c.payload.data.eventId), 20_000, 'google event.deleted');
  });

  it('a series with an edited instance deleted in Google: one event.deleted naming the exception', async () => {
    const t = (local: string) => ({ dateTime: local, timeZone: 'Europe/Berlin' });
    const id = emu.control.insertEvent(EMAIL, { summary: 'g-standup', start: t('2026-12-14T09:00:00'), end: t('2026-12-14T09:15:00'), recurrence: ['RRULE:FREQ=DAILY;COUNT=5'] }).id;
    emu.control.patchEvent(EMAIL, `${id}_20261215T080000Z`, { summary: 'g-standup (late)' });
    await settle(h.deps, h.tenantId, [calId]);
    const isCreated = (a: Received) => a.type === 'event.created' && a.payload.data.event?.title === 'g-standup';
    const created = (await receiver.waitFor((all) => all.some(isCreated), 20_000, 'google series event.created')).find(isCreated)!;
    const exceptions = created.payload.data.series.instances.map((i: { eventId: string }) => i.eventId);
    assert.equal(exceptions.length, 1, 'the edited instance arrives with its series');
    emu.control.deleteEvent(EMAIL, id);
    await settle(h.deps, h.tenantId, [calId]);
    const isDeleted = (a: Received) => a.type === 'event.deleted' && a.payload.data.eventId === created.payload.data.eventId;
    const deleted = (await receiver.waitFor((all) => all.some(isDeleted), 20_000, 'google series event.deleted')).filter(isDeleted);
    assert.equal(deleted.length, 1);
    assert.deepEqual(deleted[0]!.payload.data.series.instances.map((i: { change: string; eventId: string }) => [i.change, i.eventId]), exceptions.map((e: string) => ['deleted', e]));
    const orphan = (await receiver.waitFor(() => true, 1_000, '')).filter((a) => a.type.startsWith('event.') && exceptions.includes(a.payload.data.eventId) && a.payload.data.eventId !== created.payload.data.eventId);
    assert.deepEqual(orphan.map((a) => a.type), [], 'no message of its own for the exception');
  });
});

describe('outbound webhooks from the Microsoft emulator', () => {
  const EMAIL = 'megan.webhooks@example.com';
  let emu: MicrosoftEmulator;
  let h: HubSetup;
  let calId = '';
  let userId = '';
  let providerCal = '';

  before(async () => {
    emu = await startMicrosoftEmulator();
    const user = emu.control.createUser({ email: EMAIL, displayName: 'Megan', timeZone: 'Europe/Berlin' });
    userId = user.id;
    providerCal = user.calendarId;
    const tokens = emu.control.issueToken({ userId, clientId: 'wh' });
    h = await openHub({ provider: 'microsoft', externalId: EMAIL, baseUrl: emu.url, tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + 3_600_000}, clientId: 'wh' });
    calId = h.calendars.get(providerCal)!;
    await subscribe(h.store, h.tenantId);
    await settle(h.deps, h.tenantId, [calId]);
  });
  after(async () => {
    await h?.store.close();
    await emu?.close();
  });

  it('created, updated and deleted in Graph arrive as event.created, event.updated, event.deleted', async () => {
    const t = (local: string) => ({ dateTime: local, timeZone: 'W. Europe Standard Time' });
    const id = emu.control.createEvent({ userId, calendarId: providerCal, event: { subject: 'm-review', start: t('2026-12-10T10:00:00'), end: t('2026-12-10T11:00:00') } as never }).immutableId;
    await settle(h.deps, h.tenantId, [calId]);
    const created = await receiver.waitFor((all) => all.some((a) => a.type === 'event.created' && a.payload.data.event?.title === 'm-review'), 20_000, 'graph event.created');
    const c = created.find((a) => a.payload.data.event?.title === 'm-review')!;
    assert.equal(c.payload.data.calendarId, calId);
    assert.equal(c.payload.data.accountId, h.accountId);
    emu.control.updateEvent({ userId, id, patch: { subject: 'm-review (renamed)' } });
    await settle(h.deps, h.tenantId, [calId]);
    await receiver.waitFor((all) => all.some((a) => a.type === 'event.updated' && a.payload.data.event?.title === 'm-review (renamed)'), 20_000, 'graph event.updated');
    emu.control.deleteEvent({ userId, id });
    await settle(h.deps, h.tenantId, [calId]);
    await receiver.waitFor((all) => all.some((a) => a.type === 'event.deleted' && a.payload.data.eventId === c.payload.data.eventId), 20_000, 'graph event.deleted');
  });
});

describe('the receiver refuses what calhub did not sign', () => {
  it('a forged signature, a missing one and a stale timestamp are refused; nothing of them is accepted', async () => {
    const before = await receiver.state();
    const body = JSON.stringify({ id: 'msg_forged', type: 'event.deleted', timestamp: new Date().toISOString(), data: {} });
    const post = (headers: Record<string, string>) => fetch(receiver.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const sign = (secret: string, at: Date) => ({ 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign('msg_forged', at, body) });
    const forged = await post(sign(`whsec_${randomBytes(24).toString('base64')}`, new Date()));
    assert.equal(forged.status, 401);
    const unsigned = await post({ 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) });
    assert.equal(unsigned.status, 401);
    // The right secret, but signed ten minutes ago: a replayed capture.
    const stale = await post(sign(secrets[0]!, new Date(Date.now() - 10 * 60_000)));
    assert.equal(stale.status, 401);
    // Tampered body under a valid signature.
    const good = sign(secrets[0]!, new Date());
    const tampered = await fetch(receiver.url, { method: 'POST', headers: { 'content-type': 'application/json', ...good }, body: body.replace('event.deleted', 'event.created') });
    assert.equal(tampered.status, 401);
    const after = await receiver.state();
    assert.equal(after.refused - before.refused, 4);
    assert.ok(!after.accepted.some((a) => a.id === 'msg_forged'));
  });

  it('every webhook calhub sent verified: nothing refused apart from the forgeries', async () => {
    const s = await receiver.state();
    assert.equal(s.refused, 4);
    assert.ok(s.accepted.length >= 10);
  });
});
