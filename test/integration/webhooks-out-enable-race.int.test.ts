/**
 * Enabling an endpoint while a compose is under way: the compose's statement saw the endpoint
 * disabled (no delivery made), and its messages were not committed yet when the backfill of
 * `PATCH {"enabled": true}` (owedSince) read the messages owed. Neither made the delivery: the
 * message was lost to the endpoint (in the outbox's messages, absent from its delivery log).
 * The backfill now waits for the composer's lock, so it reads what that compose committed.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { Store, webhookDeliveries as wd } from '../../shared/store/index.ts';

const DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('outbound webhooks: enabling races a compose', () => {
  const schema = `t_whenable_${process.pid}_${randomBytes(3).toString('hex')}`;
  let store: Store;
  let composer: pg.Client;
  let tenantId: string;

  before(async () => {
    store = await Store.open({ databaseUrl: DB, schema });
    await store.migrate();
    tenantId = (await store.tenants.create('enable-race')).tenant.id;
    composer = new pg.Client({ connectionString: DB });
    await composer.connect();
    await composer.query(`SET search_path TO ${schema}`);
  });
  after(async () => {
    await composer?.end();
    await store?.close();
    const c = new pg.Client({ connectionString: DB });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  it('a message composed while the endpoint was disabled and committed after it was enabled is owed to it once', async () => {
    const webhooks = store.tenant(tenantId).webhooks;
    const e = await webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
    const disabled = await webhooks.update(e.id, { status: 'disabled' });
    // A compose (webhook-compose.ts) under its lock: its insert saw the endpoint disabled, so it made no delivery for it; not committed yet.
    await composer.query('BEGIN');
    await composer.query(`SELECT pg_advisory_xact_lock(hashtext('calhub-webhook-compose'))`);
    const [m] = (
      await composer.query<{ seq: string }>(
        `INSERT INTO webhook_messages (id, tenant_id, type, stream, payload, created_at) VALUES ($1, $2, 'event.created', 'cal_x', '{}'::jsonb, clock_timestamp()) RETURNING seq`,
        [`msg_${randomBytes(6).toString('hex')}`, tenantId],
      )
    ).rows;
    // Meanwhile the tenant enables it: the status, then the backfill of what it is owed (hub/webhooks-out/endpoints.ts).
    await webhooks.update(e.id, { status: 'active' });
    const owed = wd.owedSince(store.db, tenantId, e.id, new Date(disabled!.disabledAt!), new Date());
    await sleep(300);
    await composer.query('COMMIT');
    await owed;
    const rows = await store.db.query<{ message_seq: string }>('SELECT message_seq::text FROM webhook_deliveries WHERE endpoint_id = $1', [e.id]);
    assert.deepEqual(rows.map((r) => r.message_seq), [String(m!.seq)]);
  });
});
