/**
 * The silence check's read (channel-activity.ts listChannelViews, all channels) at scale, on a
 * PostgreSQL server: CHANNELS live channels whose calendars hold EVENTS events each, all updated
 * in the last 30 days. Prints the median of RUNS timings and EXPLAIN ANALYZE of the statement as it
 * was (a count of each calendar's events by updated_at, migration 0096's predecessor) and as it is
 * (calendars.provider_change_rate decayed to now).
 * Run: node --import tsx bench/channel-silence-rate.ts (TEST_DATABASE_URL, CHANNELS, EVENTS).
 */
import pg from 'pg';
import { listChannelViews, Store } from '../shared/store/index.ts';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHANNELS = Number(process.env.CHANNELS ?? 1000);
const EVENTS = Number(process.env.EVENTS ?? 200);
const RUNS = 7;
const schema = `b_silence_${process.pid}`;

const INNER = `SELECT p.calendar_id, p.kind, p.tenant_id, p.account_id, p.provider, c.name, p.status, p.channel_id, p.expires_at,
       p.last_notification_at, c.last_success_at, a.status AS account_status, p.silent_since, p.failures, p.last_error, p.created_at
  FROM push_channels p LEFT JOIN calendars c ON c.id = p.calendar_id LEFT JOIN accounts a ON a.id = p.account_id`;
const OLD = `SELECT v.*, (SELECT count(*)::int FROM events e WHERE e.calendar_id = v.calendar_id AND e.updated_at > now() - interval '30 days') AS recent_changes
  FROM (${INNER}) v ORDER BY v.expires_at ASC NULLS LAST, v.calendar_id`;

const store = await Store.open({ databaseUrl: url, schema });
const c = new pg.Client({ connectionString: url });
try {
  await store.migrate();
  const tenantId = (await store.tenants.create(`bench-silence-${process.pid}`)).tenant.id;
  const t = store.tenant(tenantId);
  const acc = await t.accounts.upsert({ provider: 'google', externalId: 'bench@example.com' });
  await t.calendars.upsertMany(acc.id, Array.from({ length: CHANNELS }, (_, i) => ({ providerCalendarId: `cal-${i}`, name: `cal ${i}`, timeZone: 'UTC', color: null, readOnly: false })));
  await c.connect();
  await c.query(`SET search_path TO ${schema}`);
  await c.query(`INSERT INTO events (id, tenant_id, calendar_id, uid, data, content_hash, updated_at)
    SELECT c.id || '-' || g, c.tenant_id, c.id, 'u' || g, '{}'::jsonb, 'h', now() - random() * interval '29 days'
      FROM calendars c CROSS JOIN generate_series(1, $1::int) g`, [EVENTS]);
  await c.query(`INSERT INTO push_channels (calendar_id, tenant_id, account_id, provider, provider_calendar_id, status, channel_id, expires_at, last_notification_at)
    SELECT id, tenant_id, account_id, 'google', provider_calendar_id, 'active', 'ch-' || id, now() + interval '5 days', now() - interval '2 hours' FROM calendars`);
  await c.query(`UPDATE calendars SET provider_changed_at = now() - interval '3 hours', provider_change_rate = 30`);
  await c.query('VACUUM ANALYZE');
  console.log(`${CHANNELS} channels, ${CHANNELS * EVENTS} events`);
  const timed = async (name: string, run: () => Promise<unknown>, explain: string | null) => {
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await run();
      ms.push(performance.now() - start);
    }
    ms.sort((a, b) => a - b);
    const plan = explain ? (await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${explain}`)).rows.map((r) => r['QUERY PLAN']).join('\n') : '';
    console.log(`\n== ${name}: median ${ms[Math.floor(RUNS / 2)]!.toFixed(1)} ms (min ${ms[0]!.toFixed(1)}, max ${ms[RUNS - 1]!.toFixed(1)})\n${plan}`);
  };
  await timed('old (count of events by updated_at)', () => c.query(OLD), OLD);
  await timed('new (listChannelViews: calendars.provider_change_rate)', () => listChannelViews(store.db, null), null);
  const NEW_PLAN = `SELECT p.calendar_id, COALESCE(c.provider_change_rate * exp(-LEAST(GREATEST(extract(epoch FROM now() - c.provider_changed_at)::float8, 0) * 1000 / 2592000000, 700)), 0) AS recent_changes
    FROM push_channels p LEFT JOIN calendars c ON c.id = p.calendar_id LEFT JOIN accounts a ON a.id = p.account_id ORDER BY p.expires_at ASC NULLS LAST, p.calendar_id`;
  await timed('new (the rate expression alone, for its plan)', () => c.query(NEW_PLAN), NEW_PLAN);
} finally {
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
  await c.end().catch(() => {});
  await store.close();
}
