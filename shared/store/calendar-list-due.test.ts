/**
 * dueForCalendarList: accounts listed together come due spread over the interval; an account with
 * a calendar missing from its last listing, or whose sync found a calendar gone at the provider, is
 * due again after the short recheck; a disabled account never. A notification's standing request
 * makes its account due 10 s later, then once a minute while readings fail, until a reading that
 * began under it answers it or an interval has passed. An account whose calendars were never listed
 * (its connect cut short after storing it) is due a minute after it was stored, until a listing succeeds.
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
    await t.accounts.markCalendarsListed(acc.id);
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

test("a calendar-list notification's request is due after the receiver's own try, again a minute after each failed reading, and cleared only by a reading that began under it", async () => {
  const t = store.tenant(tenantId);
  await store.db.query('UPDATE calendars SET missing_since = NULL, last_error = NULL');
  const d = (await t.accounts.list()).find((x) => x.status === 'active')!;
  const requestedAgo = (ms: number) => store.db.query(`UPDATE accounts SET calendars_list_requested_at = now() - ($1::int * interval '1 millisecond') WHERE id = $2`, [ms, d.id]);
  await listedAgo(RECHECK / 2);
  await t.accounts.requestCalendarList(d.id);
  assert.deepEqual(await due(), [], 'the receiver reads it itself first');
  await requestedAgo(11_000);
  assert.deepEqual(await due(), [d.id], 'the receiver did not answer it within 10 s');
  // A failed reading marks the list as read; the request stands and comes due a minute later.
  await t.accounts.markCalendarsListed(d.id);
  assert.deepEqual(await due(), []);
  await listedAgo(61_000);
  assert.deepEqual(await due(), [d.id], 'retried a minute after the failure');
  // A reading that began before a newer request leaves that one standing.
  const seen = await t.accounts.listRequest(d.id);
  await requestedAgo(5_000);
  await t.accounts.markCalendarsListed(d.id, seen);
  assert.notEqual((await t.accounts.listRequest(d.id)).requestedAt, null, 'the newer request stands');
  await t.accounts.markCalendarsListed(d.id, await t.accounts.listRequest(d.id));
  assert.equal((await t.accounts.listRequest(d.id)).requestedAt, null, 'answered');
  await listedAgo(RECHECK / 2);
  assert.deepEqual(await due(), []);
  // A request older than the interval is left to the account's own phase.
  await t.accounts.requestCalendarList(d.id);
  await requestedAgo(EVERY + 1000);
  await listedAgo(EVERY * 0.4);
  assert.deepEqual(await due(), []);
});

test('an account stored but never listed (its connect killed before the listing) is due a minute later, again a minute after a failed reading, until one succeeds', async () => {
  const { tenant } = await store.tenants.create('never-listed');
  const t = store.tenant(tenant.id);
  const acc = await t.accounts.upsert({ provider: 'microsoft', externalId: 'cut-short@contoso.test' });
  assert.equal(acc.calendarsListed, false);
  const storedAgo = (ms: number) => store.db.query(`UPDATE accounts SET calendars_listed_at = now() - ($1::int * interval '1 millisecond') WHERE id = $2`, [ms, acc.id]);
  await listedAgo(EVERY * 0.1);
  await storedAgo(10_000);
  assert.deepEqual(await due(), [], 'the connect itself lists it first');
  await storedAgo(61_000);
  assert.deepEqual(await due(), [acc.id], 'due a minute after it was stored, ahead of the rest');
  await t.accounts.deferCalendarList(acc.id);
  assert.equal((await t.accounts.get(acc.id))!.calendarsListed, false, 'a failed reading is no listing');
  assert.deepEqual(await due(), []);
  await storedAgo(61_000);
  assert.deepEqual(await due(), [acc.id], 'tried again a minute after the failure');
  await t.accounts.markCalendarsListed(acc.id, await t.accounts.listRequest(acc.id));
  assert.equal((await t.accounts.get(acc.id))!.calendarsListed, true);
  await storedAgo(61_000);
  assert.deepEqual(await due(), [], 'listed: back to its own phase');
});
