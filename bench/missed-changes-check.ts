/**
 * The missed-change check's statement (channel-activity.ts markMissedChanges) at scale, on a
 * PostgreSQL server: 1,000 live channels whose calendars hold EVENTS events each, none missed.
 * Prints EXPLAIN ANALYZE of the statement as it was (an EXISTS over each calendar's events by
 * updated_at) and as it is (calendars.provider_changed_at, migration 0093), and the median of
 * RUNS timings of each, each in a transaction rolled back.
 * Run: node --import tsx bench/missed-changes-check.ts (TEST_DATABASE_URL, CHANNELS, EVENTS).
 */
import pg from 'pg';
import { Store } from '../shared/store/index.ts';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHANNELS = Number(process.env.CHANNELS ?? 1000);
const EVENTS = Number(process.env.EVENTS ?? 200);
const RUNS = 7;
const schema = `b_missed_${process.pid}`;

const OLD = `UPDATE push_channels p SET silent_since = $1, status = 'renew', next_check_at = LEAST(p.next_check_at, $1), updated_at = now()
  WHERE p.kind = 'events' AND p.status = 'active' AND p.silent_since IS NULL AND p.channel_id IS NOT NULL
    AND EXISTS (SELECT 1 FROM events e WHERE e.calendar_id = p.calendar_id
                  AND e.updated_at > GREATEST(p.last_notification_at, p.updated_at) + $2::float8 * interval '1 millisecond'
                  AND e.updated_at <= $1::timestamptz - $2::float8 * interval '1 millisecond')
  RETURNING p.calendar_id`;
const NEW = `UPDATE push_channels p SET silent_since = $1, status = 'renew', next_check_at = LEAST(p.next_check_at, $1), updated_at = now()
   FROM calendars c
  WHERE c.id = p.calendar_id
    AND p.kind = 'events' AND p.status = 'active' AND p.silent_since IS NULL AND p.channel_id IS NOT NULL
    AND c.provider_changed_at > GREATEST(p.last_notification_at, p.updated_at) + $2::float8 * interval '1 millisecond'
    AND c.provider_changed_at <= $1::timestamptz - $2::float8 * interval '1 millisecond'
  RETURNING p.calendar_id`;

const store = await Store.open({ databaseUrl: url, schema });
const c = new pg.Client({ connectionString: url });
try {
  await store.migrate();
  const tenantId = (await store.tenants.create(`bench-missed-${process.pid}`)).tenant.id;
  const t = store.tenant(tenantId);
  const acc = await t.accounts.upsert({ provider: 'google', externalId: 'bench@example.com' });
  await t.calendars.upsertMany(acc.id, Array.from({ length: CHANNELS }, (_, i) => ({ providerCalendarId: `cal-${i}`, name: `cal ${i}`, timeZone: 'UTC', color: null, readOnly: false })));
  await c.connect();
  await c.query(`SET search_path TO ${schema}`);
  // Rows rewritten by the hub over the last hour, notifications every calendar got 2 hours ago,
  // the provider's last changes 3 hours ago: nothing was missed, so every row is looked at.
  await c.query(`INSERT INTO events (id, tenant_id, calendar_id, uid, data, content_hash, updated_at)
    SELECT c.id || '-' || g, c.tenant_id, c.id, 'u' || g, '{}'::jsonb, 'h', now() - random() * interval '1 hour'
      FROM calendars c CROSS JOIN generate_series(1, $1::int) g`, [EVENTS]);
  await c.query(`INSERT INTO push_channels (calendar_id, tenant_id, account_id, provider, provider_calendar_id, status, channel_id, last_notification_at, updated_at)
    SELECT id, tenant_id, account_id, 'google', provider_calendar_id, 'active', 'ch-' || id, now() - interval '2 hours', now() - interval '2 hours' FROM calendars`);
  await c.query(`UPDATE calendars SET provider_changed_at = now() - interval '3 hours'`);
  await c.query('ANALYZE');
  // The old statement flags every channel here (the hub's rewrites): counted, then both measured with no match.
  await c.query('BEGIN');
  const flaggedOld = (await c.query(OLD, [new Date(), 120_000])).rowCount;
  const flaggedNew = (await c.query(NEW, [new Date(), 120_000])).rowCount;
  await c.query('ROLLBACK');
  console.log(`${CHANNELS} channels, ${CHANNELS * EVENTS} events; channels flagged by the rewrites: old ${flaggedOld}, new ${flaggedNew}`);
  await c.query(`UPDATE events SET updated_at = now() - interval '3 hours'`);
  await c.query('VACUUM ANALYZE events');
  for (const [name, sql] of [['old (events.updated_at)', OLD], ['new (calendars.provider_changed_at)', NEW]] as const) {
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await c.query('BEGIN');
      const start = performance.now();
      await c.query(sql, [new Date(), 120_000]);
      ms.push(performance.now() - start);
      await c.query('ROLLBACK');
    }
    await c.query('BEGIN');
    const plan = (await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, [new Date(), 120_000])).rows.map((r) => r['QUERY PLAN']).join('\n');
    await c.query('ROLLBACK');
    ms.sort((a, b) => a - b);
    console.log(`\n== ${name}: median ${ms[Math.floor(RUNS / 2)]!.toFixed(1)} ms (min ${ms[0]!.toFixed(1)}, max ${ms[RUNS - 1]!.toFixed(1)})\n${plan}`);
  }
} finally {
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
  await c.end().catch(() => {});
  await store.close();
}
