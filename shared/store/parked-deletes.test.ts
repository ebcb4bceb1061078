/**
 * A delete the provider refused for its content REFUSALS_BEFORE_PARKING times is parked, but not
 * "until the event is edited again" as an edit is: a deleted event never is. It is offered again
 * once a wait after its last refusal is over (an hour, doubling, at most a day). Migration 0081.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Store } from './store.ts';
import { parkedDeleteRetryAt, PARKED_DELETE_MAX_WAIT_MS, PARKED_DELETE_WAIT_MS, REFUSALS_BEFORE_PARKING } from './sync-repo.ts';
import { outboxOf, refusedWrites } from './outbox-health.ts';

const HOUR = 3_600_000;

it('the wait: an hour after the third refusal, doubling with each further one, at most a day', () => {
  const at = new Date('2026-12-07T06:00:00Z');
  const wait = (n: number) => parkedDeleteRetryAt('delete', n, at)!.getTime() - at.getTime();
  assert.deepEqual([3, 4, 5, 7, 8, 40].map(wait), [HOUR, 2 * HOUR, 4 * HOUR, 16 * HOUR, 24 * HOUR, 24 * HOUR]);
  assert.equal(PARKED_DELETE_WAIT_MS, HOUR);
  assert.equal(PARKED_DELETE_MAX_WAIT_MS, 24 * HOUR);
  assert.equal(parkedDeleteRetryAt('delete', REFUSALS_BEFORE_PARKING - 1, at), null, 'not parked yet: the next push tries it');
  assert.equal(parkedDeleteRetryAt('put', 3, at), null, 'an edit waits for a new edit');
  assert.equal(parkedDeleteRetryAt('delete', 3, null), null, 'parked because the account cannot write: waits for a reconnect');
});

describe('parked deletes in the outbox', () => {
  let store: Store;
  let tenantId: string;
  let accountId: string;
  let cal: string;
  const t = () => store.tenant(tenantId);
  const refuse = async (uid: string, times: number) => {
    for (let i = 0; i < times; i++) await t().outbox.failed(cal, uid, 'CONNECTOR_UNSUPPORTED: refused', true);
  };
  /** Moves the last refusal of `uid` back by `ms`, as if that much time had passed. */
  const age = (uid: string, ms: number) => store.db.query("UPDATE outbox SET refused_at = refused_at - $2 * interval '1 millisecond' WHERE calendar_id = $1 AND uid = $3", [cal, ms, uid]);
  const pending = async () => (await t().outbox.pending(cal)).map((e) => e.uid).sort();

  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    tenantId = (await store.tenants.create('parked-deletes')).tenant.id;
    accountId = (await t().accounts.upsert({ provider: 'memory', externalId: 'pd@example.com' })).id;
    cal = (await t().calendars.upsertMany(accountId, [{ providerCalendarId: 'p', name: 'p', timeZone: 'UTC', color: null, readOnly: false }]))[0]!.id;
  });
  after(() => store.close());

  it('a parked delete is pushed again once its wait is over, a parked edit is not; a refusal again doubles the wait', async () => {
    await t().outbox.upsert(cal, 'gone-1', 'delete');
    await t().outbox.upsert(cal, 'edit-1', 'put');
    await refuse('gone-1', 3);
    await refuse('edit-1', 3);
    assert.deepEqual(await pending(), []);
    assert.equal(await t().outbox.any(cal), false);
    await age('gone-1', HOUR + 60_000);
    await age('edit-1', 30 * HOUR);
    assert.deepEqual(await pending(), ['gone-1']);
    assert.equal(await t().outbox.any(cal), true, 'a pull asks for the push');
    await refuse('gone-1', 1);
    await age('gone-1', HOUR + 60_000);
    assert.deepEqual(await pending(), [], 'refused a fourth time: two hours now');
    await age('gone-1', HOUR);
    assert.deepEqual(await pending(), ['gone-1']);
    const [health] = await refusedWrites(store.db, [cal]);
    const items = new Map(health!.items.map((i) => [i.uid, i]));
    assert.equal(items.get('edit-1')!.retryAt, null);
    const row = (await outboxOf(store.db, tenantId, cal)).find((r) => r.uid === 'gone-1')!;
    assert.equal(items.get('gone-1')!.retryAt, new Date(row.refusedAt!.getTime() + 2 * HOUR).toISOString());
    await t().outbox.done(cal, 'gone-1', null);
    await t().outbox.done(cal, 'edit-1', null);
  });

  it('a refusal that is not about the content sets no wait; a new write of the UID starts afresh', async () => {
    await t().outbox.upsert(cal, 'gone-2', 'delete');
    await t().outbox.failed(cal, 'gone-2', 'INSUFFICIENT_SCOPE: no', false);
    assert.equal((await outboxOf(store.db, tenantId, cal))[0]!.refusedAt, null);
    await refuse('gone-2', 3);
    await t().outbox.upsert(cal, 'gone-2', 'delete');
    const [row] = await outboxOf(store.db, tenantId, cal);
    assert.deepEqual([row!.attempts, row!.refusedAt], [0, null]);
    await t().outbox.done(cal, 'gone-2', null);
  });

  it("a delete parked because the account cannot write waits for a reconnect, not for a wait", async () => {
    await t().outbox.upsert(cal, 'gone-3', 'delete');
    await refuse('gone-3', 2);
    assert.equal(await t().accessChange.parkWrites(accountId, 'ACCOUNT_READ_ONLY: reconnected to read'), 1);
    await store.db.query("UPDATE outbox SET updated_at = updated_at - interval '30 days' WHERE calendar_id = $1", [cal]);
    assert.deepEqual(await pending(), []);
    assert.equal(await t().accessChange.unparkWrites(accountId), 1);
    assert.deepEqual(await pending(), ['gone-3']);
    await t().outbox.done(cal, 'gone-3', null);
  });
});

it('migration 0081 adds refused_at; a delete parked before it is offered again at once, one parked for a read-only account is not', async () => {
  const store = await Store.open({ dataDir: null });
  try {
    await store.migrate({ upTo: 80 });
    const tenantId = (await store.tenants.create('m81')).tenant.id;
    const t = store.tenant(tenantId);
    const acc = await t.accounts.upsert({ provider: 'memory', externalId: 'm81@example.com' });
    const [cal] = await t.calendars.upsertMany(acc.id, [{ providerCalendarId: 'p', name: 'p', timeZone: 'UTC', color: null, readOnly: false }]);
    const row = (uid: string, op: string, attempts: number, error: string) =>
      store.db.query('INSERT INTO outbox (calendar_id, tenant_id, uid, op, attempts, last_error) VALUES ($1, $2, $3, $4, $5, $6)', [cal!.id, tenantId, uid, op, attempts, error]);
    await row('parked-delete', 'delete', 3, 'CONNECTOR_UNSUPPORTED: refused');
    await row('parked-edit', 'put', 3, 'CONNECTOR_UNSUPPORTED: refused');
    await row('read-only', 'delete', 3, 'ACCOUNT_READ_ONLY: reconnected to read');
    await row('failing', 'delete', 1, 'CONNECTOR_UNSUPPORTED: refused');
    assert.deepEqual(await store.migrate({ upTo: 81 }), ['0081_outbox_refused_at.sql']);
    assert.deepEqual((await t.outbox.pending(cal!.id)).map((e) => e.uid).sort(), ['failing', 'parked-delete']);
  } finally {
    await store.close();
  }
});
