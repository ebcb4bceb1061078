/**
 * `resync --wait` through the queue. Returns when every calendar has either been synced since the
 * request and gone quiet (no job pending or running, nothing left to write) or failed since the
 * request. A permanent failure, or a transient one that failed again on retry, ends the wait for
 * its calendar although the worker keeps retrying: the operator learns of a broken account now,
 * not after the whole backoff schedule, and a single blip the next attempt fixes is not reported
 * as a failure. Writes the provider refused (outbox entries with an error) do not hold the wait;
 * the report counts them.
 */
import type { Job } from 'bullmq';
import { calendarsWithPendingWrites, type StoreChange } from '../shared/store/index.ts';
import type { JobData, SyncEngine } from '../sync-engine/index.ts';
import type { Hub } from './open-hub.ts';

const LIMIT_MS = 30 * 60_000;
const POLL_MS = 100;

/** Error codes (calendars.last_error is `CODE: message`) whose next attempt may well succeed. */
const TRANSIENT = new Set(['STORE_FAILED', 'STORE_UNAVAILABLE', 'CONNECTOR_TRANSIENT', 'CONNECTOR_RATE_LIMITED', 'SYNC_SLOT_LOST', 'SYNC_CURSOR_RESET', 'AUTH_ACCESS_TOKEN_EXPIRED', 'SYNC_CURSOR_INVALID']);
const ATTEMPTS_BEFORE_REPORTING = 3;

function settledFailure(c: { lastError: string | null; failureCount: number }): boolean {
  const code = /^([A-Z_]+):/.exec(c.lastError ?? '')?.[1] ?? '';
  return !TRANSIENT.has(code) || c.failureCount >= ATTEMPTS_BEFORE_REPORTING;
}

/** Returns the mirror passes that failed meanwhile: target calendar id -> why. */
export async function waitForQuiet(
  hub: Hub,
  queue: SyncEngine['queue'],
  tenantId: string,
  cals: string[],
  rules: Array<{ id: string; targetCalendarId: string }>,
  since: Date,
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const t = hub.store.tenant(tenantId);
  const startedMs = Date.now() - 1000; // job timestamps come from the worker's clock
  const ruleTarget = new Map(rules.map((r) => [r.id, r.targetCalendarId]));
  const ours = (j: Job<JobData> | undefined): j is Job<JobData> => Boolean(j && (cals.includes(j.data.calendarId ?? '') || ruleTarget.has(j.data.ruleId ?? '')));
  const failedSince = (c: { syncStage: string; updatedAt: string; lastError: string | null; failureCount: number }) =>
    c.syncStage === 'failed' && Date.parse(c.updatedAt) >= since.getTime() && settledFailure(c);
  const servedSince = (c: { lastSuccessAt: string | null }) => c.lastSuccessAt !== null && Date.parse(c.lastSuccessAt) >= since.getTime();
  // Woken by a reported write to one of these calendars (a page committed, the slot released)
  // where the hub is told of them, else polled. Once every calendar has been served, what may
  // still hold the wait (the job finishing in the queue, a follow-up pull) reports no write: it is
  // checked again after 10 ms, doubling to POLL_MS. Polling alone cost every wait ~50 ms on average.
  const ourChange = (c: StoreChange) => c.scope === 'all' || (c.tenantId === tenantId && (c.scope === 'tenant' || cals.includes(c.calendarId)));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const pause = (ms: number) => (hub.changes ? hub.changes.next(ourChange, ms) : sleep(ms));
  // Many calendars syncing at once report many writes: the checks they wake stay this far apart,
  // as far as the poll for a hundred calendars (a check reads every one of them).
  const minGapMs = Math.min(POLL_MS, 10 + cals.length);
  let lastCheck = 0;
  let recheckMs = 10;
  while (Date.now() < startedMs + LIMIT_MS) {
    signal?.throwIfAborted();
    // The cheap check first, often (one query on the calendars): until every calendar has been
    // served or has failed since the request, the queue and the outbox need not be read. Polling
    // every 250 ms behind a fixed 300 ms start cost a 1,000-event resync ~0.4 s on average, and
    // each full poll (three queue scans, the outbox) competed with the sync for the store.
    const gap = lastCheck + minGapMs - performance.now();
    if (gap > 0) await sleep(gap);
    lastCheck = performance.now();
    const early = await t.calendars.list({ ids: cals });
    if (!early.every((c) => failedSince(c) || (servedSince(c) && c.syncStage !== 'running'))) {
      recheckMs = 10;
      await pause(POLL_MS);
      continue;
    }
    const pending = (await queue.getJobs(['waiting', 'active', 'prioritized'])).filter(ours);
    const delayed = (await queue.getJobs(['delayed'])).filter(ours);
    const failedJobs = (await queue.getJobs(['failed'], 0, 99)).filter((j) => ours(j) && (j.finishedOn ?? 0) >= startedMs);
    const mirrorFailures = new Map<string, string>();
    for (const j of [...delayed.filter((d) => d.attemptsMade > 0), ...failedJobs]) {
      const target = ruleTarget.get(j.data.ruleId ?? '');
      if (j.name === 'mirror' && target) mirrorFailures.set(target, `mirror rule ${j.data.ruleId} failed: ${j.failedReason}`);
    }
    const rows = await t.calendars.list({ ids: cals });
    const failedNow = new Set(rows.filter(failedSince).map((c) => c.id));
    const writing = await calendarsWithPendingWrites(hub.store.db, cals);
    // A sync that succeeded after the request was made has served it: a run already going when
    // the request came pulls again before it finishes (engine.ts), so that run counts too.
    const served = (c: (typeof rows)[number]) => failedNow.has(c.id) || servedSince(c);
    const calendarBusy = rows.some(
      (c) =>
        !failedNow.has(c.id) &&
        (!served(c) || c.syncStage === 'running' || writing.has(c.id) || [...pending, ...delayed].some((j) => j.data.calendarId === c.id)),
    );
    const mirrorBusy = [...pending, ...delayed.filter((d) => d.attemptsMade === 0)].some((j) => j.name === 'mirror');
    if (!calendarBusy && !mirrorBusy) return mirrorFailures;
    await pause(recheckMs);
    recheckMs = Math.min(POLL_MS, recheckMs * 2);
  }
  throw new Error('resync --wait gave up after 30 minutes; the worker is still busy with these calendars');
}
