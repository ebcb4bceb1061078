/** `calhub channels list|renew --tenant`: an unknown tenant is an error, not an empty list. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { openHub, type Hub } from '../index.ts';
import { channelRow, listChannels, queuedStopRow } from './list-channels.ts';

describe('listChannels', () => {
  let store: Store;
  let hub: Hub;
  let tenantId = '';
  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    tenantId = (await store.tenants.create('channels')).tenant.id;
    hub = await openHub({ store, logger: createLogger({ level: 'silent' }) });
  });
  after(async () => {
    await hub?.close();
    await store?.close();
  });

  it('an unknown tenant is NOT_FOUND; a known one without channels is an empty list', async () => {
    await assert.rejects(listChannels(hub, { tenantId: 'ten_nonexist' }), { code: 'NOT_FOUND' });
    assert.deepEqual(await listChannels(hub, { tenantId }), []);
  });

  it('LAG counts only a pull owed: none for an account that is not active', () => {
    const now = new Date('2026-12-06T12:00:00Z');
    const view = {
      calendarId: 'cal_1', kind: 'calendar', tenantId, accountId: 'acc_1', provider: 'google', calendarName: 'c', status: 'active', channelId: 'ch',
      expiresAt: new Date('2026-12-07T00:00:00Z'), lastNotificationAt: new Date('2026-12-06T11:00:00Z'), lastPullAt: new Date('2026-12-06T10:00:00Z'),
      accountStatus: 'active', silentSince: null, failures: 0, lastError: null, createdAt: new Date('2026-12-01T00:00:00Z'), recentChanges: 3,
    };
    assert.equal(channelRow(view, now).lagSeconds, 3600, 'a notification an hour old, not pulled since');
    assert.equal(channelRow({ ...view, lastPullAt: now }, now).lagSeconds, 0);
    for (const accountStatus of ['disabled', 'needs_reauth', null]) assert.equal(channelRow({ ...view, accountStatus }, now).lagSeconds, null, String(accountStatus));
  });

  it('a channel known gone shows no expiry; a suspected one is silent also while its check is due', () => {
    const now = new Date('2026-12-06T12:00:00Z');
    const view = {
      calendarId: 'cal_1', kind: 'events', tenantId, accountId: 'acc_1', provider: 'microsoft', calendarName: 'c', status: 'removed', channelId: 'sub-1',
      expiresAt: new Date('2026-12-13T11:00:00Z'), lastNotificationAt: null, lastPullAt: null,
      accountStatus: 'active', silentSince: null, failures: 0, lastError: null, createdAt: new Date('2026-12-01T00:00:00Z'), recentChanges: 3,
    };
    for (const status of ['removed', 'polling']) {
      const r = channelRow({ ...view, status }, now);
      assert.deepEqual([r.state, r.expiresAt, r.expiresInSeconds], [status, null, null], status);
    }
    assert.equal(channelRow({ ...view, status: 'active' }, now).expiresInSeconds, 7 * 86_400 - 3600);
    assert.equal(channelRow({ ...view, status: 'renew', silentSince: now }, now).state, 'silent');
  });

  it('a lost Google watch without a resource is awaiting-handshake with its drop time, no try due; a stop shows its next try', () => {
    const now = new Date('2026-12-07T07:00:00Z');
    const stop = {
      provider: 'google' as const, channelId: 'ch', resourceId: null, tenantId, accountId: 'acc_1', state: 'stop' as const, secretHash: null, credentials: null, apiBase: null,
      revokeGrant: false, externalId: null, expiresAt: new Date('2026-12-14T07:00:00Z'), nextTryAt: new Date('2026-12-07T06:50:00Z'), tries: 0,
      lastError: 'CONNECTOR_TRANSIENT: google: socket hang up', createdAt: new Date('2026-12-07T06:50:00Z'),
    };
    const waiting = queuedStopRow(stop, now);
    assert.deepEqual([waiting.state, waiting.nextTryAt, waiting.nextTryInSeconds, waiting.dropAt], ['awaiting-handshake', null, null, '2026-12-07T07:50:00.000Z']);
    const real = queuedStopRow({ ...stop, resourceId: 'r1', tries: 2, nextTryAt: new Date('2026-12-07T07:04:00Z') }, now);
    assert.deepEqual([real.state, real.nextTryInSeconds, real.dropAt, real.tries], ['stopping', 240, null, 2]);
  });
});
