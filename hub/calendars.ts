/** A calendar's settings: conflict and delete policies, whether it counts for its account's busy time, whether it is synced at all, and clearing the mass-change guard flag. */
import type { ConflictPolicy, DeletePolicy } from '../sync-engine/index.ts';
import type { Calendar } from '../shared/model/index.ts';
import type { GuardTally, SyncOffOptions, SyncOffRefusal } from '../shared/store/index.ts';
import { HubError, ValidationError } from '../shared/errors.ts';
import { resolveZone } from '../shared/time/index.ts';
import { startSyncing } from './accounts/connect-oauth.ts';
import { renameAtProvider } from './accounts/rename-calendar.ts';
import { dropJobsOf } from './drop-jobs.ts';
import { MissingError } from './errors.ts';
import type { Hub } from './open-hub.ts';
import { describeError } from './sync-here.ts';

export { CONFLICT_POLICIES, DELETE_POLICIES, type ConflictPolicy, type DeletePolicy } from '../sync-engine/index.ts';

/** Sets the policies given (none: only reads them) and returns the calendar's current ones. */
export async function calendarPolicy(
  hub: Hub,
  tenantId: string,
  calendarId: string,
  set: { conflictPolicy?: ConflictPolicy; deletePolicy?: DeletePolicy } = {},
): Promise<{ id: string; conflictPolicy: ConflictPolicy; deletePolicy: DeletePolicy }> {
  const sync = hub.store.tenant(tenantId).sync;
  if (!(await sync.settings(calendarId))) throw new MissingError('calendar', calendarId, tenantId);
  if (set.conflictPolicy || set.deletePolicy) await sync.setPolicies(calendarId, set);
  const s = (await sync.settings(calendarId))!;
  return { id: calendarId, conflictPolicy: s.conflictPolicy, deletePolicy: s.deletePolicy };
}

/**
 * Clears the mass-change guard's flag and approves the change it stopped: the next sync may remove
 * and rewrite as many objects as that one would have (null: the calendar was not flagged).
 */
export async function unflagCalendar(hub: Hub, tenantId: string, calendarId: string): Promise<{ allowance: GuardTally | null }> {
  const done = await hub.store.tenant(tenantId).sync.unflag(calendarId);
  if (!done) throw new MissingError('calendar', calendarId, tenantId);
  return done;
}

/**
 * Whether the calendar counts when free/busy or availability names its account (a calendar named
 * by id always counts): true or false is the tenant's choice, null goes back to the default by
 * access (the account's own and writable calendars count; ones shared with it to read do not).
 */
export async function setCountsForBusy(hub: Hub, tenantId: string, calendarId: string, counts: boolean | null): Promise<Calendar> {
  const cal = await hub.store.tenant(tenantId).calendars.setCountsForBusy(calendarId, counts);
  if (!cal) throw new MissingError('calendar', calendarId, tenantId);
  return cal;
}

/**
 * Switches the calendar's sync off (calhub drops its copy: events, busy time, sync state; the push
 * channel is stopped) or on again (a full sync, as for a new calendar). Switching off is refused
 * while mirror rules name the calendar or local changes wait to be written to it, parked deletes
 * included unless `dropParkedDeletes` says to leave their copies at the provider.
 */
export async function setCalendarSync(hub: Hub, tenantId: string, calendarId: string, enabled: boolean, opts: SyncOffOptions = {}): Promise<Calendar> {
  const t = hub.store.tenant(tenantId);
  if (opts.dropParkedDeletes && enabled) throw dropWithoutOff();
  const dropped = await parkedDeletesDropped(hub, tenantId, calendarId, enabled ? undefined : opts);
  const r = await t.setSyncEnabled(calendarId, enabled, opts);
  if (!r) throw new MissingError('calendar', calendarId, tenantId);
  if (!r.done) throw refusalError(calendarId, r);
  await afterSyncSwitch(hub, tenantId, r.calendar, r.changed, dropped);
  return r.calendar;
}

const dropWithoutOff = () => new ValidationError('dropParkedDeletes: only with syncEnabled false (it leaves the parked deletes of a calendar switched off at the provider)');

/** The parked deletes a switch off with dropParkedDeletes leaves at the provider, read before it (for its log line). */
async function parkedDeletesDropped(hub: Hub, tenantId: string, calendarId: string, opts: SyncOffOptions | undefined): Promise<number> {
  if (!opts?.dropParkedDeletes) return 0;
  const r = await hub.store.tenant(tenantId).syncOffRefusal(calendarId);
  return r?.reason === 'writes-pending' ? r.parkedDeletes : 0;
}

/** A switch done: a calendar switched on starts syncing, one switched off has its push channel stopped. */
async function afterSyncSwitch(hub: Hub, tenantId: string, cal: Calendar, changed: boolean, parkedDeletesLeft = 0): Promise<void> {
  if (!changed) return;
  const enabled = cal.syncEnabled;
  if (parkedDeletesLeft) hub.log.warn({ tenantId, calendarId: cal.id, parkedDeletesLeft }, 'calendar sync switched off with dropParkedDeletes: deletes the provider had refused are dropped, their copies stay at the provider');
  if (enabled) await startSyncing(hub, tenantId, cal.accountId, [cal.id]);
  else {
    await hub.supervisor.checkCalendar(tenantId, cal.id).catch((e: unknown) => hub.log.warn({ calendarId: cal.id, err: describeError(e) }, 'push channel not stopped yet; the supervisor retries'));
    // Its copy is gone, so its pulls and pushes have nothing to work on (mirror rules refuse the switch).
    await dropJobsOf(hub, { calendarIds: [cal.id] }, `calendar ${cal.id}`);
  }
  hub.log.info({ tenantId, accountId: cal.accountId, calendarId: cal.id, syncEnabled: enabled }, enabled ? 'calendar sync switched on' : 'calendar sync switched off; its copy was removed');
}

function refusalError(calendarId: string, r: SyncOffRefusal): HubError {
  if (r.reason === 'mirrored') {
    return new HubError('CALENDAR_MIRRORED', 'never', `calendar ${calendarId} is named by mirror rule(s) ${r.ruleIds.join(', ')}; delete them first (DELETE /v1/rules/{id}, calhub rules delete)`);
  }
  const writes = `GET /v1/calendars/${calendarId}/writes, calhub calendars writes ${calendarId}`;
  const pending = r.pending ? `${r.pending} local change(s) to calendar ${calendarId} are not yet written to the provider (${writes}); switching its sync off would lose them, so try again once they are written` : '';
  if (!r.parkedDeletes) return new HubError('WRITES_PENDING', 'never', pending);
  // A parked delete's copy stays at the provider for good once the switch drops it: said, with the way to do it on purpose.
  const parked =
    `${r.parkedDeletes} delete(s) the provider refused 3 times for their content wait in calendar ${calendarId}, offered again from ${r.retryAt} (${writes}: parked); ` +
    'switching its sync off would leave those events at the provider for good: wait until the provider takes them, or delete them there yourself and switch off with dropParkedDeletes ' +
    `(PATCH {"syncEnabled": false, "dropParkedDeletes": true}, calhub calendars sync ${calendarId} off --drop-parked-deletes)`;
  return new HubError('WRITES_PENDING', 'never', pending ? `${pending}. Also ${parked}` : parked);
}

export interface CalendarChange {
  name?: string;
  countsForBusy?: boolean | null;
  syncEnabled?: boolean;
  /** The zone calhub reads the calendar in (an IANA or Windows name), nothing written to the provider; null: the provider's again. */
  timeZone?: string | null;
  /** With syncEnabled false: switch off though parked deletes wait, leaving their copies at the provider (SyncOffOptions). */
  dropParkedDeletes?: boolean;
  /** The conflict policy, as `calhub calendars policy --conflict` sets it (calhub's own setting; nothing written to the provider). */
  conflictPolicy?: ConflictPolicy;
}

/** A zone chosen for the calendar, or null back to the provider's: see CalendarChange.timeZone. */
export async function setCalendarZone(hub: Hub, tenantId: string, calendarId: string, zone: string | null): Promise<Calendar> {
  return updateCalendar(hub, tenantId, calendarId, { timeZone: zone });
}

function chosenZone(raw: string | null | undefined): string | null | undefined {
  if (raw === undefined || raw === null) return raw;
  const zone = resolveZone(raw);
  if (zone === null) throw new HubError('ZONE_UNKNOWN', 'never', `timeZone: unknown time zone ${JSON.stringify(raw.slice(0, 80))} (an IANA or Windows name)`);
  return zone;
}

/**
 * A PATCH of several settings at once: what can be refused is asked first, so a refused request
 * changes nothing. The rename is the one step the provider can still refuse, so it goes before
 * calhub's own settings, which are then written in one transaction: one calendar.updated naming
 * every field that changed (one per field, before). A mirror rule or a local change that appears
 * between the check and the switch is the one way left to a partial change: the provider rename
 * stays, calhub's settings do not (the switch refuses under the calendar's lock).
 */
export async function updateCalendar(hub: Hub, tenantId: string, calendarId: string, change: CalendarChange): Promise<Calendar> {
  const t = hub.store.tenant(tenantId);
  const timeZone = chosenZone(change.timeZone);
  if (change.dropParkedDeletes !== undefined && change.syncEnabled !== false) throw dropWithoutOff();
  const off = { dropParkedDeletes: change.dropParkedDeletes === true };
  const cal = await t.calendars.get(calendarId);
  if (!cal) throw new MissingError('calendar', calendarId, tenantId);
  const { conflictPolicy, ...rest } = change;
  // Only the policy: none of the provider or sync-switch steps below has anything to do.
  if (Object.keys(rest).length === 0) {
    if (conflictPolicy) await t.sync.setPolicies(calendarId, { conflictPolicy });
    return cal;
  }
  let dropped = 0;
  if (change.syncEnabled === false && cal.syncEnabled) {
    const refused = await t.syncOffRefusal(calendarId, off);
    if (refused) throw refusalError(calendarId, refused);
    dropped = await parkedDeletesDropped(hub, tenantId, calendarId, off);
  }
  const name = change.name === undefined ? undefined : await renameAtProvider(hub, tenantId, cal, change.name);
  const r = await t.updateCalendarSettings(calendarId, { name, countsForBusy: change.countsForBusy, syncEnabled: change.syncEnabled, timeZone, ...off });
  if (!r) throw new MissingError('calendar', calendarId, tenantId);
  if (!r.done) throw refusalError(calendarId, r);
  // After the refusals: a refused request changes nothing.
  if (conflictPolicy) await t.sync.setPolicies(calendarId, { conflictPolicy });
  await afterSyncSwitch(hub, tenantId, r.calendar, r.changed, dropped);
  return r.calendar;
}
