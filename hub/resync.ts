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
  /** The account's calendar list, read while the known calendars pull (calendars added, removed or renamed at the provider); `error` when it could not be read; null when not read (an account not active, or a resync of many accounts). */
  calendarList: CalendarListReport | { error: string } | null;
  calendars: Array<
    CalendarHealth & {
      accountId: string;
      /** `flagged`: stopped by the mass-change guard, so not synced (nothing queued) until it is unflagged; `error` says how. */
      outcome: 'queued' | 'failed' | 'ok' | 'flagged';
      events: number;
      quarantined: number;
      fullListing: boolean | null;
    }
  >;
}

/**
 * `signal`: stop waiting (the command that asked for the wait went away); the syncs go on.
 * `listCalendars: false`: leave the calendar list to the maintenance step (a resync of a whole
 * tenant or deployment, where one listing per account would add up).
 */
export async function resync(hub: Hub, accountId: string, opts: { full?: boolean; wait?: boolean; signal?: AbortSignal; listCalendars?: boolean } = {}): Promise<ResyncReport> {
  const full = Boolean(opts.full);
  const wait = Boolean(opts.wait);
  const tenantId = await syncRepo.accountTenant(hub.store.db, accountId);
  if (!tenantId) throw new MissingError('account', accountId);
  const t = hub.store.tenant(tenantId);
  const account = await t.accounts.get(accountId);
  // A disabled or disconnected-at-the-provider account is listed when it is active again.
  const listing = account?.status !== 'active' || opts.listCalendars === false ? Promise.resolve(null) : refreshCalendarList(hub, tenantId, accountId, { signal: opts.signal, pull: false }).catch((e: unknown) => ({ error: describeError(e) }));
  const scopeNow = async () => {
    // A calendar whose sync is off has nothing to pull.
    const own = (await t.calendars.list({ accountId, synced: true })).map((c) => c.id);
    const rules = (await t.mirror.list()).filter((r) => own.includes(r.sourceCalendarId) || own.includes(r.targetCalendarId));
    const cals = [...new Set([...own, ...rules.flatMap((r) => [r.sourceCalendarId, r.targetCalendarId])])];
    // A flagged calendar syncs nothing until it is unflagged: its pull would only be skipped (and
    // waited for in vain), so it is reported instead of queued.
    const flagged = new Set<string>();
    for (const id of cals) if ((await t.sync.settings(id))?.flaggedReason) flagged.add(id);
    return { own, rules, cals, flagged, syncing: cals.filter((id) => !flagged.has(id)) };
  };

  let runErrors = new Map<string, string>();
  let fullListings: string[] | null = null;
  let calendarList: Awaited<typeof listing>;
  let scope: Awaited<ReturnType<typeof scopeNow>>;
  if (hub.engine) {
    const since = await storeNow(hub.store.db);
    const before = await scopeNow();
    // The known calendars' pulls start while the list is read, so reading it adds nothing to the wait.
    for (const id of before.syncing) await hub.engine.requestPull(tenantId, id, { full });
    calendarList = await listing;
    scope = await scopeNow();
    for (const id of scope.syncing) if (!before.syncing.includes(id)) await hub.engine.requestPull(tenantId, id, { full });
    if (wait) runErrors = await waitForQuiet(hub, hub.engine.queue, tenantId, scope.syncing, scope.rules, since, opts.signal);
  } else {
    calendarList = await listing;
    scope = await scopeNow();
    ({ errors: runErrors, fullListings } = await syncInProcess(hub, tenantId, scope.syncing, { full }));
  }
  const { own, cals, flagged } = scope;
  const mode = hub.engine ? 'queue' : 'in-process';
  const waited = mode === 'in-process' || wait;

  // Counted in the database: reading every event of a 10,000-event calendar to count it took
  // seconds at the end of every `resync --wait` (and held the embedded store's one connection).
  const stored = new Map((await opsQueries.calendarProgress(hub.store.db, cals)).map((p) => [p.id, p.events]));
  const quarantined = new Map((await quarantineSummary(hub.store.db, cals, 1)).map((q) => [q.calendarId, q.count]));
  const calendars = await Promise.all(
    (await calendarHealth(hub, tenantId, cals)).map(async (h) => {
      const stopped = flagged.has(h.id);
      const error = stopped ? `CALENDAR_FLAGGED: not synced: ${h.error ?? `flagged by the mass-change guard (calhub calendars unflag ${h.id} --tenant ${tenantId})`}` : (runErrors.get(h.id) ?? h.error);
      return {
        ...h,
        accountId: own.includes(h.id) ? accountId : (await t.calendars.get(h.id))!.accountId,
        outcome: (stopped ? 'flagged' : !waited ? 'queued' : error ? 'failed' : 'ok') as ResyncReport['calendars'][number]['outcome'],
        error,
        events: stored.get(h.id) ?? 0,
        quarantined: quarantined.get(h.id) ?? 0,
        fullListing: fullListings ? fullListings.includes(h.id) : null,
      };
    }),
  );
  // A flagged calendar is not synced whether or not the command waits: the resync did not do all it was asked.
  const ok = calendars.every((r) => r.outcome !== 'flagged' && (!waited || !r.error));
  return { accountId, mode, waited, full, ok, calendarList, calendars };
}
