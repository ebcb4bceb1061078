import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Db, Queryable } from './db.ts';
import { SessionTurns } from './session-turns.ts';
import { inChangeScope } from './write-watch.ts';

/** A Db whose statements wait for `release(sql)`; transactions run at once. It logs what began. */
function fakeDb() {
  const log: string[] = [];
  const pending = new Map<string, () => void>();
  const db: Db = {
    driver: 'pglite',
    embedded: true,
    query: async <R>(sql: string) => {
      log.push(`query ${sql}`);
      await new Promise<void>((resolve) => pending.set(sql, resolve));
      return [] as R[];
    },
    transaction: async <T>(fn: (tx: Queryable) => Promise<T>) => {
      log.push('begin');
      return fn({ query: async () => [] });
    },
    close: async () => undefined,
  };
  const release = (sql: string) => pending.get(sql)!();
  return { db, log, release };
}

const heavyYieldsToLight = (tenantId: string, other: string) => tenantId === 'heavy' && other === 'light';
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('session turns on the embedded database (issue 12)', () => {
  it("a heavy tenant's transaction begins only after the lighter tenant's statement and its grace", async () => {
    const { db, log, release } = fakeDb();
    const turns = new SessionTurns({ graceMs: 40, maxWaitMs: 5_000 });
    turns.policy = heavyYieldsToLight;
    const wrapped = turns.wrap(db);
    const light = inChangeScope({ tenantId: 'light' }, () => wrapped.query('SELECT light'));
    await tick();
    const heavy = inChangeScope({ tenantId: 'heavy' }, () => wrapped.transaction(async () => log.push('heavy work')));
    await tick(20);
    assert.deepEqual(log, ['query SELECT light'], 'the heavy transaction waits while the light statement is in flight');
    release('SELECT light');
    await light;
    await tick(10);
    assert.deepEqual(log, ['query SELECT light'], 'and for the grace after it: its next statement is expected');
    await heavy;
    assert.deepEqual(log, ['query SELECT light', 'begin', 'heavy work']);
    assert.equal(turns.waits, 1);
  });

  it('the wait ends at maxWaitMs while the lighter tenant stays busy', async () => {
    const { db, log, release } = fakeDb();
    const turns = new SessionTurns({ graceMs: 40, maxWaitMs: 30 });
    turns.policy = heavyYieldsToLight;
    const wrapped = turns.wrap(db);
    const light = inChangeScope({ tenantId: 'light' }, () => wrapped.query('SELECT slow'));
    await tick();
    await inChangeScope({ tenantId: 'heavy' }, () => wrapped.transaction(async () => log.push('heavy work')));
    assert.deepEqual(log, ['query SELECT slow', 'begin', 'heavy work'], 'began with the light statement still in flight');
    release('SELECT slow');
    await light;
  });

  it('nothing waits without a policy, for a tenant the policy does not ask to yield, or outside a scope', async () => {
    for (const [policy, tenantId] of [
      [null, 'heavy'],
      [heavyYieldsToLight, 'light'],
      [heavyYieldsToLight, undefined],
    ] as const) {
      const { db, log, release } = fakeDb();
      const turns = new SessionTurns({ graceMs: 10_000, maxWaitMs: 10_000 });
      turns.policy = policy;
      const wrapped = turns.wrap(db);
      const other = inChangeScope({ tenantId: tenantId === 'light' ? 'heavy' : 'light' }, () => wrapped.query('SELECT other'));
      await tick();
      const work = () => wrapped.transaction(async () => log.push('work'));
      await (tenantId ? inChangeScope({ tenantId }, work) : work());
      assert.deepEqual(log, ['query SELECT other', 'begin', 'work'], `policy ${policy ? 'set' : 'none'}, tenant ${tenantId ?? 'none'}`);
      assert.equal(turns.waits, 0);
      release('SELECT other');
      await other;
    }
  });

  it('a transaction of the lighter tenant counts as its store work too', async () => {
    const { db, log } = fakeDb();
    const turns = new SessionTurns({ graceMs: 0, maxWaitMs: 5_000 });
    turns.policy = heavyYieldsToLight;
    const wrapped = turns.wrap(db);
    let finish!: () => void;
    const light = inChangeScope({ tenantId: 'light' }, () => wrapped.transaction(() => new Promise<void>((r) => (finish = r))));
    await tick();
    const heavy = inChangeScope({ tenantId: 'heavy' }, () => wrapped.transaction(async () => log.push('heavy work')));
    await tick(20);
    assert.deepEqual(log, ['begin']);
    finish();
    await Promise.all([light, heavy]);
    assert.deepEqual(log, ['begin', 'begin', 'heavy work']);
  });
});
