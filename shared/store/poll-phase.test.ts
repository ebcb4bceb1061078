/**
 * dueForPoll spreads polls over the interval: calendars synced together (a restart, a mass connect)
 * are not all due together one interval later, and none goes unpolled for much longer than one.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Store } from './store.ts';
import { dueForPoll } from './sync-repo.ts';

const EVERY = 600_000;
const CALENDARS = 400;
let store: Store;

before(async () => {
  store = await Store.open({ dataDir: null });
  await store.migrate();
  const { tenant } = await store.tenants.create('poll');
  const acc = await store.tenant(tenant.id).accounts.upsert({ provider: 'memory', externalId: 'poll@example.com' });
  await store.tenant(tenant.id).calendars.upsertMany(acc.id, Array.from({ length: CALENDARS }, (_, i) => ({ providerCalendarId: `c${i}`, name: `c${i}`, timeZone: 'UTC', color: null, readOnly: false })));
});
after(() => store.close());

/** Every calendar last synced `agoMs` before the database's now(); how many are due. */
async function dueAfterHerd(agoMs: number): Promise<number> {
  await store.db.query(`UPDATE calendars SET last_success_at = now() - ($1::int * interval '1 millisecond')`, [agoMs]);
  return (await dueForPoll(store.db, EVERY, CALENDARS)).length;
}

test('calendars synced at one instant come due spread over the interval, not all at once', async () => {
  // Half an interval after the herd nobody is due; at 0.75 the ones whose slot passed (about a quarter).
  assert.equal(await dueAfterHerd(EVERY * 0.4), 0);
  const quarter = await dueAfterHerd(EVERY * 0.75);
  assert.ok(quarter > CALENDARS * 0.12 && quarter < CALENDARS * 0.38, `about a quarter due at 0.75 of the interval, got ${quarter} of ${CALENDARS}`);
  const most = await dueAfterHerd(EVERY * 1.25);
  assert.ok(most > CALENDARS * 0.62 && most < CALENDARS * 0.88, `about three quarters due at 1.25 intervals, got ${most}`);
  // The backstop still holds: nobody waits past one and a half intervals.
  assert.equal(await dueAfterHerd(EVERY * 1.51), CALENDARS);
});

test('a calendar that never synced is due at once, and the phase is stable from one query to the next', async () => {
  await store.db.query('UPDATE calendars SET last_success_at = NULL');
  assert.equal((await dueForPoll(store.db, EVERY, CALENDARS)).length, CALENDARS);
  await store.db.query(`UPDATE calendars SET last_success_at = now() - ($1::int * interval '1 millisecond')`, [EVERY * 0.9]);
  const a = (await dueForPoll(store.db, EVERY, CALENDARS)).map((r) => r.calendarId).sort();
  const b = (await dueForPoll(store.db, EVERY, CALENDARS)).map((r) => r.calendarId).sort();
  assert.deepEqual(a, b);
});

test("a calendar its account's listing left out is not polled until a listing finds it again", async () => {
  await store.db.query('UPDATE calendars SET last_success_at = NULL');
  const [gone] = await store.db.query<{ id: string }>("UPDATE calendars SET missing_since = now() WHERE provider_calendar_id = 'c0' RETURNING id");
  const due = (await dueForPoll(store.db, EVERY, CALENDARS)).map((r) => r.calendarId);
  assert.equal(due.length, CALENDARS - 1);
  assert.ok(!due.includes(gone!.id));
  await store.db.query('UPDATE calendars SET missing_since = NULL WHERE id = $1', [gone!.id]);
  assert.ok((await dueForPoll(store.db, EVERY, CALENDARS)).some((r) => r.calendarId === gone!.id));
});
