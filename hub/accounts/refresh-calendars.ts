/**
 * An account's calendar list read again after connect: calendars the user added at the provider
 * start syncing, renamed or recoloured ones take the new name, and ones the provider no longer
 * lists are removed with their events — but only when a listing at least `goneAfterMs` after the
 * first one that left them out still does, so one partial answer never deletes a calendar. A
 * listing with no calendar at all, or (Google, Microsoft 365, which always list the primary) naming
 * none of the known ones, changes nothing: that is a provider's glitch or another mailbox's grant,
 * not a user deleting every calendar. A removed calendar's mirror rules go as a rule DELETE goes,
 * copies in the other calendars included.
 */
import type { Calendar } from '../../shared/model/index.ts';
import { syncRepo } from '../../shared/store/index.ts';
import { MissingError } from '../errors.ts';
import type { Hub } from '../open-hub.ts';
import { describeError } from '../sync-here.ts';
import { fillEmail, startSyncing } from './connect-oauth.ts';
import { dropJobsOf } from '../drop-jobs.ts';
import { removeRulesNaming } from '../rules.ts';

export interface CalendarListReport {
  accountId: string;
  added: Array<{ id: string; name: string }>;
  /** Listed with a new name, colour, zone, access or primary flag, or listed again after a listing left them out. */
  updated: Array<{ id: string; name: string }>;
  /** Left out by this listing; removed once a later one still leaves them out. */
  missing: Array<{ id: string; name: string; since: string }>;
  removed: Array<{ id: string; name: string }>;
  /** Why nothing was marked missing although the listing left calendars out; null when it did not. */
  guarded: string | null;
}

const LIST_TIMEOUT_MS = 30_000;
const brief = (c: Calendar) => ({ id: c.id, name: c.name });

/** `pull: false`: the caller pulls the added calendars itself (resync, which waits for them); their push channels start here either way. */
export async function refreshCalendarList(hub: Hub, tenantId: string, accountId: string, opts: { goneAfterMs?: number; signal?: AbortSignal; pull?: boolean } = {}): Promise<CalendarListReport> {
  const goneAfterMs = opts.goneAfterMs ?? hub.config.calendarGoneAfterMs;
  const t = hub.store.tenant(tenantId);
  const account = await t.accounts.get(accountId);
  if (!account) throw new MissingError('account', accountId, tenantId);
  const request = await t.accounts.listRequest(accountId);
  const { connector, ctx } = await hub.connect(account);
  const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(LIST_TIMEOUT_MS)]) : AbortSignal.timeout(LIST_TIMEOUT_MS);
  const listed = (await connector.listCalendars({ ...ctx, signal })).filter((c) => c.supportsEvents);
  const known = await t.calendars.list({ accountId });
  const listedIds = new Set(listed.map((c) => c.providerCalendarId));
  const overlap = known.filter((c) => listedIds.has(c.providerCalendarId)).length;
  // Google and Graph always list the primary calendar: naming none of the known ones is a wrong
  // answer there. A CalDAV user may have replaced their only calendar; the two listings still hold.
  const listsPrimary = account.provider !== 'caldav';
  const guarded =
    known.length > overlap && listed.length === 0 ? `the provider listed no calendar while ${known.length} are known`
    : known.length > overlap && overlap === 0 && listsPrimary ? `the provider listed none of the ${known.length} known calendars`
    : null;
  // An untrusted listing changes nothing: the calendars it names may be another mailbox's.
  const changes = guarded
    ? { added: [], updated: [], found: [], missing: known.filter((c) => c.missingSince !== null) }
    : await t.calendars.applyListing(
        accountId,
        listed.map((c) => ({ providerCalendarId: c.providerCalendarId, name: c.name, timeZone: c.timeZone, color: c.color, readOnly: c.readOnly, accessRole: c.accessRole, primary: c.primary })),
        { syncShared: hub.config.syncSharedCalendars },
      );
  if (!guarded) await fillEmail(hub, account, listed);
  await t.accounts.markCalendarsListed(accountId, request);
  const cutoff = Date.now() - goneAfterMs;
  // Only a calendar an earlier listing already left out goes: this listing alone never removes one.
  const wasMissing = new Map(known.map((c) => [c.id, c.missingSince]));
  const due = changes.missing.filter((c) => {
    const since = wasMissing.get(c.id);
    return since != null && Date.parse(since) <= cutoff;
  });
  let removed = new Set<string>();
  if (due.length && !guarded) {
    const dueIds = due.map((c) => c.id);
    // Their mirror rules go as a rule DELETE goes: copies made from a gone calendar are deleted
    // from the other calendar at its provider (left, they blocked its time for good).
    const ruleIds = await removeRulesNaming(hub, tenantId, dueIds);
    removed = new Set(await t.purgeCalendars(dueIds));
    await dropJobsOf(hub, { calendarIds: dueIds, ruleIds }, `calendars gone at the provider`);
  }
  if (changes.added.length) await startSyncing(hub, tenantId, accountId, opts.pull === false ? [] : changes.added.map((c) => c.id));

  const report: CalendarListReport = {
    accountId,
    added: changes.added.map(brief),
    updated: [...changes.updated, ...changes.found].map(brief),
    missing: changes.missing.filter((c) => c.missingSince !== null && !removed.has(c.id)).map((c) => ({ ...brief(c), since: c.missingSince! })),
    removed: due.filter((c) => removed.has(c.id)).map(brief),
    guarded,
  };
  if (guarded) hub.log.warn({ tenantId, accountId, provider: account.provider, reason: guarded }, 'calendar list looks incomplete; no calendar marked missing');
  if (report.added.length || report.removed.length || report.missing.length)
    hub.log.info({ tenantId, accountId, added: report.added.map((c) => c.id), missing: report.missing.map((c) => c.id), removed: report.removed.map((c) => c.id) }, 'calendar list changed at the provider');
  return report;
}

/**
 * The maintenance step: the accounts whose list is due (each at its own phase of the interval, plus
 * the recheck of missing or gone calendars), a few at a time, within a budget so that one slow
 * provider cannot hold the tick; the rest wait for the next tick.
 */
export async function refreshDueCalendarLists(hub: Hub, opts: { limit?: number; parallel?: number; budgetMs?: number } = {}): Promise<{ listed: number; failed: number; added: number; removed: number }> {
  const { calendarListIntervalMs: every, calendarGoneAfterMs: recheck } = hub.config;
  const due = await syncRepo.dueForCalendarList(hub.store.db, every, recheck, opts.limit ?? 100);
  const budget = AbortSignal.timeout(opts.budgetMs ?? 40_000);
  const out = { listed: 0, failed: 0, added: 0, removed: 0 };
  let next = 0;
  const lane = async () => {
    while (next < due.length && !budget.aborted) {
      const { tenantId, accountId } = due[next++]!;
      try {
        const r = await refreshCalendarList(hub, tenantId, accountId, { signal: budget });
        out.listed += 1;
        out.added += r.added.length;
        out.removed += r.removed.length;
      } catch (e) {
        out.failed += 1;
        // Listed again at its next phase; the account's syncs say more about a lasting failure.
        await hub.store.tenant(tenantId).accounts.deferCalendarList(accountId).catch(() => undefined);
        hub.log.warn({ tenantId, accountId, err: describeError(e) }, 'could not read the calendar list');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.parallel ?? 4, due.length) }, lane));
  return out;
}
