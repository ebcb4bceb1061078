/**
 * Pull: provider changes -> store. Each page is planned against the ledger (pure, plan.ts) and
 * applied with its cursor in one transaction. A full listing records what it saw, so a crash
 * between pages never deletes what an earlier page returned.
 */
import { RemoteNotFoundError, SyncCursorInvalidError, type CalendarConnector, type ChangePage, type RemoteChange } from '../connectors/index.ts';
import { contentHash, objectHash, type CanonicalEvent } from '../shared/model/index.ts';
import { SyncCursorResetError } from '../shared/errors.ts';
import type { GuardTally, LedgerEntry, PreparedPage, StoredEvent, TenantStore } from '../shared/store/index.ts';
import { MassChangeError, type EngineDeps } from './deps.ts';
import { openCalendar } from './open-calendar.ts';
import { planPage, setAside, SET_ASIDE_HASH } from './plan.ts';
import type { Fence } from './fence.ts';
import { runCommitted } from './run-scope.ts';
import { DEFAULT_GUARD, guardVerdict, type GuardCounts } from './guard.ts';
import { appliedBefore, countRestOfRun, GuardTripped, lastPage, tripAt } from './guard-run.ts';
import { InstanceOwners, type StillHeld } from './screen.ts';
import { remadeReason } from './remade.ts';
import { screenAgainstStore, stillHeldAt } from './store-screen.ts';
import { overrideOnlyUids, dropOffRuleCancellations, overrideKey, strandedCancellations } from './off-rule.ts';

export interface PullResult {
  pages: number;
  applied: number;
  deleted: number;
  rewritten: number;
  echoes: number;
  conflicts: number;
  quarantined: number;
  fullListing: boolean;
}

const MAX_PAGES = 10_000;

/**
 * `asks`: the pulls of this calendar asked for so far (pull-asks.ts), read as the listing starts
 * and as its last page arrives; when it grew in between, the run lists again from the cursor it
 * reaches (fetched while the last page is written) and `onServed` gets the count it then serves.
 */
export interface PullOptions {
  full?: boolean;
  fence?: Fence;
  asks?: () => Promise<number>;
  onServed?: (asks: number) => void;
}

export async function pullCalendar(deps: EngineDeps, tenantId: string, calendarId: string, opts: PullOptions = {}): Promise<PullResult> {
  const { t, calendar: cal, settings, connector, ctx, ref } = await openCalendar(deps, tenantId, calendarId);
  // Read before the first request of the listing: every ask counted here is one it serves.
  const askedAtStart = opts.asks ? await opts.asks().catch(() => null) : null;
  let askedAtEnd: number | null = null;
  let again: Promise<ChangePage> | null = null;
  const guard = deps.guard ?? DEFAULT_GUARD;
  const known = await t.ledger.count(calendarId);

  const result: PullResult = { pages: 0, applied: 0, deleted: 0, rewritten: 0, echoes: 0, conflicts: 0, quarantined: 0, fullListing: false };
  // Cursor and epoch read together: a cursor cleared since (calendar-cursor.ts) refuses this run's commits.
  const start = (await t.cursor.state(calendarId)) ?? { cursor: cal.syncCursor, epoch: 0, resetReason: null };
  let epoch = start.epoch;
  const at = (value: string): CursorCommit => ({ value, epoch });
  let cursor = opts.full ? null : start.cursor;
  // calhub's own writes no completed pull has covered, read before the listing starts: a listing
  // whose token repeats may not report them (capabilities.listingMayMissOwnWrites), so the connector
  // reads what it left unsaid of these; a write recorded after this read waits for the next pull.
  const written = connector.capabilities.listingMayMissOwnWrites ? await t.written.pending(calendarId) : null;
  const hints = written?.remoteIds.length ? written.remoteIds : undefined;
  const list = (c: string | null) => connector.listChanges(ctx, ref, c, hints);
  let restarted = false;
  let resetMeanwhile = false;
  // The run lists in full because calhub saw the calendar go away at the provider: its removals are
  // what deleting the calendar there did (remade.ts), which the guard's flag then says.
  let goneBefore = cursor === null ? start.resetReason : null;
  if (cursor === null) await t.listing.reset(calendarId);
  // The mass-change guard: checked before each page is applied, against the size at the start.
  // What an unflag approved (the change the guard stopped) is let through once; spent below.
  const allowance = settings.guardAllowance;
  let cancelled = 0;
  const checkGuard = async (counts: GuardCounts) => {
    const total = { deleted: result.deleted + counts.deleted, rewritten: result.rewritten + counts.rewritten, cancelled: cancelled + counts.cancelled };
    const verdict = guardVerdict(guard, known, total, allowance);
    if (verdict) throw new GuardTripped(verdict, total);
    cancelled += counts.cancelled;
  };
  // One run's listing: two objects holding one instance clash whichever pages they arrive in.
  const owners = new InstanceOwners();
  const stillHeld = stillHeldAt(connector, ctx, ref);
  // Tripped: the flag shows the whole run, and approves what is left of it (guard-run.ts).
  const flagWholeRun = async (trip: GuardTripped): Promise<never> => {
    const applied: GuardCounts = { deleted: result.deleted, rewritten: result.rewritten, cancelled };
    const rest = await countRestOfRun(
      trip,
      (c) => connector.listChanges(ctx, ref, c),
      async (changes, full) => (await planChanges(t, calendarId, changes, full, settings, connector, new InstanceOwners(), stillHeld)).plan.counts,
      () => t.listing.unseen(calendarId),
      MAX_PAGES - result.pages,
      applied,
    );
    const whole = { deleted: applied.deleted + rest.left.deleted, rewritten: applied.rewritten + rest.left.rewritten, cancelled: applied.cancelled + rest.left.cancelled };
    const verdict = `${(rest.complete && guardVerdict(guard, known, whole, allowance)) || trip.verdict}${appliedBefore(applied)}${rest.complete ? '' : '; the rest of the listing could not be read to count it'}`;
    // A full listing stopped part way lists in full again after the unflag: its cursor would skip the deletions at its end.
    if (result.fullListing || cursor === null) await t.calendars.setCursor(calendarId, null);
    return flag(t, calendarId, remadeReason(goneBefore, whole.deleted + whole.cancelled, verdict), { removed: rest.left.deleted + rest.left.cancelled, rewritten: rest.left.rewritten });
  };

  let ahead: Promise<ChangePage> | null = null;
  // The fetched-ahead page's rows and busy spans, made while this page is written (PostgreSQL).
  let aheadMade: Promise<PreparedPage | null> | null = null;
  let served = askedAtStart;
  try {
    for (;;) {
      if (result.pages >= MAX_PAGES) throw new Error(`calendar ${calendarId}: listing exceeded ${MAX_PAGES} pages`);
      let page: ChangePage;
      try {
        page = await (ahead ?? list(cursor));
      } catch (e) {
        ahead = null;
        aheadMade = null;
        // The calendar is gone at the provider: if it comes back (made again at the same address) its
        // cursor may name the new one too, so it is not trusted; the pull that finds it lists in full.
        if (e instanceof RemoteNotFoundError && (start.cursor !== null || start.resetReason === null)) await t.cursor.drop(calendarId, 'not_found');
        // An expired cursor becomes one bounded full listing that diffs against the ledger.
        if (!(e instanceof SyncCursorInvalidError) || cursor === null || restarted) throw e;
        deps.log.warn({ calendarId }, 'sync cursor invalid; starting a full resync');
        restarted = true;
        cursor = null;
        owners.clear();
        await t.calendars.setCursor(calendarId, null);
        await t.listing.reset(calendarId);
        continue;
      }
      result.pages += 1;
      if (page.mode === 'full') result.fullListing = true;
      // The next page is fetched while this one is written, so provider latency overlaps store work.
      // Reading ahead is harmless: only the applied page's cursor is ever committed.
      const made = aheadMade ? await aheadMade : null;
      ahead = page.hasMore ? list(page.nextCursor) : null;
      ahead?.catch(() => undefined); // awaited (and its error handled) on the next turn, or dropped with the run
      if (!page.hasMore && askedAtStart !== null) {
        const now = await opts.asks!().catch(() => null);
        if (now !== null && now > askedAtStart) {
          askedAtEnd = now;
          again = connector.listChanges(ctx, ref, page.nextCursor);
          again.catch(() => undefined);
        }
      }
      // What is made ahead is only a head start: the write takes it for the objects it applies
      // unchanged and makes the rest itself, so a failure here costs nothing but the time.
      aheadMade = ahead ? ahead.then((p) => t.events.prepare(calendarId, p.changes)).catch(() => null) : null;
      try {
        await applyPage(deps, t, calendarId, page.changes, page.mode === 'full', at(page.nextCursor), settings, result, checkGuard, opts.fence, connector, owners, made, stillHeld).catch(tripAt(page, ahead));
      } catch (e) {
        // The cursor was cleared while this run listed (the calendar was found back after it was
        // missing): the clear wins, and the run lists again in full under the new epoch.
        if (!(e instanceof SyncCursorResetError) || resetMeanwhile) throw e;
        deps.log.info({ calendarId }, 'sync cursor cleared while the pull ran; listing in full');
        resetMeanwhile = true;
        ahead = null;
        aheadMade = null;
        again = null;
        const now = await t.cursor.state(calendarId);
        epoch = now?.epoch ?? epoch;
        goneBefore = now?.resetReason ?? goneBefore;
        cursor = null;
        owners.clear();
        await t.listing.reset(calendarId);
        continue;
      }
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }

    if (result.fullListing) {
      const gone = await t.listing.unseen(calendarId);
      if (gone.length && known >= guard.minObjects && gone.length >= known && !(allowance && allowance.removed >= known)) {
        // The pages' cursor is committed: without the clear, the run after an unflag would list
        // incrementally from it and never delete what this listing left out.
        await t.calendars.setCursor(calendarId, null);
        await flag(t, calendarId, remadeReason(goneBefore, known, `a full listing came back empty while ${known} objects were known`), { removed: known, rewritten: result.rewritten });
      }
      const deletes = gone.map((remoteId): RemoteChange => ({ kind: 'delete', remoteId }));
      if (gone.length) await applyPage(deps, t, calendarId, deletes, false, at(cursor!), settings, result, checkGuard, opts.fence, connector).catch(tripAt(lastPage(deletes, cursor), null));
      // The listing is complete and applied: what it saw is no longer needed (~160 bytes per event).
      await t.listing.reset(calendarId);
    }
    // The pull completed: the approved change is applied, and the guard is whole again.
    if (allowance) await t.sync.spendAllowance(calendarId);
    await t.cursor.settle(calendarId, epoch, start.readAt);
    // The listing covered every write recorded before it started.
    if (written?.upTo) await t.written.covered(calendarId, written.upTo);
    if (again && (await listAgain(deps, t, calendarId, again, settings, result, checkGuard, opts.fence, connector, ctx, ref, at))) served = askedAtEnd;
  } catch (e) {
    if (e instanceof GuardTripped) await flagWholeRun(e);
    throw e;
  }
  if (served !== null) opts.onServed?.(served);
  if (result.applied + result.deleted > 0) deps.onCalendarChanged?.(tenantId, calendarId);
  deps.metrics?.eventsApplied.inc({ kind: 'upsert' }, result.applied);
  deps.metrics?.eventsApplied.inc({ kind: 'delete' }, result.deleted);
  return result;
}

/**
 * The listing again from the cursor the run reached, for pulls asked for while it ran. False when
 * the provider did not answer it as an incremental listing: the queued follow-up pull then does
 * it as a run of its own (with the queue's retries). What it applies fails the run as any page does.
 */
async function listAgain(
  deps: EngineDeps,
  t: TenantStore,
  calendarId: string,
  first: Promise<ChangePage>,
  settings: NonNullable<Awaited<ReturnType<TenantStore['sync']['settings']>>>,
  result: PullResult,
  checkGuard: (counts: GuardCounts) => Promise<void>,
  fence: Fence | undefined,
  connector: Awaited<ReturnType<typeof openCalendar>>['connector'],
  ctx: Awaited<ReturnType<typeof openCalendar>>['ctx'],
  ref: Awaited<ReturnType<typeof openCalendar>>['ref'],
  at: (cursor: string) => CursorCommit,
): Promise<boolean> {
  let next: Promise<ChangePage> | null = first;
  const owners = new InstanceOwners();
  while (next) {
    if (result.pages >= MAX_PAGES) throw new Error(`calendar ${calendarId}: listing exceeded ${MAX_PAGES} pages`);
    let page: ChangePage;
    try {
      page = await next;
    } catch (e) {
      deps.log.debug({ err: e, calendarId }, 'listing again for pulls asked during the run failed; the follow-up pull will');
      return false;
    }
    if (page.mode === 'full') return false;
    result.pages += 1;
    next = page.hasMore ? connector.listChanges(ctx, ref, page.nextCursor) : null;
    next?.catch(() => undefined);
    await applyPage(deps, t, calendarId, page.changes, false, at(page.nextCursor), settings, result, checkGuard, fence, connector, owners).catch(tripAt(page, next));
  }
  return true;
}

async function flag(t: TenantStore, calendarId: string, reason: string, counts: GuardTally): Promise<never> {
  await t.sync.flag(calendarId, reason, counts);
  throw new MassChangeError(`mass-change guard stopped the sync of calendar ${calendarId}: ${reason}`);
}

/**
 * Objects one transaction applies on the embedded database while a lighter tenant has a run going.
 * PGlite has one session, and a transaction holds it to its end: a 500-object page of one
 * tenant's listing held it 150-750 ms, and every other tenant's statement (its own sync's, the
 * API's) waited behind it (issue 12); the pieces are also where a heavy tenant rests
 * (tenant-pace.ts), and between them its next transaction waits for the lighter tenant's
 * statements (session-turns.ts). In pieces, the page's cursor goes with the last one: a crash in
 * between re-applies the page from the cursor before it, which finds the pieces already written
 * unchanged. Alone, or as the lighter tenant, a page stays one transaction: ten commits per page
 * made a lone 10,000-event sync about twice as slow on PGlite (12.6 s against 6.6 s), and split
 * too, the victim's own page in the hostile-neighbour test took 6 commits instead of one.
 * PostgreSQL serves other sessions meanwhile, so there pages stay whole.
 */
export const EMBEDDED_APPLY_CHUNK = 50;

/** What applying a page and applying one of its pieces share, after the changes and the cursor. */
type ApplyRest = [
  settings: NonNullable<Awaited<ReturnType<TenantStore['sync']['settings']>>>,
  result: PullResult,
  checkGuard: (counts: GuardCounts) => Promise<void>,
  fence: Fence | undefined,
  connector: Pick<CalendarConnector, 'provider' | 'capabilities'>,
  owners?: InstanceOwners,
  prepared?: PreparedPage | null,
  stillHeld?: StillHeld,
];

/** A cursor to commit with a page, and the epoch the calendar's cursor must still have (calendar-cursor.ts). */
type CursorCommit = { value: string; epoch: number };

async function applyPage(deps: EngineDeps, t: TenantStore, calendarId: string, changes: RemoteChange[], fullPage: boolean, cursor: CursorCommit, ...rest: ApplyRest): Promise<void> {
  const heavy = deps.store.db.embedded === true && (deps.pace?.yieldsToAny(t.tenantId) ?? false);
  const chunk = deps.applyChunk ?? (heavy ? EMBEDDED_APPLY_CHUNK : Infinity);
  // An empty page still commits its cursor.
  const pieces: RemoteChange[][] = [];
  for (let i = 0; i < changes.length; i += chunk) pieces.push(changes.slice(i, i + chunk));
  if (pieces.length === 0) pieces.push([]);
  for (const [i, piece] of pieces.entries()) {
    const last = i === pieces.length - 1;
    const started = performance.now();
    await applyChanges(deps, t, calendarId, piece, fullPage, last ? cursor : undefined, ...rest);
    runCommitted();
    await deps.pace?.after(t.tenantId, performance.now() - started);
  }
}

/** Applies changes in one transaction; with `cursor`, commits it with them. */
/**
 * A page planned against the store as it is (screened, Google's off-rule cancellations turned into
 * deletes), written by nothing: what applyChanges applies, and what the guard counts of the pages
 * a tripped run does not apply (guard-run.ts).
 */
async function planChanges(
  t: TenantStore,
  calendarId: string,
  input: RemoteChange[],
  fullPage: boolean,
  settings: ApplyRest[0],
  connector: ApplyRest[4],
  owners: InstanceOwners,
  stillHeld: StillHeld | undefined,
  prepared?: PreparedPage | null,
) {
  let changes = await screenAgainstStore(t, calendarId, input, owners, stillHeld);
  changes = await withoutOffRuleCancellations(t, calendarId, changes, fullPage, !connector.capabilities.overridesInMasterObject);
  const remoteIds = changes.map((c) => c.remoteId);
  const ledger = await t.ledger.get(calendarId, remoteIds);
  const uidsOf = (c: RemoteChange): string[] =>
    c.kind === 'upsert' ? [...new Set(c.events.map((e) => e.uid))] : ledger.get(c.remoteId) ? [ledger.get(c.remoteId)!.uid] : [];
  const uids = changes.flatMap(uidsOf);
  const pending = await t.outbox.editedAt(calendarId, uids);
  const local = new Map<string, CanonicalEvent[]>();
  for (const uid of pending.keys()) local.set(uid, (await t.events.byUid(calendarId, uid)).map((r) => r.event));

  const apart = !connector.capabilities.overridesInMasterObject;
  const sent = pending.size ? await t.outbox.sent(calendarId, [...pending.keys()]) : undefined;
  const hashOf = prepared ? (c: Extract<RemoteChange, { kind: 'upsert' }>) => prepared.objectHash(c) : undefined;
  const unstored = fullPage ? await lostRows(t, calendarId, changes, ledger) : undefined;
  const plan = planPage({ changes, ledger, pendingUids: pending, local, policy: settings.conflictPolicy, deletePolicy: settings.deletePolicy, now: new Date(), apart, sent, hashOf, unstored });
  return { changes, remoteIds, ledger, uids, pending, plan };
}

/**
 * Of a full page's objects, those the ledger knows as a master or single event that the store holds
 * no row under: a copy series' master whose row lost its id stayed so through every full listing
 * (each read it as unchanged), and the store disagreed with the provider for good.
 */
async function lostRows(t: TenantStore, calendarId: string, changes: RemoteChange[], ledger: Map<string, LedgerEntry>): Promise<Set<string>> {
  const lost = new Set<string>();
  const ids: string[] = [];
  for (const c of changes) {
    const known = c.kind === 'upsert' ? ledger.get(c.remoteId) : undefined;
    // A base kept as the rows themselves reads empty once they are gone.
    if (known?.baseStored && known.base.length === 0) lost.add(c.remoteId);
    else if (known?.base.some((e) => e.originalStart === null)) ids.push(c.remoteId);
  }
  const held = await t.events.holding(calendarId, ids);
  for (const id of ids) if (!held.has(id)) lost.add(id);
  return lost;
}

async function applyChanges(deps: EngineDeps, t: TenantStore, calendarId: string, input: RemoteChange[], fullPage: boolean, cursor: CursorCommit | undefined, ...rest: ApplyRest): Promise<void> {
  const [settings, result, checkGuard, fence, connector, owners, prepared, stillHeld] = rest;
  const { provider } = connector;
  const { changes, remoteIds, ledger, uids, pending, plan } = await planChanges(t, calendarId, input, fullPage, settings, connector, owners ?? new InstanceOwners(), stillHeld, prepared);
  for (const c of changes) {
    if (c.kind === 'upsert' && c.warnings?.length) deps.log.warn({ calendarId, remoteId: c.remoteId, warnings: c.warnings }, 'provider item kept with a fallback reading');
  }
  await checkGuard(plan.counts);
  // The page, its cursor, the ledger, the outbox and its conflicts: one unit of work, fenced.
  const applied = await t.transaction(async (tx) => {
    await fence?.(tx);
    // A local change committed since the plan read the outbox: planned without it, the page would
    // be written over it (the hub's edit lost, nothing left to push). Under the lock, none can come.
    await tx.events.lock(calendarId);
    if (!samePending(await tx.outbox.editedAt(calendarId, uids), pending)) return null;
    const was = new Map<string, StoredEvent[]>();
    for (const uid of plan.ownAnswers) was.set(uid, await tx.events.byUid(calendarId, uid));
    const out = await tx.events.applyRemoteChanges(calendarId, plan.apply, { cursor: cursor?.value, cursorEpoch: cursor?.epoch, prepared });
    // The answer to calhub's own create, found by UID after it was lost: stored as push stores an
    // answer it heard (writtenByCalhub, and the etag the hub's write had still matches).
    for (const [uid, rows] of was) await tx.events.answeredOwnWrite(calendarId, uid, rows);
    // An object the store set aside keeps the rows it had (the last good copy, or none): a known
    // one keeps the base both sides agreed on, with a hash that matches nothing, so that putting
    // it back as it was is read again (plan.ts setAside); a new one keeps its base as sent.
    const aside = new Set(out.quarantinedIds);
    await tx.ledger.put(calendarId, plan.ledgerPut.map((e) => {
      if (!aside.has(e.remoteId) || e.baseHash === SET_ASIDE_HASH) return e;
      const was = ledger.get(e.remoteId);
      return was ? setAside(was, e.providerVersion) : { ...e, baseStored: false };
    }));
    await tx.ledger.delete(calendarId, plan.ledgerDelete);
    if (fullPage) await tx.listing.seen(calendarId, remoteIds);
    // Before the outbox entries go: a parked conflict keeps its local change's ifFree from them.
    await tx.conflicts.record(calendarId, plan.conflicts);
    for (const uid of plan.outboxDrop) await tx.outbox.done(calendarId, uid, null);
    for (const uid of plan.outboxRecreate) await tx.outbox.upsert(calendarId, uid, 'put');
    // In the same commit as the change: the missed-change check reads it (channel-activity.ts).
    if (plan.fromProvider > 0) await tx.calendars.noteProviderChange(calendarId);
    return out;
  });
  // Planned again with the new local changes; the guard has counted this page already.
  if (applied === null) return applyChanges(deps, t, calendarId, changes, fullPage, cursor, settings, result, async () => {}, fence, connector, owners, prepared, stillHeld);
  const recorded = plan.conflicts;
  result.applied += plan.counts.applied;
  result.deleted += plan.counts.deleted;
  result.rewritten += plan.counts.rewritten;
  result.echoes += plan.counts.echoes;
  // The store also quarantines items that parse but fail validation, so its count is the one.
  result.quarantined += applied.quarantined;
  if (applied.quarantined) deps.metrics?.quarantined.inc(applied.quarantined);
  for (const cut of applied.truncated) {
    // Not an error of the item: it is stored, but its busy time stops where the budget ran out.
    deps.log.warn({ calendarId, uid: cut.uid, reason: cut.reason }, 'series expansion cut short: its busy time stops early');
    deps.metrics?.seriesTruncated.inc();
  }
  result.conflicts += recorded.length;
  if (plan.counts.echoes) deps.metrics?.echoesSuppressed.inc(plan.counts.echoes);
  for (const c of recorded) deps.metrics?.conflicts.inc({ outcome: c.outcome });
  const now = Date.now();
  for (const c of plan.apply) {
    if (c.kind !== 'upsert') continue;
    const at = Math.max(0, ...c.events.map((e) => (e.providerUpdatedAt ? Date.parse(e.providerUpdatedAt) || 0 : 0)));
    if (at > 0 && now - at < 86_400_000) deps.metrics?.propagationLag.observe({ provider, direction: 'inbound' }, Math.max(0, now - at) / 1000);
  }
  if (plan.outboxRecreate.length || plan.keepsLocal) deps.onOutbox?.(t.tenantId, calendarId);
}

/**
 * The page with Google's cancelled exceptions off their series' moved rule turned into deletes
 * (off-rule.ts), and, where overrides are objects of their own (`apart`), deletes added for the
 * stored cancelled overrides a moved master in the page leaves off its rule (strandedCancellations;
 * only masters that changed since the ledger's last agreement are looked at).
 * On a full listing (`full`) a held override row that is exactly the plain occurrence Google also
 * holds there goes too (rows earlier versions stored), unless its series has changes to push. The
 * stored masters are read only for such objects whose master the page lacks.
 */
async function withoutOffRuleCancellations(t: TenantStore, calendarId: string, changes: RemoteChange[], full: boolean, apart: boolean): Promise<RemoteChange[]> {
  const uids = overrideOnlyUids(changes);
  const apartMasters = apart ? await changedMasters(t, calendarId, changes) : [];
  if (uids.length === 0 && apartMasters.length === 0) return changes;
  const cal = await t.calendars.get(calendarId);
  if (!cal) return changes;
  const all = [...new Set([...uids, ...apartMasters])];
  const pending = await t.outbox.editedAt(calendarId, all);
  const settled = new Set(all.filter((u) => !pending.has(u)));
  const inPage = new Set(changes.flatMap((c) => (c.kind === 'upsert' ? c.events.filter((e) => e.originalStart === null).map((e) => e.uid) : [])));
  const stored = new Map<string, CanonicalEvent>();
  const held = new Map<string, string>();
  const rowsOf = new Map<string, StoredEvent[]>();
  for (const uid of all) {
    const rows = await t.events.byUid(calendarId, uid);
    rowsOf.set(uid, rows);
    for (const r of rows) if (r.event.originalStart !== null) held.set(overrideKey(r.event), contentHash(r.event));
    const master = rows.find((r) => r.event.originalStart === null);
    if (master && !inPage.has(uid)) stored.set(uid, master.event);
  }
  const out = dropOffRuleCancellations(changes, stored, cal.timeZone, full ? held : new Set(held.keys()), settled);
  const stranded = strandedCancellations(out, rowsOf, cal.timeZone, settled);
  return stranded.length ? [...out, ...stranded.map((remoteId): RemoteChange => ({ kind: 'delete', remoteId }))] : out;
}

/** The UIDs of recurring masters in the page (objects of their own) whose content differs from what the ledger last agreed: one query. */
async function changedMasters(t: TenantStore, calendarId: string, changes: RemoteChange[]): Promise<string[]> {
  const masters = changes.filter((c): c is Extract<RemoteChange, { kind: 'upsert' }> => c.kind === 'upsert' && c.events.length === 1 && c.events[0]!.originalStart === null && c.events[0]!.recurrence !== null);
  if (masters.length === 0) return [];
  const ledger = await t.ledger.get(calendarId, masters.map((c) => c.remoteId));
  return [...new Set(masters.filter((c) => ledger.get(c.remoteId)?.baseHash !== objectHash(c.events)).map((c) => c.events[0]!.uid))];
}

const samePending = (a: Map<string, number>, b: Map<string, number>): boolean => a.size === b.size && [...a].every(([uid, at]) => b.get(uid) === at);
