/**
 * The renewal schedule follows one lifetime constant per provider (the connector's
 * `push.lifetime`, which names its source), checked against what each emulator grants; and a
 * calendar Graph will not take a per-calendar subscription for is polled, with the reason on its
 * channel row, while the default calendar falls back to `me/events` (provider-facts §E B.6).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ConnectorContext, ConnectorWithPush } from '../connectors/index.ts';
import { createConnector } from '../connectors/registry.ts';
import { GOOGLE_CHANNEL_LIFETIME } from '../connectors/google/index.ts';
import { GRAPH_EVENT_SUBSCRIPTION_LIFETIME } from '../connectors/microsoft/index.ts';
import { GOOGLE_DEFAULT_CHANNEL_TTL_SEC, startGoogleEmulator } from '../emulators/google/index.ts';
import { GRAPH_MAX_EVENT_SUBSCRIPTION_MINUTES, startMicrosoftEmulator, type MicrosoftEmulator } from '../emulators/microsoft/index.ts';
import { disconnectRedis, startHub, until, type Hub } from './test-support/hub.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const ctxOf = (accessToken: string): ConnectorContext => ({ credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() });
const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of closers.reverse()) await c();
  disconnectRedis();
});

/**
 * A new channel's first check lies between a quarter and three quarters of its granted life
 * (renewAt spreads channels created together); a renewed one's a quarter of the life before expiry,
 * minus up to a twentieth.
 */
function assertSchedule(r: { expiresAt: Date | null; nextCheckAt: Date }, lifetimeSeconds: number, grantedAt: number, slackMs: number): void {
  const expires = r.expiresAt!.getTime();
  assert.ok(Math.abs(expires - (grantedAt + lifetimeSeconds * 1000)) <= slackMs, `expires ${new Date(expires).toISOString()} ≈ now + ${lifetimeSeconds} s`);
  const life = expires - grantedAt;
  const next = r.nextCheckAt.getTime();
  assert.ok(next <= grantedAt + (life * 3) / 4 + 5_000 && next >= grantedAt + life / 4 - 5_000, `next check ${r.nextCheckAt.toISOString()} between a quarter and three quarters of the life`);
}

describe('push lifetime: one constant per provider drives what is asked for and when it is renewed', () => {
  it('Google: the connector asks for the documented default ttl, the emulator grants it, the first renewal of the row is spread over the middle half of the life', async () => {
    assert.equal(GOOGLE_CHANNEL_LIFETIME.seconds, GOOGLE_DEFAULT_CHANNEL_TTL_SEC, 'the emulator plays the same documented default');
    assert.match(GOOGLE_CHANNEL_LIFETIME.source, /provider-facts A\.7/);
    const emu = await startGoogleEmulator({ allowHttpPush: true });
    closers.push(() => emu.close());
    const email = 'lifetime@example.com';
    emu.control.createUser({ email, timeZone: 'UTC' });
    const calId = emu.control.createCalendar({ ownerEmail: email, summary: 'lifetime', timeZone: 'UTC' }).id;
    const connector = (await createConnector('google', { baseUrl: emu.url })) as ConnectorWithPush;
    assert.equal(connector.push.lifetime, GOOGLE_CHANNEL_LIFETIME);
    const hub = await startHub({ provider: 'google', externalId: email, providerCalendarId: calId, connector, ctx: ctxOf(emu.control.issueGrant({ email }).accessToken) });
    closers.push(() => hub.close());
    const at = Date.now();
    assert.deepEqual(await hub.supervisor.sweep(), { created: 2 }, "the calendar's channel and the account's calendar-list channel");
    const ch = emu.control.channels().find((c) => c.calendarId !== null);
    assert.ok(Math.abs(ch!.expirationMs - (at + GOOGLE_CHANNEL_LIFETIME.seconds * 1000)) < 10_000);
    assertSchedule((await hub.store.tenant(hub.tenantId).channels.get(hub.calendarId))!, GOOGLE_CHANNEL_LIFETIME.seconds, at, 10_000);
  });

  it('Graph: 10,080 minutes for event subscriptions in connector and emulator; the first renewal of the row is spread over the middle half of the life', async () => {
    assert.equal(GRAPH_EVENT_SUBSCRIPTION_LIFETIME.seconds, GRAPH_MAX_EVENT_SUBSCRIPTION_MINUTES * 60);
    assert.equal(GRAPH_EVENT_SUBSCRIPTION_LIFETIME.seconds, 10_080 * 60);
    assert.match(GRAPH_EVENT_SUBSCRIPTION_LIFETIME.source, /§E B\.6/);
    const g = await graphHub({});
    const at = Date.now();
    assert.deepEqual(await g.hub.supervisor.sweep(), { created: 1 });
    const [sub] = g.emu.control.subscriptions();
    // The connector asks a minute short of the cap (Graph checks against its own clock).
    assertSchedule((await g.row())!, GRAPH_EVENT_SUBSCRIPTION_LIFETIME.seconds - 60, at, 10_000);
    assert.equal(Date.parse(sub!.expirationDateTime), (await g.row())!.expiresAt!.getTime());
  });
});

async function graphHub(o: { defaultCalendar?: boolean; switches?: Parameters<MicrosoftEmulator['control']['setSwitches']>[0] }) {
  const emu = await startMicrosoftEmulator({ switches: { allowHttpPush: true, ...o.switches } });
  closers.push(() => emu.close());
  const user = emu.control.createUser({ email: `lifetime-${Math.random().toString(36).slice(2)}@contoso.test`, timeZone: 'UTC' });
  const calId = o.defaultCalendar ? user.calendarId : emu.control.createCalendar({ userId: user.id, name: 'other' }).id;
  const { accessToken } = emu.control.issueToken({ userId: user.id, scopes: ['Calendars.ReadWrite', 'offline_access'] });
  const hub: Hub = await startHub({ provider: 'microsoft', externalId: user.email, providerCalendarId: calId, connector: await createConnector('microsoft', { baseUrl: emu.url }), ctx: ctxOf(accessToken) });
  closers.push(() => hub.close());
  return { emu, hub, userId: user.id, calId, row: () => hub.store.tenant(hub.tenantId).channels.get(hub.calendarId) };
}

describe('Graph refusing per-calendar subscriptions', () => {
  it('a calendar other than the default is polled, and its channel row says why', async () => {
    const g = await graphHub({ switches: { refuseCalendarSubscriptions: true } });
    assert.deepEqual(await g.hub.supervisor.sweep(), { polling: 1 });
    const r = (await g.row())!;
    assert.equal(r.status, 'polling');
    assert.match(r.lastError ?? '', /CONNECTOR_UNSUPPORTED: Graph refused a per-calendar subscription, so this calendar is polled/);
    assert.equal(g.emu.control.subscriptions().length, 0);
    assert.ok(r.nextCheckAt.getTime() > Date.now() + 23 * 3600_000, 'asked again a day later, not in a retry loop');
    assert.equal(r.failures, 0, 'not counted as a failure');
  });

  it('the default calendar falls back to me/events, and its changes arrive (also when me/events hears only the default calendar)', async () => {
    const g = await graphHub({ defaultCalendar: true, switches: { refuseCalendarSubscriptions: true, meEventsDefaultCalendarOnly: true } });
    assert.deepEqual(await g.hub.supervisor.sweep(), { created: 1 });
    assert.equal(g.emu.control.subscriptions()[0]!.resource, 'me/events');
    assert.equal((await g.row())!.status, 'active');
    await g.hub.idle();
    const before = g.hub.counts.listings;
    g.emu.control.createEvent({ userId: g.userId, calendarId: g.calId, event: { subject: 'via me/events', start: { dateTime: '2026-12-10T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-10T11:00:00', timeZone: 'UTC' } } });
    const titles = async () => (await g.hub.store.tenant(g.hub.tenantId).events.list(g.hub.calendarId)).map((e) => e.event.title);
    await until(async () => (await titles()).includes('via me/events'), 10_000, 'change in the store');
    assert.ok(g.hub.counts.listings > before, 'pulled because of the notification');
  });
});
