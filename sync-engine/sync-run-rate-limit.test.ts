/**
 * A provider's rate limit ending a run is no failure while the calendar synced recently: a single
 * 403 rateLimitExceeded or 429 sent `sync.failed` and `sync.recovered` to tenants (an outside user's
 * receiver saw both for every short throttle). A throttle past the grace, or one on a calendar
 * already failing, is counted as any failure.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HubError } from '../shared/errors.ts';
import { inSyncRun } from './sync-run.ts';
import { memoryEnv, type MemoryEnv } from './test-support/memory-env.ts';

const throttled = () => new HubError('CONNECTOR_RATE_LIMITED', 'delay', 'Google answered 403 rateLimitExceeded', { retryAfterMs: 1000 });
const broken = () => new HubError('CONNECTOR_TRANSIENT', 'backoff', 'Google answered 503');

describe('a rate-limited run', () => {
  let env: MemoryEnv;
  before(async () => (env = await memoryEnv({ calendars: 1 })));
  after(() => env.close());
  const cal = () => env.calendars[0]!;
  const state = async () => {
    const c = (await env.store.tenant(env.tenantId).calendars.get(cal()))!;
    return { stage: c.syncStage, failures: c.failureCount, error: c.lastError };
  };
  const run = (e: Error | null) => inSyncRun(env.store, env.tenantId, cal(), { owner: `run-${Math.random()}` }, async () => {
    if (e) throw e;
  }).catch((x: unknown) => (x === e ? undefined : Promise.reject(x)));
  const age = (minutes: number) =>
    env.store.db.query(`UPDATE calendars SET last_success_at = now() - make_interval(mins => $2), created_at = now() - make_interval(mins => $2) WHERE id = $1`, [cal(), minutes]);

  it('on a calendar that synced within the grace: no failure recorded, the stage as it was', async () => {
    await run(null);
    await run(throttled());
    assert.deepEqual(await state(), { stage: 'idle', failures: 0, error: null });
  });

  it('on a calendar added within the grace that never synced: no failure either', async () => {
    await env.store.db.query('UPDATE calendars SET last_success_at = NULL, created_at = now() WHERE id = $1', [cal()]);
    await run(throttled());
    assert.deepEqual(await state(), { stage: 'idle', failures: 0, error: null });
  });

  it('past the grace: a failure, as any other', async () => {
    await age(20);
    await run(throttled());
    const s = await state();
    assert.deepEqual([s.stage, s.failures], ['failed', 1]);
    assert.match(s.error ?? '', /CONNECTOR_RATE_LIMITED/);
  });

  it('on a calendar already failing: counted, and other errors always are', async () => {
    await run(null);
    await run(broken());
    assert.equal((await state()).failures, 1);
    await run(throttled());
    assert.equal((await state()).failures, 2);
  });
});
