/**
 * Issue 18: a series whose expansion is cut short (the work or time budget of shared/time, or the
 * busy index's occurrence or range cap) used to end silently, its busy time stopping early. It is
 * now named: a log line and a metric per pull, and busy_truncated for the calendar's health.
 */
import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import { createMetrics } from '../shared/metrics.ts';
import { parseEvent } from '../shared/model/index.ts';
import { truncatedSeries } from '../shared/store/index.ts';
import { settle } from './settle.ts';
import { memoryEnv, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

it('a pulled series cut short by the occurrence cap is logged, counted and named until it fits again', async () => {
  env = await memoryEnv({ calendars: 1 });
  const [cal] = env.calendars;
  const warned: Array<Record<string, unknown>> = [];
  const log = env.deps.log;
  env.deps.log = Object.assign(Object.create(log) as typeof log, { warn: (obj: Record<string, unknown>, msg?: string) => void warned.push({ ...obj, msg }) });
  const metrics = createMetrics();
  env.deps.metrics = metrics as never;
  // Back-to-back minutes for good: one range, but past MAX_BUSY_OCCURRENCES within the horizon.
  const uid = 'every-minute@test';
  const series = parseEvent({ uid, title: 'ticker', start: { dateTime: '2026-12-01T00:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-01T00:01:00Z', timeZone: 'UTC' }, recurrence: { rrules: ['FREQ=MINUTELY'] } });
  const obj = env.backend.put(env.providerIds[0]!, null, [series]);
  const r = await settle(env.deps, env.tenantId, [cal!]);
  assert.equal(r.failures.size, 0);

  assert.ok((await env.store.tenant(env.tenantId).events.byUid(cal!, uid)).length === 1, 'the event itself is stored');
  const [summary] = await truncatedSeries(env.store.db, [cal!]);
  assert.deepEqual(summary, { calendarId: cal, count: 1, items: [{ uid, reason: 'occurrence cap' }] });
  assert.ok(warned.some((w) => w.uid === uid && w.reason === 'occurrence cap' && /cut short/.test(String(w.msg))), JSON.stringify(warned));
  assert.match(await metrics.registry.metrics(), /calhub_series_truncated_total 1/);

  // Bounded now: it fits, and the note goes.
  env.backend.put(env.providerIds[0]!, obj.remoteId, [{ ...series, recurrence: { rrules: ['FREQ=MINUTELY;COUNT=100'], exdates: [], rdates: [] } }]);
  await settle(env.deps, env.tenantId, [cal!]);
  assert.deepEqual(await truncatedSeries(env.store.db, [cal!]), []);
});
