import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Db } from '../shared/store/index.ts';
import { EMBEDDED_APPLY_CHUNK, pullCalendar } from './pull.ts';
import { TenantPace } from './tenant-pace.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

/** Counts the store's transactions; `failAt` (1-based) makes that one throw before it starts. */
function countTransactions(db: Db, failAt?: number): { n: number } {
  const seen = { n: 0 };
  const transaction = db.transaction.bind(db);
  (db as { transaction: Db['transaction'] }).transaction = (fn) => {
    seen.n++;
    if (seen.n === failAt) return Promise.reject(new Error('the store went away'));
    return transaction(fn);
  };
  return seen;
}

const seed = (env: MemoryEnv, n: number) => {
  for (let i = 0; i < n; i++) env.backend.put(env.providerIds[0]!, null, [sampleEvent({ uid: `e${i}`, title: `event ${i}` })]);
};

describe('a pull applies a page in pieces on the embedded store (issue 12)', () => {
  it('a 25-object page with pieces of 10 is three transactions, and everything lands once', async () => {
    env = await memoryEnv({ calendars: 1 });
    seed(env, 25);
    env.deps.applyChunk = 10;
    const tx = countTransactions(env.store.db);
    const r = await pullCalendar(env.deps, env.tenantId, env.calendars[0]!);
    assert.equal(r.applied, 25);
    assert.equal(tx.n, 3, 'one transaction per piece of the one page');
    const stored = await env.store.tenant(env.tenantId).events.list(env.calendars[0]!);
    assert.equal(stored.length, 25);
    assert.equal(new Set(stored.map((s) => s.event.uid)).size, 25);
  });

  it('a failure between pieces keeps the cursor before the page; the next pull finishes it without duplicates', async () => {
    env = await memoryEnv({ calendars: 1 });
    seed(env, 25);
    env.deps.applyChunk = 10;
    const cal = env.calendars[0]!;
    countTransactions(env.store.db, 2);
    await assert.rejects(pullCalendar(env.deps, env.tenantId, cal), /the store went away/);
    const t = env.store.tenant(env.tenantId);
    assert.equal((await t.calendars.get(cal))?.syncCursor ?? null, null, 'the page cursor goes with its last piece only');
    assert.equal((await t.events.list(cal)).length, 10, 'the first piece is committed');

    const again = await pullCalendar(env.deps, env.tenantId, cal);
    const stored = await t.events.list(cal);
    assert.equal(stored.length, 25);
    assert.equal(new Set(stored.map((s) => s.event.uid)).size, 25);
    assert.equal(again.deleted, 0);
    assert.notEqual((await t.calendars.get(cal))?.syncCursor ?? null, null);
  });

  it('on PostgreSQL (or with no chunk set there) a page stays one transaction', async () => {
    env = await memoryEnv({ calendars: 1 });
    seed(env, 25);
    env.deps.applyChunk = Infinity;
    const tx = countTransactions(env.store.db);
    await pullCalendar(env.deps, env.tenantId, env.calendars[0]!);
    assert.equal(tx.n, 1);
  });

  /** A pace in which `heavy` has worked 2 s lately and `light` has a run going too; rests take no time. */
  function paceWith(heavy: string, light: string): TenantPace {
    const pace = new TenantPace({ sleep: async () => undefined });
    pace.begin(heavy);
    pace.begin(light);
    void pace.after(heavy, 2000);
    return pace;
  }

  it('with no chunk set, the heavier tenant beside a lighter one applies in pieces, and the lighter one in one transaction', async () => {
    env = await memoryEnv({ calendars: 1, pageSize: 500 });
    seed(env, 2 * EMBEDDED_APPLY_CHUNK + 10);
    env.deps.pace = paceWith(env.tenantId, 'someone-lighter');
    let tx = countTransactions(env.store.db);
    await pullCalendar(env.deps, env.tenantId, env.calendars[0]!);
    assert.equal(tx.n, 3, 'one page, in pieces of EMBEDDED_APPLY_CHUNK');

    await env.close();
    env = await memoryEnv({ calendars: 1, pageSize: 500 });
    seed(env, 2 * EMBEDDED_APPLY_CHUNK + 10);
    env.deps.pace = paceWith('someone-heavier', env.tenantId);
    env.deps.pace.begin(env.tenantId);
    tx = countTransactions(env.store.db);
    await pullCalendar(env.deps, env.tenantId, env.calendars[0]!);
    assert.equal(tx.n, 1, 'the lighter tenant keeps its page whole');
  });
});
