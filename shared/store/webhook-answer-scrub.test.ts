/**
 * Migration 0071: delivery log rows written before it kept the start of the receiver's answer
 * (`HTTP 500: <text>`), which can carry the receiver's secrets; after it they keep the status only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Store } from './store.ts';
import { composeWebhooks } from './webhook-compose.ts';

describe('migration 0071: stored receiver answers are dropped', () => {
  let store: Store;
  let endpointId: string;

  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate({ upTo: 70 });
    const tenantId = (await store.tenants.create('scrub')).tenant.id;
    endpointId = (await store.tenant(tenantId).webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' })).id;
    const account = await store.tenant(tenantId).accounts.upsert({ provider: 'memory', externalId: 'a@example.com' });
    await store.tenant(tenantId).calendars.upsertMany(account.id, [{ providerCalendarId: 'primary', name: 'Work', timeZone: 'UTC', color: null, readOnly: false }]);
    await composeWebhooks(store.db, { now: new Date() });
  });
  after(async () => store?.close());

  it('keeps the status of an old failed attempt, drops the answer text and a redirect\'s location', async () => {
    const rows = await store.db.query<{ message_seq: string }>('SELECT message_seq FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY message_seq', [endpointId]);
    assert.ok(rows.length >= 2, String(rows.length));
    const set = (i: number, error: string) => store.db.query('UPDATE webhook_deliveries SET last_error = $3 WHERE endpoint_id = $1 AND message_seq = $2', [endpointId, rows[i]!.message_seq, error]);
    await set(0, 'HTTP 500: {"error":"boom","token":"sk_live_SECRET"}\nat line 2');
    await set(1, 'redirect to https://login.example.com/cb?code=SECRET not followed');
    await store.db.query(
      "UPDATE webhook_endpoints SET last_error = 'HTTP 502: password=SECRET', disabled_reason = 'deliveries failed for 3 days since 2026-12-01T00:00:00.000Z; last error: HTTP 500: token=SECRET' WHERE id = $1",
      [endpointId],
    );
    await store.migrate();
    const after = await store.db.query<{ last_error: string }>('SELECT last_error FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY message_seq', [endpointId]);
    assert.deepEqual(after.slice(0, 2).map((r) => r.last_error), ['HTTP 500', 'redirect not followed']);
    const [ep] = await store.db.query<{ last_error: string; disabled_reason: string }>('SELECT last_error, disabled_reason FROM webhook_endpoints WHERE id = $1', [endpointId]);
    assert.deepEqual([ep!.last_error, ep!.disabled_reason], ['HTTP 502', 'deliveries failed for 3 days since 2026-12-01T00:00:00.000Z; last error: HTTP 500']);
  });
});
