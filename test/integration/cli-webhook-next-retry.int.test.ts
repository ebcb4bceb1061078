/**
 * `calhub webhooks deliveries` shows a delivery already due as "due now": it showed the time the
 * delivery became due, in the past, as the NEXT RETRY. A delivery backing off shows when it is
 * tried next; --json keeps the timestamps.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { composeWebhooks, Store, webhookDeliveries } from '../../shared/store/index.ts';
import { calhub } from '../support/cli.ts';

const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `t_clinext_${process.pid}_${randomBytes(3).toString('hex')}`;
const databaseUrl = `${PG}?options=${encodeURIComponent(`-c search_path=${SCHEMA},public`)}`;
let store: Store;
let dataDir = '';

before(async () => {
  store = await Store.open({ databaseUrl, schema: SCHEMA });
  await store.migrate();
  dataDir = await mkdtemp(join(tmpdir(), 'calhub-cli-next-retry-'));
});
after(async () => {
  await store?.db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
  await store?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('a due delivery reads "due now"; one backing off, its next time', async () => {
  const tenantId = (await store.tenants.create('next-retry')).tenant.id;
  const t = store.tenant(tenantId);
  const endpointId = (await t.webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' })).id;
  const acc = await t.accounts.upsert({ provider: 'memory', externalId: 'n@example.com' });
  await t.calendars.upsertMany(acc.id, [{ providerCalendarId: 'p', name: 'P', timeZone: 'UTC', color: null, readOnly: false }]);
  // Composed an hour ago and never sent (no worker): both due since then.
  await composeWebhooks(store.db, { now: new Date(Date.now() - 3_600_000) });
  const log = await webhookDeliveries.deliveryLog(store.db, tenantId, endpointId, 10);
  assert.equal(log.length, 2);
  const later = new Date(Date.now() + 2 * 3_600_000);
  const backingOff = log.find((l) => l.type === 'calendar.created')!;
  await webhookDeliveries.markFailed(store.db, endpointId, String(backingOff.seq), new Date(), { status: 503, error: 'HTTP 503', latencyMs: 5 }, later);
  const due = log.find((l) => l.type === 'account.connected')!;

  const env = { CALHUB_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, REDIS_URL: 'redis://127.0.0.1:6379', CALHUB_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`, LOG_LEVEL: 'warn' };
  const r = await calhub(['webhooks', 'deliveries', endpointId, '--tenant', tenantId], env, 120_000);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`${due.messageId}\\s+account\\.connected\\s+pending\\s+0\\s+due now`));
  assert.match(r.stdout, new RegExp(`${backingOff.messageId}\\s+calendar\\.created\\s+pending\\s+1\\s+503\\s+5\\s+${later.toISOString().replace(/\./g, '\\.')}`));
  const json = await calhub(['webhooks', 'deliveries', endpointId, '--tenant', tenantId, '--json'], env, 120_000);
  assert.equal(json.code, 0, json.stderr);
  const rows = JSON.parse(json.stdout) as Array<{ messageId: string; nextAttemptAt: string }>;
  assert.ok(Date.parse(rows.find((x) => x.messageId === due.messageId)!.nextAttemptAt) < Date.now(), '--json keeps the due time');
});
