/**
 * Sync an account's calendars now: through the queue when a worker listens (optionally waiting
 * until the syncs and the writes they trigger are done), else in this process. Mirror copies the
 * sync triggers are written to the rules' other calendars, so those are part of the run.
 */
import { opsQueries, quarantineSummary, storeNow, syncRepo } from '../shared/store/index.ts';
import { refreshCalendarList, type CalendarListReport } from './accounts/refresh-calendars.ts';
import { calendarHealth, type CalendarHealth } from './calendar-health.ts';
import { MissingError } from './errors.ts';
import type { Hub } from './open-hub.ts';
import { describeError, syncInProcess } from './sync-here.ts';
import { waitForQuiet } from './wait-quiet.ts';

export interface ResyncReport {
  accountId: string;
  mode: 'queue' | 'in-process';
  waited: boolean;
  full: boolean;
  ok: boolean;
  /** The account's calendar list, read first (calendars added, removed or renamed at the provider); `error` when it could not be read. */
  calendarList: CalendarListReport | { error: string } | null;
  calendars: Array<
    CalendarHealth & {
      accountId: string;
      outcome: 'queued' | 'failed' | 'ok';
      events: number;
      quarantined: number;
      fullListing: boolean | null;
    }
  >;
}

/** `signal`: stop waiting (the command that asked for the wait went away); the syncs go on. */
export async function resync(hub: Hub, accountId: string, opts: { full?: boolean; wait?: boolean; signal?: AbortSignal } = {}): Promise<ResyncReport> {
  const full = Boolean(opts.full);
  const wait = Boolean(opts.wait);
  const tenantId = await syncRepo.accountTenant(hub.store.db, accountId);
  if (!tenantId) throw new MissingError('account', accountId);
  const t = hub.store.tenant(tenantId);
  const account = await t.accounts.get(accountId);
  // A disabled or disconnected-at-the-provider account is listed when it is active again.
  const calendarList = account?.status !== 'active' ? null : await refreshCalendarList(hub, tenantId, accountId, { signal: opts.signal }).catch((e: unknown) => ({ error: describeError(e) }));
  const own = (await t.calendars.list({ accountId })).map((c) => c.id);
  const rules = (await t.mirror.list()).filter((r) => own.includes(r.sourceCalendarId) || own.includes(r.targetCalendarId));
  const cals = [...new Set([...own, ...rules.flatMap((r) => [r.sourceCalendarId, r.targetCalendarId])])];

  let runErrors = new Map<string, string>();
  let fullListings: string[] | null = null;
  if (hub.engine) {
    const since = await storeNow(hub.store.db);
    for (const id of cals) await hub.engine.requestPull(tenantId, id, { full });
    if (wait) runErrors = await waitForQuiet(hub, hub.engine.queue, tenantId, cals, rules, since, opts.signal);
  } else {
    ({ errors: runErrors, fullListings } = await syncInProcess(hub, tenantId, cals, { full }));
  }
  const mode = hub.engine ? 'queue' : 'in-process';
  const waited = mode === 'in-process' || wait;

  // Counted in the database: reading every event of a 10,000-event calendar to count it took
  // seconds at the end of every `resync --wait` (and held the embedded store's one connection).
  const stored = new Map((await opsQueries.calendarProgress(hub.store.db, cals)).map((p) => [p.id, p.events]));
  const quarantined = new Map((await quarantineSummary(hub.store.db, cals, 1)).map((q) => [q.calendarId, q.count]));
  const calendars = await Promise.all(
    (await calendarHealth(hub, tenantId, cals)).map(async (h) => {
      const error = runErrors.get(h.id) ?? h.error;
      return {
        ...h,
        accountId: own.includes(h.id) ? accountId : (await t.calendars.get(h.id))!.accountId,
        outcome: (!waited ? 'queued' : error ? 'failed' : 'ok') as 'queued' | 'failed' | 'ok',
        error,
        events: stored.get(h.id) ?? 0,
        quarantined: quarantined.get(h.id) ?? 0,
        fullListing: fullListings ? fullListings.includes(h.id) : null,
      };
    }),
  );
  const ok = !waited || calendars.every((r) => !r.error);
  return { accountId, mode, waited, full, ok, calendarList, calendars };
}
