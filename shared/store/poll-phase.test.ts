/**
 * dueForPoll spreads polls over the interval: calendars synced together (a restart, a mass connect)
 * are not all due together one interval later, and none goes unpolled for longer than one. It
 * counts from the last pull, not from any successful run (a push looks at nothing at the provider).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Store } from './store.ts';
import { dueForPoll, pollPhaseMs, pollsComing } from './sync-repo.ts';

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

const dbNow = async () => Number((await store.db.query<{ now_ms: string }>('SELECT floor(extract(epoch FROM now()) * 1000)::bigint AS now_ms'))[0]!.now_ms);

/** Every calendar last pulled `agoMs` before the database's now(); how many are due. */
async function dueAfterHerd(agoMs: number): Promise<number> {
  await store.db.query(`UPDATE calendars SET last_pull_at = now() - ($1::int * interval '1 millisecond'), last_success_at = now()`, [agoMs]);
  return (await dueForPoll(store.db, EVERY, CALENDARS)).length;
}

test('calendars pulled at one instant come due spread over the interval, not all at once', async () => {
  // Each is due once its slot passed since the herd: about a quarter a quarter of an interval later.
  const quarter = await dueAfterHerd(EVERY * 0.25);
  assert.ok(quarter > CALENDARS * 0.12 && quarter < CALENDARS * 0.38, `about a quarter due at 0.25 of the interval, got ${quarter} of ${CALENDARS}`);
  const most = await dueAfterHerd(EVERY * 0.75);
  assert.ok(most > CALENDARS * 0.62 && most < CALENDARS * 0.88, `about three quarters due at 0.75 intervals, got ${most}`);
  // Nobody waits past one interval, whatever ran meanwhile (last_success_at is now: a push).
  assert.equal(await dueAfterHerd(Math.round(EVERY * 1.001)), CALENDARS);
});

test('a calendar is polled at its slot unless a pull began after it; a push does not stand for the poll', async () => {
  const [one] = await store.db.query<{ id: string }>("SELECT id FROM calendars WHERE provider_calendar_id = 'c1'");
  const id = one!.id;
  const now = await dbNow();
  const slot = now - (((now - pollPhaseMs(id, EVERY)) % EVERY) + EVERY) % EVERY;
  const due = async () => (await dueForPoll(store.db, EVERY, CALENDARS)).some((d) => d.calendarId === id);
  await store.db.query('UPDATE calendars SET last_pull_at = to_timestamp($2 / 1000.0), last_success_at = now() WHERE id = $1', [id, slot - 1]);
  assert.equal(await due(), true, 'pulled just before its slot, pushed since: due');
  await store.db.query('UPDATE calendars SET last_pull_at = to_timestamp($2 / 1000.0) WHERE id = $1', [id, slot + 1]);
  assert.equal(await due(), false, 'a pull began after its slot: not due');
  // Its next slot is one interval after this one: the tick that comes before it sets its timer.
  const from = await dbNow();
  const coming = (await pollsComing(store.db, EVERY, EVERY, CALENDARS)).find((c) => c.calendarId === id);
  const to = await dbNow();
  // Counted on the database's clock as the query ran, between the two readings.
  const askedAt = slot + EVERY - (coming?.inMs ?? 0);
  assert.ok(coming && askedAt >= from && askedAt <= to, `next slot in ${coming?.inMs} ms: asked at ${askedAt}, between ${from} and ${to}?`);
  const soon = await pollsComing(store.db, EVERY, EVERY / 10, CALENDARS);
  assert.ok(soon.length > CALENDARS * 0.04 && soon.length < CALENDARS * 0.16, `about a tenth within a tenth of the interval, got ${soon.length}`);
  assert.ok(soon.every((c, i) => c.inMs <= EVERY / 10 && (i === 0 || c.inMs >= soon[i - 1]!.inMs)), 'soonest first');
});

test('a calendar that never synced is due at once, and the phase is stable from one query to the next', async () => {
  await store.db.query('UPDATE calendars SET last_pull_at = NULL');
  assert.equal((await dueForPoll(store.db, EVERY, CALENDARS)).length, CALENDARS);
  await store.db.query(`UPDATE calendars SET last_pull_at = now() - ($1::int * interval '1 millisecond')`, [EVERY * 0.5]);
  const a = (await dueForPoll(store.db, EVERY, CALENDARS)).map((r) => r.calendarId).sort();
  const b = (await dueForPoll(store.db, EVERY, CALENDARS)).map((r) => r.calendarId).sort();
  assert.deepEqual(a, b);
});

test("a calendar its account's listing left out is not polled until a listing finds it again", async () => {
  await store.db.query('UPDATE calendars SET last_pull_at = NULL');
  const [gone] = await store.db.query<{ id: string }>("UPDATE calendars SET missing_since = now() WHERE provider_calendar_id = 'c0' RETURNING id");
  const due = (await dueForPoll(store.db, EVERY, CALENDARS)).map((r) => r.calendarId);
  assert.equal(due.length, CALENDARS - 1);
  assert.ok(!due.includes(gone!.id));
  await store.db.query('UPDATE calendars SET missing_since = NULL WHERE id = $1', [gone!.id]);
  assert.ok((await dueForPoll(store.db, EVERY, CALENDARS)).some((r) => r.calendarId === gone!.id));
});
