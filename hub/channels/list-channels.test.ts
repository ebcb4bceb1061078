/** `calhub channels list|renew --tenant`: an unknown tenant is an error, not an empty list. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { openHub, type Hub } from '../index.ts';
import { listChannels } from './list-channels.ts';

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
});
