/**
 * Target R2 end to end, for both push providers: with 5% of notifications dropped, a Google
 * channel left to expire, and Graph lifecycle events (missed, subscriptionRemoved,
 * reauthorizationRequired) injected, every change made at the provider still reaches the store —
 * through push where push works, through the backstop (the maintenance tick's poll and the
 * supervisor's sweep) where it does not — and a full reconciliation (a fresh full listing from the
 * provider compared with the store) finds 0 differences.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { CalendarConnector, ConnectorContext, RemoteCalendarRef } from '../../connectors/index.ts';
import { createConnector } from '../../connectors/registry.ts';
import { drain } from '../../connectors/conformance/suite.ts';
import { startGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { contentHash, type CanonicalEvent } from '../../shared/model/index.ts';
import { maintenanceTick } from '../../sync-engine/index.ts';
import { disconnectRedis, startHub, until, type Hub } from '../../webhooks/test-support/hub.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const ctxOf = (accessToken: string): ConnectorContext => ({ credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() });
const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of closers.reverse()) await c().catch(() => {});
  disconnectRedis();
});

/** What the provider side offers the scenario: out-of-band changes by title. */
interface Provider {
  create(title: string, day: number): string;
  rename(id: string, title: string): void;
  remove(id: string): void;
}

/** Store contents as `remoteId|contentHash` lines. */
async function storeView(hub: Hub): Promise<string[]> {
  const rows = await hub.store.tenant(hub.tenantId).events.list(hub.calendarId);
  return rows.map((r) => `${r.remoteId}|${contentHash(r.event)}`).sort();
}

/** A fresh full listing from the provider, as the same lines. */
async function providerView(connector: CalendarConnector, ctx: ConnectorContext, cal: RemoteCalendarRef): Promise<string[]> {
  const replica = new Map<string, { version: string | null; events: CanonicalEvent[] }>();
  await drain(connector, ctx, cal, null, replica);
  return [...replica].flatMap(([id, o]) => o.events.map((e) => `${id}|${contentHash(e)}`)).sort();
}

/** The maintenance tick with its channels step: the backstop poll of calendars not synced lately. */
const tick = (hub: Hub, pollIntervalMs: number) =>
  maintenanceTick({
    store: hub.store, log: createLogger({ level: 'silent' }), requestPull: (t, c) => hub.engine.requestPull(t, c),
    staleRunMs: 600_000, pollIntervalMs, steps: [{ name: 'channels', run: () => hub.supervisor.sweep() }],
  });

/**
 * Seeds 40 events, then makes `rounds` batches of changes (creates, renames, a few deletes — under
 * the mass-delete guard's share) with `between` run after each batch; returns the titles expected.
 */
async function churn(p: Provider, live: Map<string, string>, rounds: number, tag: string, between: () => Promise<void> = async () => {}): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    const ids = [...live.keys()];
    for (let i = 0; i < 3; i++) {
      const title = `${tag} new ${r}.${i}`;
      live.set(p.create(title, (r * 3 + i) % 25), title);
    }
    const renamed = ids[(r * 7) % ids.length]!;
    live.set(renamed, `${tag} renamed ${r}`);
    p.rename(renamed, `${tag} renamed ${r}`);
    if (r % 3 === 2) {
      const gone = ids[(r * 11 + 3) % ids.length]!;
      if (gone !== renamed) {
        live.delete(gone);
        p.remove(gone);
      }
    }
    await between();
  }
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function converge(hub: Hub, live: Map<string, string>, what: string): Promise<void> {
  const want = [...live.values()].sort();
  await until(async () => {
    const titles = (await hub.store.tenant(hub.tenantId).events.list(hub.calendarId)).map((e) => e.event.title).sort();
    return JSON.stringify(titles) === JSON.stringify(want);
  }, 30_000, what);
}

describe('R2: push with drops, expiry and lifecycle events loses no change', () => {
  it('Google: 5% of notifications dropped, the channel expires, the backstop catches up; reconciliation finds 0 differences', { timeout: 180_000 }, async () => {
    const emu = await startGoogleEmulator({ allowHttpPush: true });
    closers.push(() => emu.close());
    const email = 'r2@example.com';
    emu.control.createUser({ email, timeZone: 'UTC' });
    const calId = emu.control.createCalendar({ ownerEmail: email, summary: 'r2', timeZone: 'UTC' }).id;
    // The emulator's clock moves past the access token's hour: a forced refresh gets a fresh one.
    let token = emu.control.issueGrant({ email }).accessToken;
    const ctx: ConnectorContext = { ...ctxOf(token), credentials: { kind: 'oauth', getAccessToken: async (force) => (token = force ? emu.control.issueGrant({ email }).accessToken : token) } };
    const connector = await createConnector('google', { baseUrl: emu.url });
    const hub = await startHub({ provider: 'google', externalId: email, providerCalendarId: calId, connector, ctx, ttlSeconds: 3600 });
    closers.push(() => hub.close());
    const day = (n: number) => `2026-12-${String(1 + n).padStart(2, '0')}`;
    const p: Provider = {
      create: (title, n) => emu.control.insertEvent(calId, { summary: title, start: { dateTime: `${day(n)}T10:00:00Z` }, end: { dateTime: `${day(n)}T11:00:00Z` } }).id,
      rename: (id, title) => void emu.control.patchEvent(calId, id, { summary: title }),
      remove: (id) => emu.control.deleteEvent(calId, id),
    };
    const live = new Map<string, string>();
    for (let i = 0; i < 40; i++) live.set(p.create(`seed ${i}`, i % 25), `seed ${i}`);
    emu.control.dropNotifications(0.05);
    assert.deepEqual(await hub.supervisor.sweep(), { created: 2 }, "the calendar's channel and the account's calendar-list channel");
    await converge(hub, live, 'initial sync');

    // Push with drops: changes in small batches so each one is notified on its own.
    await churn(p, live, 20, 'pushed', () => pause(60));
    await emu.control.flushNotifications();
    const dropped = emu.control.deliveries().filter((d) => d.dropped).length;
    assert.ok(dropped >= 1, `some notifications were dropped (${dropped})`);

    // The channel expires unrenewed (no sweep ran): changes now raise no notification at all.
    emu.control.advanceClock(61 * 60_000);
    hub.clock.shiftMs = 61 * 60_000;
    const sentBefore = emu.control.deliveries().length;
    await churn(p, live, 6, 'unheard');
    await emu.control.flushNotifications();
    assert.equal(emu.control.deliveries().length, sentBefore, 'an expired channel carries nothing');

    // The backstop: the tick polls calendars not synced lately and the supervisor makes a new channel.
    await hub.idle();
    await pause(50);
    const t = await tick(hub, 1);
    assert.equal((t.steps.channels as Record<string, number>).created, 2, 'the expired channels (calendar and calendar list) were replaced');
    await churn(p, live, 6, 'after', () => pause(60));
    await emu.control.flushNotifications();
    await converge(hub, live, 'every change in the store');
    await hub.idle();
    assert.deepEqual(await storeView(hub), await providerView(connector, ctx, { providerCalendarId: calId, timeZone: 'UTC' }), 'reconciliation differences');
  });

  it('Graph: 5% dropped (missed), subscriptionRemoved and reauthorizationRequired injected; reconciliation finds 0 differences', { timeout: 180_000 }, async () => {
    const emu = await startMicrosoftEmulator({ switches: { allowHttpPush: true } });
    closers.push(() => emu.close());
    const user = emu.control.createUser({ email: 'r2@contoso.test', timeZone: 'UTC' });
    const calId = emu.control.createCalendar({ userId: user.id, name: 'r2' }).id;
    const ctx = ctxOf(emu.control.issueToken({ userId: user.id, scopes: ['Calendars.ReadWrite', 'offline_access'] }).accessToken);
    const connector = await createConnector('microsoft', { baseUrl: emu.url });
    const hub = await startHub({ provider: 'microsoft', externalId: user.email, providerCalendarId: calId, connector, ctx });
    closers.push(() => hub.close());
    const at = (n: number, h: number) => ({ dateTime: `2026-12-${String(1 + n).padStart(2, '0')}T${h}:00:00`, timeZone: 'UTC' });
    const p: Provider = {
      create: (title, n) => emu.control.createEvent({ userId: user.id, calendarId: calId, event: { subject: title, start: at(n, 10), end: at(n, 11) } }).immutableId,
      rename: (id, title) => void emu.control.updateEvent({ userId: user.id, id, patch: { subject: title } }),
      remove: (id) => emu.control.deleteEvent({ userId: user.id, id }),
    };
    const live = new Map<string, string>();
    for (let i = 0; i < 40; i++) live.set(p.create(`seed ${i}`, i % 25), `seed ${i}`);
    emu.control.setNotificationSettings({ dropRate: 0.05, dropSeed: 7, retryDelayMs: 50 });
    assert.deepEqual(await hub.supervisor.sweep(), { created: 1 });
    await converge(hub, live, 'initial sync');
    const subId = () => emu.control.subscriptions()[0]?.id;

    await churn(p, live, 20, 'pushed', () => pause(60));
    await emu.control.settle();
    assert.ok(emu.control.droppedNotifications() >= 1, 'some notifications were dropped (each answered by a missed lifecycle event)');

    // Graph removes the subscription: the receiver marks the channel, the supervisor makes a new one.
    const first = subId()!;
    emu.control.sendLifecycle({ subscriptionId: first, event: 'subscriptionRemoved' });
    await churn(p, live, 3, 'removed');
    await emu.control.settle();
    await until(() => subId() !== undefined && subId() !== first, 10_000, 'a new subscription');
    // Graph asks for reauthorization: the supervisor renews in place.
    const patchesBefore = emu.control.requests().filter((r) => r.method === 'PATCH' && r.path.includes('/subscriptions/')).length;
    emu.control.sendLifecycle({ subscriptionId: subId()!, event: 'reauthorizationRequired' });
    await until(() => emu.control.requests().filter((r) => r.method === 'PATCH' && r.path.includes('/subscriptions/')).length > patchesBefore, 10_000, 'a renewal');
    await churn(p, live, 6, 'after', () => pause(60));
    await emu.control.settle();
    await pause(50);
    await tick(hub, 1);
    await converge(hub, live, 'every change in the store');
    await hub.idle();
    assert.deepEqual(await storeView(hub), await providerView(connector, ctx, { providerCalendarId: calId, timeZone: 'UTC' }), 'reconciliation differences');
  });
});
