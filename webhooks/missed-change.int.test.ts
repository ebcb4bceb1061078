/**
 * The missed-change check (hub/channels/channel-silence.ts, channel-activity.ts markMissedChanges)
 * against the Google and Graph emulators: a channel is suspected only when a pull stored a change
 * made at the provider that no notification announced. It read events.updated_at before, which the
 * hub also rewrites without any provider change (here: an access change's scrub of the details),
 * and a healthy channel was suspected; a change whose notification was really lost is still found.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectorContext, ConnectorWithPush } from '../connectors/index.ts';
import { createConnector } from '../connectors/registry.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../emulators/microsoft/index.ts';
import { checkSilentChannels } from '../hub/index.ts';
import { channelRow } from '../hub/channels/list-channels.ts';
import { listChannelViews } from '../shared/store/index.ts';
import { disconnectRedis, startHub, until, type Hub } from './test-support/hub.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const MINUTE = 60_000;

/** What each provider's emulator is driven by in these tests. */
interface Side {
  start(): Promise<{ hub: Hub; connector: ConnectorWithPush; ctx: ConnectorContext }>;
  /** A change made at the provider (a user in Google Calendar or Outlook). */
  change(title: string): void;
  /** From now on the channel announces nothing, as a lost channel does. */
  goQuiet(hub: Hub, connector: ConnectorWithPush, ctx: ConnectorContext): Promise<void>;
  /** What the supervisor's check of the suspected channel does: Google's is a replacement (no read of a channel), Graph's a GET that finds it gone. */
  checked: string;
  close(): Promise<void>;
}

function google(): Side {
  let emu: RunningGoogleEmulator;
  let calId = '';
  return {
    async start() {
      emu = await startGoogleEmulator({ allowHttpPush: true });
      emu.control.createUser({ email: 'quiet@example.com', timeZone: 'UTC' });
      calId = emu.control.createCalendar({ ownerEmail: 'quiet@example.com', summary: 'missed', timeZone: 'UTC' }).id;
      const { accessToken } = emu.control.issueGrant({ email: 'quiet@example.com' });
      const ctx: ConnectorContext = { credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
      const connector = (await createConnector('google', { baseUrl: emu.url })) as ConnectorWithPush;
      return { hub: await startHub({ provider: 'google', externalId: 'quiet@example.com', providerCalendarId: calId, connector, ctx, ttlSeconds: 3600 }), connector, ctx };
    },
    change: (title) => void emu.control.insertEvent(calId, { summary: title, start: { dateTime: '2026-12-10T10:00:00Z' }, end: { dateTime: '2026-12-10T11:00:00Z' } }),
    // The emulator's fault: every `exists` message dropped (Google never sends them again).
    goQuiet: async () => emu.control.dropNotifications(1),
    checked: 'replaced',
    close: async () => emu?.close(),
  };
}

function graph(): Side {
  let emu: MicrosoftEmulator;
  let userId = '';
  let calId = '';
  return {
    async start() {
      emu = await startMicrosoftEmulator({ switches: { allowHttpPush: true } });
      userId = emu.control.createUser({ email: 'quiet@contoso.test', timeZone: 'UTC' }).id;
      calId = emu.control.createCalendar({ userId, name: 'missed' }).id;
      const { accessToken } = emu.control.issueToken({ userId, scopes: ['Calendars.ReadWrite', 'offline_access'] });
      const ctx: ConnectorContext = { credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
      const connector = (await createConnector('microsoft', { baseUrl: emu.url })) as ConnectorWithPush;
      return { hub: await startHub({ provider: 'microsoft', externalId: 'quiet@contoso.test', providerCalendarId: calId, connector, ctx }), connector, ctx };
    },
    change: (title) => void emu.control.createEvent({ userId, calendarId: calId, event: { subject: title, start: { dateTime: '2026-12-10T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-10T11:00:00', timeZone: 'UTC' } } }),
    // Graph's dropRate fault sends a `missed` lifecycle notice, which is news from the channel: a
    // subscription deleted at Graph without notice (an admin, a tenant-wide cleanup) says nothing.
    async goQuiet(hub, connector, ctx) {
      const r = (await hub.store.tenant(hub.tenantId).channels.get(hub.calendarId))!;
      await connector.push.unsubscribe(ctx, { id: r.channelId!, resourceId: null, secret: '', expiresAt: r.expiresAt!.toISOString() });
    },
    checked: 'created',
    close: async () => emu?.close(),
  };
}

// One Redis connection for both providers' hubs: closed after the last.
after(() => disconnectRedis());

for (const [name, side] of [['google', google()], ['microsoft', graph()]] as const) {
  describe(`${name}: a missed change suspects a push channel, a hub-side rewrite does not`, () => {
    let hub: Hub;
    let connector: ConnectorWithPush;
    let ctx: ConnectorContext;
    before(async () => {
      ({ hub, connector, ctx } = await side.start());
      await hub.supervisor.sweep();
      assert.equal((await row())!.status, 'active');
      await hub.idle();
    });
    after(async () => {
      await hub?.close();
      await side.close();
    });

    const row = () => hub.store.tenant(hub.tenantId).channels.get(hub.calendarId);
    const titles = async () => (await hub.store.tenant(hub.tenantId).events.list(hub.calendarId)).map((e) => e.event.title);
    const state = async () => channelRow((await listChannelViews(hub.store.db, hub.tenantId)).find((v) => v.calendarId === hub.calendarId)!, new Date()).state;
    const check = (shiftMs: number) => checkSilentChannels({ store: hub.store, requestPull: async () => {}, log: quiet as never, metrics: hub.metrics, now: () => new Date(Date.now() + shiftMs) });
    /** Everything so far happened ten minutes ago: the channel's last notification and save, the rows and the change they stored. */
    const age = async (what: { stored: boolean }) => {
      await hub.store.db.query(`UPDATE push_channels SET last_notification_at = last_notification_at - interval '10 minutes', updated_at = updated_at - interval '10 minutes' WHERE calendar_id = $1`, [hub.calendarId]);
      if (!what.stored) return;
      await hub.store.db.query(`UPDATE events SET updated_at = updated_at - interval '10 minutes' WHERE calendar_id = $1`, [hub.calendarId]);
      await hub.store.db.query(`UPDATE calendars SET provider_changed_at = provider_changed_at - interval '10 minutes' WHERE id = $1`, [hub.calendarId]);
    };

    it('(a) the hub rewriting the event rows (an access change scrubbing details) and a poll finding nothing new: no suspicion', async () => {
      side.change('announced');
      await until(async () => (await titles()).includes('announced'), 15_000, 'the notified change in the store');
      await hub.idle();
      assert.ok((await listChannelViews(hub.store.db, hub.tenantId)).find((v) => v.calendarId === hub.calendarId)?.lastNotificationAt, 'the change was announced');
      await age({ stored: true });
      // The account reconnected with freebusy access: every row of its calendars rewritten, no provider change.
      const t = hub.store.tenant(hub.tenantId);
      assert.ok((await t.transaction((tx) => tx.accessChange.scrubDetails(hub.accountId))) > 0, 'rows rewritten');
      // The poll (SYNC_POLL_INTERVAL_MS) finds no change at the provider.
      await hub.engine.requestPull(hub.tenantId, hub.calendarId);
      await hub.idle();
      assert.equal(await check(0), 0);
      assert.equal(await check(3 * MINUTE), 0, 'past the grace: still nothing the channel missed');
      assert.equal(await state(), 'active');
    });

    it('(b) a change the channel never announced, found by the poll: suspected once past the grace, then checked and replaced', async () => {
      await hub.idle();
      const old = (await row())!;
      await side.goQuiet(hub, connector, ctx);
      const asked = hub.counts.requested;
      side.change('unannounced');
      await hub.engine.requestPull(hub.tenantId, hub.calendarId);
      await until(async () => (await titles()).includes('unannounced'), 15_000, 'the poll brings the change');
      await hub.idle();
      assert.equal(hub.counts.requested, asked, 'no notification asked for a pull');
      // The last notification came ten minutes before this change (the change itself is now).
      await age({ stored: false });
      assert.equal(await check(0), 0, 'within the grace a notification may still come');
      assert.equal(await state(), 'active');
      hub.clock.shiftMs = 3 * MINUTE;
      assert.equal(await check(3 * MINUTE), 1);
      assert.equal(await state(), 'silent', 'shown silent while it is checked');
      assert.equal(await check(3 * MINUTE), 0, 'suspected once');
      assert.equal(await hub.supervisor.checkCalendar(hub.tenantId, hub.calendarId), side.checked);
      hub.clock.shiftMs = 0;
      const next = (await row())!;
      assert.notEqual(next.channelId, old.channelId, 'a new channel');
      assert.equal(await state(), 'active', 'the new channel is not silent');
    });
  });
}
