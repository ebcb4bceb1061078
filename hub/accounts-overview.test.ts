/**
 * `calhub accounts list` at scale: a tenant's accounts are read with their calendars and health at
 * once, not seven queries per account (1,235 accounts took 10.6 s); --provider and
 * --needs-attention narrow the rows. Counts queries, never times them.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { listedAccount } from '../shared/test-support.ts';
import { memoryEnv, type MemoryEnv } from '../sync-engine/test-support/memory-env.ts';
import { accountsOverview, openHub } from './index.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

/** `n` more accounts of one calendar each; every third needs reauth. */
export async function manyAccounts(e: MemoryEnv, n: number): Promise<void> {
  const t = e.store.tenant(e.tenantId);
  for (let i = 0; i < n; i++) {
    const { account } = await listedAccount(t, { provider: 'memory', externalId: `many-${i}` }, [{ providerCalendarId: `many-cal-${i}`, name: `Many ${i}`, timeZone: 'UTC', color: null, readOnly: false }]);
    if (i % 3 === 0) await t.accounts.setStatus(account.id, 'needs_reauth', 'test');
  }
}

test('accounts list reads a fixed number of queries per tenant, not per account; --provider and --needs-attention narrow it', async () => {
  env = await memoryEnv({ calendars: 1 });
  const hub = await openHub({ store: env.store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
  const db = env.store.db;
  const query = db.query.bind(db);
  let queries = 0;
  db.query = (async (...args: Parameters<typeof db.query>) => {
    queries += 1;
    return query(...args);
  }) as typeof db.query;
  const count = async () => {
    queries = 0;
    const rows = await accountsOverview(hub, env.tenantId);
    return { rows: rows.length, queries };
  };
  const few = await count();
  await manyAccounts(env, 30);
  const many = await count();
  assert.equal(many.rows, few.rows + 30);
  // What still grows is one read of each calendar's guard flag (calendarHealth): not seven per account.
  assert.ok(many.queries - few.queries <= 30, `queries: ${few.queries} for ${few.rows} account(s), ${many.queries} for ${many.rows}`);

  const attention = await accountsOverview(hub, env.tenantId, { needsAttention: true });
  assert.equal(attention.length, 10, 'the 10 that need reauth');
  assert.ok(attention.every((r) => r.status === 'needs_reauth'));
  assert.equal((await accountsOverview(hub, env.tenantId, { provider: 'google' })).length, 0);
  assert.equal((await accountsOverview(hub, env.tenantId, { provider: 'memory' })).length, many.rows);
});
