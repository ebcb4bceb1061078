/**
 * A channel the provider refused to create for a passing reason (Graph's validation handshake
 * failed, Google would not call the webhook URL) is retried with the supervisor's backoff, not
 * left to polling for a day; `channels renew` tries it now and `status` names it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectorContext } from '../connectors/index.ts';
import { createConnector } from '../connectors/registry.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../emulators/microsoft/index.ts';
import { deploymentStatus, renewChannels, type Hub as AppHub } from '../hub/index.ts';
import { disconnectRedis, startHub, until, type Hub } from './test-support/hub.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const HOUR = 3_600_000;
const ctxOf = (accessToken: string): ConnectorContext => ({ credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() });
/** The application hub as the CLI gets it, with the test's public URL and supervisor. */
const appHub = (h: Hub): AppHub => ({ ...h.hub, config: { ...h.hub.config, publicUrl: h.url }, supervisor: h.supervisor }) as AppHub;

after(() => disconnectRedis());

describe('a failed subscription validation at Graph', () => {
  let emu: MicrosoftEmulator;
  let hub: Hub;
  before(async () => {
    emu = await startMicrosoftEmulator({ switches: { allowHttpPush: true } });
    const userId = emu.control.createUser({ email: 'val@contoso.test', timeZone: 'UTC' }).id;
    const calId = emu.control.createCalendar({ userId, name: 'push' }).id;
    const { accessToken } = emu.control.issueToken({ userId, scopes: ['Calendars.ReadWrite', 'offline_access'] });
    hub = await startHub({ provider: 'microsoft', externalId: 'val@contoso.test', providerCalendarId: calId, connector: await createConnector('microsoft', { baseUrl: emu.url }), ctx: ctxOf(accessToken) });
  });
  after(async () => {
    await hub?.close();
    await emu?.close();
  });
  const row = () => hub.store.tenant(hub.tenantId).channels.get(hub.calendarId);

  it('is retried within the hour, shows in status, and `channels renew <cal>` recreates it', async () => {
    assert.deepEqual(await hub.supervisor.sweep(), { created: 1 });
    const old = (await row())!;
    emu.control.setNotificationSettings({ validationTimeoutMs: 1 });
    try {
      emu.control.sendLifecycle({ subscriptionId: old.channelId!, event: 'subscriptionRemoved' });
      await until(async () => (await row())!.status === 'polling', 10_000, 'the re-create to fail');
    } finally {
      emu.control.setNotificationSettings({ validationTimeoutMs: 10_000 });
    }
    const failed = (await row())!;
    assert.match(failed.lastError ?? '', /validation/i);
    assert.ok(failed.nextCheckAt.getTime() < Date.now() + 2 * HOUR, `retried with the backoff, not a day later (next check ${failed.nextCheckAt.toISOString()})`);
    const report = await deploymentStatus(appHub(hub));
    assert.deepEqual(report.pushFellBack.map((c) => c.calendarId), [hub.calendarId]);
    assert.ok(report.attention.some((a) => /fell back to polling/.test(a)), report.attention.join('\n'));

    const [out] = await renewChannels(appHub(hub), { calendarId: hub.calendarId });
    assert.equal(out?.outcome, 'created');
    assert.equal(out?.after.state, 'active');
    assert.equal(emu.control.subscriptions().length, 1);
    await hub.idle();
  });
});

describe('a webhook URL Google will not call', () => {
  let emu: RunningGoogleEmulator;
  let hub: Hub;
  before(async () => {
    emu = await startGoogleEmulator({ allowHttpPush: true });
    const email = 'refused@example.com';
    emu.control.createUser({ email, timeZone: 'UTC' });
    const calId = emu.control.createCalendar({ ownerEmail: email, summary: 'push', timeZone: 'UTC' }).id;
    const { accessToken } = emu.control.issueGrant({ email });
    hub = await startHub({ provider: 'google', externalId: email, providerCalendarId: calId, connector: await createConnector('google', { baseUrl: emu.url }), ctx: ctxOf(accessToken), ttlSeconds: 3600 });
  });
  after(async () => {
    await hub?.close();
    await emu?.close();
  });
  const row = () => hub.store.tenant(hub.tenantId).channels.get(hub.calendarId);

  it('is retried with the backoff, and `channels renew --expiring-within` picks the polled calendar', async () => {
    emu.control.injectFault({ status: 400, reason: 'push.webhookUrlUnauthorized', pathPrefix: '/calendar/v3/calendars/', method: 'POST', count: 1 });
    assert.deepEqual(await hub.supervisor.connectAccount(hub.tenantId, hub.accountId), { failed: 1, created: 1 }, "the calendar's channel refused, the calendar list's created");
    const failed = (await row())!;
    assert.equal(failed.status, 'polling');
    assert.ok(failed.nextCheckAt.getTime() < Date.now() + 2 * HOUR, `retried with the backoff, not a day later (next check ${failed.nextCheckAt.toISOString()})`);

    // Refused again: the renewal says why, as the row keeps it.
    emu.control.injectFault({ status: 400, reason: 'push.webhookUrlUnauthorized', pathPrefix: '/calendar/v3/calendars/', method: 'POST', count: 1 });
    const [refused] = await renewChannels(appHub(hub), { calendarId: hub.calendarId });
    assert.equal(refused?.outcome, 'failed');
    assert.match(refused?.error ?? '', /^CONNECTOR_UNSUPPORTED: google: /);

    const out = await renewChannels(appHub(hub), { expiringWithinMs: 30 * 24 * HOUR });
    assert.equal(out.find((o) => o.calendarId === hub.calendarId)?.outcome, 'created');
    assert.equal((await row())!.status, 'active');
    await hub.idle();
  });
});
