/**
 * The calendar memo of `calhub serve` on PostgreSQL: the writer is another hub with no channel to
 * the memo's, as a `calhub worker` or a CLI command in another process is; its writes reach the
 * memo only through LISTEN/NOTIFY (shared/store/change-bus.ts). And a hub with no memo that hears
 * changes (`resync --wait` beside a worker) is woken by them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { loadConfig, type Config } from '../shared/config/index.ts';
import { createLogger } from '../shared/logger.ts';
import { MEMO_NEVER_RECHECKS, runCalendarMemoContract } from './calendar-memo.contract.ts';
import { openHub, type Hub } from './open-hub.ts';

const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const logger = createLogger({ level: 'silent' });

/** A configuration on a schema of its own; dispose drops it. */
async function pgConfig(): Promise<{ config: Config; dispose: () => Promise<void> }> {
  const schema = `t_memo_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const dir = await mkdtemp(join(tmpdir(), 'calhub-memo-pg-'));
  const config = loadConfig({
    ...process.env,
    CALHUB_DATA_DIR: dir,
    CALHUB_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    DATABASE_URL: `${PG}?options=${encodeURIComponent(`-c search_path=${schema},public`)}`,
    REDIS_URL: '',
  });
  return {
    config,
    dispose: async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

runCalendarMemoContract('free/busy calendar memo of calhub serve, told of another process\'s writes on PostgreSQL', async () => {
  const { config, dispose } = await pgConfig();
  const api = await openHub({ config, logger, changes: { memo: MEMO_NEVER_RECHECKS } });
  const sync = await openHub({ config, logger });
  return { api, sync, dispose };
});

describe('a hub without a memo that hears changes on PostgreSQL', () => {
  let waiter: Hub;
  let writer: Hub;
  let dispose = async () => {};
  before(async () => {
    const opened = await pgConfig();
    dispose = opened.dispose;
    waiter = await openHub({ config: opened.config, logger, hearChanges: true });
    writer = await openHub({ config: opened.config, logger });
  });
  after(async () => {
    await waiter?.close();
    await writer?.close();
    await dispose();
  });

  it('is woken by another process\'s write to the tenant; a hub that does not hear has no feed', async () => {
    assert.equal(writer.changes, null, 'a hub that neither keeps a memo nor hears changes has no feed');
    const tenantId = (await writer.store.tenants.create('waits')).tenant.id;
    const woke = waiter.changes!.next((c) => c.scope !== 'all' && c.tenantId === tenantId, 3000);
    const started = performance.now();
    await writer.store.tenant(tenantId).accounts.upsert({ provider: 'memory', externalId: 'w@example.com', credentials: 'x' });
    assert.equal(await woke, true, 'the wait was woken, not timed out');
    assert.ok(performance.now() - started < 1000, `woken ${Math.round(performance.now() - started)} ms after the write`);
  });
});

describe('the threads of one calhub start on PostgreSQL', () => {
  let api: Hub;
  let sync: Hub;
  let other: Hub;
  let dispose = async () => {};
  before(async () => {
    const opened = await pgConfig();
    dispose = opened.dispose;
    const channel = `calhub-memo-pg-test-${randomBytes(4).toString('hex')}`;
    api = await openHub({ config: opened.config, logger, changes: { channel, memo: MEMO_NEVER_RECHECKS } });
    sync = await openHub({ config: opened.config, logger, changes: { channel } });
    other = await openHub({ config: opened.config, logger });
  });
  after(async () => {
    for (const h of [other, sync, api]) await h?.close();
    await dispose();
  });

  it('hear each other\'s writes once (over their channel, not by NOTIFY too); another process\'s by NOTIFY', async () => {
    const settle = () => new Promise((r) => setTimeout(r, 300));
    const tenantId = (await sync.store.tenants.create('threads')).tenant.id;
    await settle();
    const before = api.calendarMemo!.changes;
    await sync.store.tenant(tenantId).accounts.upsert({ provider: 'memory', externalId: 'a@example.com', credentials: 'x' });
    await settle();
    assert.equal(api.calendarMemo!.changes - before, 1, 'the sync thread\'s write was heard once');
    await other.store.tenant(tenantId).accounts.upsert({ provider: 'memory', externalId: 'b@example.com', credentials: 'x' });
    await settle();
    assert.equal(api.calendarMemo!.changes - before, 2, 'another process\'s write was heard too');
  });
});
