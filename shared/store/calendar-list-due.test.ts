/**
 * dueForCalendarList: accounts listed together come due spread over the interval; an account with
 * a calendar missing from its last listing, or whose sync found a calendar gone at the provider, is
 * due again after the short recheck; a disabled account never.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Store } from './store.ts';
import { dueForCalendarList } from './sync-repo.ts';

const EVERY = 3_600_000;
const RECHECK = 300_000;
const ACCOUNTS = 300;
let store: Store;
let tenantId: string;

before(async () => {
  store = await Store.open({ dataDir: null });
  await store.migrate();
  tenantId = (await store.tenants.create('lists')).tenant.id;
  const t = store.tenant(tenantId);
  for (let i = 0; i < ACCOUNTS; i++) {
    const acc = await t.accounts.upsert({ provider: 'memory', externalId: `u${i}@example.com` });
    await t.calendars.upsertMany(acc.id, [{ providerCalendarId: 'primary', name: 'p', timeZone: 'UTC', color: null, readOnly: false }]);
  }
});
after(() => store.close());

const listedAgo = (ms: number) => store.db.query(`UPDATE accounts SET calendars_listed_at = now() - ($1::int * interval '1 millisecond')`, [ms]);
const due = async () => (await dueForCalendarList(store.db, EVERY, RECHECK, ACCOUNTS)).map((r) => r.accountId);

test('accounts listed at one instant come due spread over the interval; none waits past one and a half', async () => {
  await listedAgo(EVERY * 0.4);
  assert.equal((await due()).length, 0);
  await listedAgo(EVERY * 0.75);
  const quarter = (await due()).length;
  assert.ok(quarter > ACCOUNTS * 0.12 && quarter < ACCOUNTS * 0.38, `about a quarter due at 0.75 of the interval, got ${quarter}`);
  await listedAgo(EVERY * 1.51);
  assert.equal((await due()).length, ACCOUNTS);
});

test('a missing calendar, or a sync that found one gone, makes its account due after the recheck; a disabled account never', async () => {
  const t = store.tenant(tenantId);
  const [a, b, c] = (await t.accounts.list()).slice(0, 3);
  await listedAgo(RECHECK + 1000);
  assert.equal((await due()).length, 0, 'listed recently for the interval');
  await store.db.query('UPDATE calendars SET missing_since = now() WHERE account_id = $1', [a!.id]);
  // The sync failed after the last listing: its updated_at is later than calendars_listed_at.
  await store.db.query(`UPDATE calendars SET last_error = 'CONNECTOR_NOT_FOUND: google: Not Found', updated_at = now() WHERE account_id = $1`, [b!.id]);
  await store.db.query(`UPDATE calendars SET last_error = 'CONNECTOR_TRANSIENT: google: backendError', updated_at = now() WHERE account_id = $1`, [c!.id]);
  assert.deepEqual((await due()).sort(), [a!.id, b!.id].sort());
  await listedAgo(RECHECK / 2);
  assert.deepEqual(await due(), [], 'not before the recheck has passed');
  // A listing after the failure answers it: the same error is not a reason to list again.
  await listedAgo(RECHECK + 1000);
  await store.db.query(`UPDATE calendars SET updated_at = now() - ($1::int * interval '1 millisecond') WHERE account_id = $2`, [RECHECK + 60_000, b!.id]);
  assert.deepEqual(await due(), [a!.id]);
  await t.accounts.setStatus(a!.id, 'disabled');
  await listedAgo(EVERY * 2);
  assert.ok(!(await due()).includes(a!.id), 'a disabled account is not listed');
});
