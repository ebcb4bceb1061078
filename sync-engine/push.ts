/**
 * Push, the applier: the outbox -> provider, with preconditions. The pure planner (push-plan.ts)
 * decides each step — look the UID up (so a create whose answer was lost is never repeated),
 * create, update or delete if-match, refetch and re-merge after a 412, adopt the provider's side,
 * park, recreate — and this file performs it. Each ending commits in one unit of work with its
 * conflicts, journal entry and the run's fence; success records the provider's version in the
 * ledger so the echo of this write is recognized.
 */
import { CannotRestoreError, PreconditionFailedError, RemoteNotFoundError, type CalendarConnector, type CarriedField, type ConnectorContext, type RemoteCalendarRef } from '../connectors/index.ts';
import { isHubError } from '../shared/errors.ts';
import { scrubSecrets } from '../shared/logger.ts';
import { contentHash, eventTimeKey, SEND_UPDATES, storableText, type CanonicalEvent } from '../shared/model/index.ts';
import { parkedDeleteRetryAt, REFUSALS_BEFORE_PARKING, type LedgerEntry, type OutboxEntry, type QuarantinedItem, type StoredEvent, type SyncSettings, type TenantRepos, type TenantStore } from '../shared/store/index.ts';
import type { EngineDeps } from './deps.ts';
import { foldCancelledOverrides, settleCancelledLive } from './cancelled-instances.ts';
import { openCalendar } from './open-calendar.ts';
import { droppedOverrides } from './plain-occurrences.ts';
import { EXCEPTIONS_RESET, goneConflict } from './occurrence-gone.ts';
import { objectHash } from './object-hash.ts';
import { deleteDamagedCopy, isOwnCopy } from './recreate-copy.ts';
import type { Fence } from './fence.ts';
import { runCommitted } from './run-scope.ts';
import { fieldValue, keyOf } from './merge.ts';
import { asAgreed } from './plan.ts';
import { deleteState, planPush, putState, type Heard, type PushAction, type PushState } from './push-plan.ts';

export interface PushResult {
  written: number;
  failed: number;
  conflicts: number;
}

interface PushScope {
  deps: EngineDeps;
  t: TenantStore;
  calendarId: string;
  connector: CalendarConnector;
  ctx: ConnectorContext;
  ref: RemoteCalendarRef;
  settings: SyncSettings;
  runId: string;
  result: PushResult;
  fence: Fence | undefined;
  /** The calendar has items set aside as unreadable (usually not: then no entry is looked up for them). */
  unreadable: boolean;
  /** UIDs of mirror copies with a refusal standing (copy-refusals.ts; usually none): a write that gets through clears theirs. */
  refused: Set<string>;
  /** Occurrence keys of a copy refused during this push, by UID: they stay when the rest of its write got through. */
  refusedNow: Map<string, string[]>;
}

const MAX_REPLANS = 3;

type DroppedOverride = ReturnType<typeof droppedOverrides>[number];

const isMasterObject = (l: LedgerEntry) => l.base.some((e) => e.originalStart === null);

/** Errors that end this push (the job retries it later); anything else sets just that entry aside. */
const retryable = (e: unknown) => isHubError(e) && ['backoff', 'delay', 'refresh'].includes(e.retry);
/**
 * The provider refused the content itself (CalDAV's valid-calendar-data or a bare 400, a shape Graph
 * cannot hold, an event that fails validation), or something unforeseen: only changing the event
 * helps, so these count toward parking it (REFUSALS_BEFORE_PARKING).
 */
const refusedContent = (e: unknown) => !isHubError(e) || ['CONNECTOR_UNSUPPORTED', 'PROVIDER_CANNOT_RESTORE', 'CONNECTOR_INVALID_DATA', 'VALIDATION_FAILED', 'INVALID_REQUEST'].includes(e.code);

export async function pushCalendar(deps: EngineDeps, tenantId: string, calendarId: string, runId: string, fence?: Fence): Promise<PushResult> {
  const { t, settings, connector, ctx, ref } = await openCalendar(deps, tenantId, calendarId);
  const scope: PushScope = {
    deps,
    t,
    calendarId,
    connector,
    ctx,
    ref,
    settings,
    runId,
    result: { written: 0, failed: 0, conflicts: 0 },
    fence,
    unreadable: (await t.events.unreadable(calendarId)).size > 0,
    refused: await t.refusals.uidsIn(calendarId),
    refusedNow: new Map(),
  };
  for (const entry of await t.outbox.pending(calendarId)) {
    try {
      if ((await pushEntry(scope, entry)) === HELD) continue;
      if (scope.refused.has(entry.uid)) await t.refusals.clear(calendarId, entry.uid, { keep: scope.refusedNow.get(entry.uid) });
      const lag = Date.now() - entry.changedAt.getTime();
      if (lag >= 0 && lag < 86_400_000) deps.metrics?.propagationLag.observe({ provider: connector.provider, direction: 'outbound' }, lag / 1000);
    } catch (e) {
      if (retryable(e)) throw e;
      scope.result.failed += 1;
      const message = storableText(e instanceof Error ? e.message : String(e));
      const refused = refusedContent(e);
      // Replaced while it was pushed: the new write is tried by the next push, and this answer is not about it.
      if (!(await t.outbox.failed(calendarId, entry.uid, message, refused, entry.token))) {
        deps.log.info({ calendarId, uid: entry.uid, op: entry.op, err: e }, 'a local change failed to be written, but was replaced meanwhile; the new one is written by the next push');
        continue;
      }
      await recordCopyRefusal(scope, entry.uid, '', { code: isHubError(e) ? e.code : 'INTERNAL', message });
      const refusals = refused ? entry.attempts + 1 : entry.attempts;
      const parked = refused && refusals >= REFUSALS_BEFORE_PARKING;
      // A deleted event is never changed again: its parked delete is offered again after a wait instead.
      const retryAt = refused ? parkedDeleteRetryAt(entry.op, refusals, new Date()) : null;
      deps.log.warn(
        { calendarId, uid: entry.uid, op: entry.op, code: isHubError(e) ? e.code : undefined, refusals, retryAt: retryAt?.toISOString(), err: e },
        retryAt ? 'the provider refused a delete again; it is parked and offered again after a wait'
          : parked ? 'the provider refused a local change again; it is parked until the event is changed' : 'a local change could not be written; it stays in the outbox',
      );
    }
  }
  return scope.result;
}

/**
 * A refusal of a mirror copy's write, kept where its rule shows it (GET /v1/rules/{id} refusals):
 * a copy's refused write was only in its outbox entry or a conflict, and its rule said nothing while
 * each run asked again. The rule is the copy's provenance stamp (its rows, else the version last
 * agreed on: a refused delete has no rows left); a UID no rule made is no copy and is not kept.
 */
async function recordCopyRefusal(s: PushScope, uid: string, occurrence: string, { code, message }: { code: string; message: string }, tx: Pick<TenantRepos, 'events' | 'ledger' | 'refusals'> = s.t): Promise<void> {
  const rows = (await tx.events.byUid(s.calendarId, uid)).map((r) => r.event);
  const events = rows.length ? rows : (await tx.ledger.byUid(s.calendarId, uid)).flatMap((l) => l.base);
  const ruleId = events.find((e) => e.provenance?.hub === 'calhub' && e.provenance.ruleId)?.provenance?.ruleId;
  if (!ruleId) return;
  const text = scrubSecrets(message);
  await tx.refusals.record(s.calendarId, { ruleId, uid, occurrence, code, message: text.length > 500 ? `${text.slice(0, 499)}…` : text });
  s.refused.add(uid);
  if (occurrence) s.refusedNow.set(uid, [...(s.refusedNow.get(uid) ?? []), occurrence]);
}

/** An entry left waiting, neither written nor failed (an item of its UID is quarantined). */
const HELD = Symbol('held');

/**
 * Whether every one of these quarantined items is a mirror copy, calhub's own (its last agreed
 * version, or its kept rows, carry calhub's provenance stamp): written over or deleted, it loses
 * nothing of anyone's.
 */
export function ownCopies(items: Array<Pick<QuarantinedItem, 'remoteId'>>, ledger: LedgerEntry[], rows: Array<Pick<StoredEvent, 'remoteId' | 'event'>>): boolean {
  return items.every((q) => {
    const events = ledger.find((l) => l.remoteId === q.remoteId)?.base ?? rows.filter((r) => r.remoteId === q.remoteId).map((r) => r.event);
    return events.length > 0 && events.every((e) => e.provenance?.hub === 'calhub');
  });
}

/** `recreated`: the copy's damaged objects were deleted at the provider in this push (recreate-copy.ts). */
async function pushEntry(s: PushScope, entry: OutboxEntry, recreated = false): Promise<void | typeof HELD> {
  const rows = await s.t.events.byUid(s.calendarId, entry.uid);
  const ledger = await s.t.ledger.byUid(s.calendarId, entry.uid);
  // An item of the UID could not be read at the provider: written over, whatever made it so (a
  // change made there) was lost unseen. The change waits in the outbox; when the item is readable
  // again the pull merges the two, and a delete at the provider settles it as any delete does.
  const unreadable = s.unreadable ? await s.t.events.unreadableOfUid(s.calendarId, entry.uid) : [];
  if (unreadable.length && !ownCopies(unreadable, ledger, rows)) {
    s.deps.log.debug({ calendarId: s.calendarId, uid: entry.uid, remoteIds: unreadable.map((q) => q.remoteId) }, 'a local change waits: its item at the provider is quarantined');
    return HELD;
  }
  const settings = { policy: s.settings.conflictPolicy, deletePolicy: s.settings.deletePolicy, editedAt: entry.changedAt.getTime() };
  if (rows.length === 0) {
    let known = ledger;
    if (known.length === 0) {
      // Never agreed on a version, yet a create may have reached the provider before its answer
      // was lost: look it up so the delete does not leave it behind.
      const found = await s.connector.findObjectByUid(s.ctx, s.ref, entry.uid);
      if (found) known = [{ remoteId: found.remoteId, uid: entry.uid, base: found.events, baseHash: objectHash(found.events), providerVersion: found.version }];
    }
    if (known.length === 0) return commit(s, entry, { kind: 'skip' }, null, true);
    // The series master goes first and takes its exceptions along (Google, Graph). Deleting an
    // exception first changed the master (Graph records the cancelled occurrence on it), so the
    // master's delete met a 412, saw a modification and, with modify-wins, brought it back.
    known = [...known].sort((a, b) => Number(!isMasterObject(a)) - Number(!isMasterObject(b)));
    for (const [i, k] of known.entries()) {
      const last = i === known.length - 1;
      const end = await pushObject(s, entry, deleteState(entry.uid, k, settings), k.base, last);
      if (end.kind === 'adopt-remote' || end.kind === 'park') {
        // The provider's modification of one object came back: the hub's delete of the UID ends.
        if (!last) await commit(s, entry, { kind: 'skip' }, null, true);
        return;
      }
    }
    return;
  }
  const stored = s.connector.capabilities.cancelledInstancesAsExdates ? await foldInStore(s, entry, rows, ledger) : rows;
  const events = stored.map((r) => ({ ...r.event, providerEventId: r.remoteId }));
  const objects = s.connector.capabilities.overridesInMasterObject
    ? [{ remoteId: stored.find((r) => r.remoteId)?.remoteId ?? null, events }]
    : events.map((e) => ({ remoteId: namesAnInstance(e, ledger) ? null : e.providerEventId, events: [e] }));
  const dropped = s.connector.capabilities.overridesInMasterObject ? [] : await droppedInStore(s, events, ledger);
  // The provider discarded the series' overrides when its master was written: each is written
  // again as a new instance, whatever the ledger last agreed on (the master comes first).
  let rewrite = false;
  for (const [i, obj] of objects.entries()) {
    const last = i === objects.length - 1 && dropped.length === 0;
    const known = obj.remoteId ? ledger.find((l) => l.remoteId === obj.remoteId) : undefined;
    const again = rewrite && obj.events[0]?.originalStart != null;
    let planned = again ? putState(entry.uid, { remoteId: null, events: obj.events }, undefined, settings) : putState(entry.uid, obj, known, settings);
    // An instance written for the first time was agreed on as its series held it: the base of a
    // merge with what the provider made of it meanwhile.
    if (!known && !again && obj.events.length === 1 && obj.events[0]!.originalStart) planned = { ...planned, base: asAgreed(obj.events, events) };
    // A conference asked for an event that has none is a write even when nothing else changed.
    const lone = obj.events.length === 1 ? obj.events[0] : undefined;
    const state = entry.conference && lone && !lone.originalStart && !lone.conferenceUrl ? { ...planned, force: true } : planned;
    let end: PushAction;
    try {
      const versions = obj.events[0]?.recurrence ? occurrenceVersions(s, ledger) : null;
      end = await pushObject(s, objectEntry(s, entry, obj.events, known?.base), state, known?.base ?? null, last, versions);
    } catch (e) {
      // A copy's occurrence deleted at a provider that cannot bring it back: the copy is made anew.
      if (e instanceof CannotRestoreError && !recreated && (await isOwnCopy(s, entry.uid, events, ledger))) {
        await deleteDamagedCopy(s, entry, ledger);
        s.deps.log.info({ calendarId: s.calendarId, uid: entry.uid }, 'an occurrence of a mirror copy was deleted at the provider, which cannot bring it back; the copy is deleted there and written anew');
        return pushEntry(s, entry, true);
      }
      const lone = obj.events.length === 1 && obj.events[0]!.originalStart !== null;
      if (e instanceof RemoteNotFoundError && lone && !again && !known && obj.remoteId === null) {
        await occurrenceGone(s, entry, events, obj.events[0]!, last);
        continue;
      }
      // Not an occurrence of the new pattern: nothing of it is left to write.
      if (!(again && e instanceof RemoteNotFoundError)) throw e;
      s.deps.log.info({ calendarId: s.calendarId, uid: entry.uid }, 'an override is no longer an occurrence of its series; not written again');
      if (last) await commit(s, entry, { kind: 'skip' }, null, true);
      continue;
    }
    // Where the object holds the whole UID, its ending is the UID's. Where each instance is an
    // object of its own, the provider's side standing for one of them (parked under manual,
    // adopted under another policy) settles that instance only: the series' other changed
    // instances are still to write. Ending the UID there left them in the hub, unwritten, with an
    // empty outbox (an occurrence edited next to a parked one never reached Graph or Google).
    if ((end.kind === 'adopt-remote' || end.kind === 'park') && (s.connector.capabilities.overridesInMasterObject || endsSeries(end, obj.events))) {
      if (!last) await commit(s, entry, { kind: 'skip' }, null, true);
      return;
    }
    if (end.kind === 'written' && end.object.overridesDropped) rewrite = true;
  }
  if (dropped.length) await revertDropped(s, entry, dropped, rewrite);
}

/**
 * Whether the provider's side standing for this object (objects apart) leaves the series' other
 * instances nothing to be written to: the series (or single event) deleted there, or its times or
 * pattern changed there, so the occurrences the hub changed are not where it changed them (the
 * pull and occurrence-gone.ts settle those). An instance's ending, or a master's that keeps its
 * occurrences where they were, leaves the other instances' changes to write.
 */
function endsSeries(end: Extract<PushAction, { kind: 'adopt-remote' | 'park' }>, events: CanonicalEvent[]): boolean {
  if (events.length === 1 && events[0]!.originalStart !== null) return false;
  const theirs = end.remote?.events.find((e) => e.originalStart === null);
  const ours = events.find((e) => e.originalStart === null);
  if (!theirs || !ours) return true;
  return (['start', 'recurrence'] as const).some((f) => fieldValue(theirs, f) !== fieldValue(ours, f));
}

/**
 * A master or single event stored under the id of one of its series' instances (an override, where
 * overrides are objects of their own): written there, its body went over that instance, recurrence
 * and all. Its own object is looked up by UID instead.
 */
function namesAnInstance(e: CanonicalEvent, ledger: LedgerEntry[]): boolean {
  if (e.originalStart !== null || !e.providerEventId) return false;
  const base = ledger.find((l) => l.remoteId === e.providerEventId)?.base;
  return base !== undefined && base.length > 0 && base.every((b) => b.originalStart !== null);
}

/**
 * The entry as one object's write sees it: the sendUpdates of the writes that changed that object's
 * occurrences, so a quiet answer to one occurrence is not sent loudly because a loud answer to
 * another is pending (Google and Graph write each occurrence by its own request). Where the
 * provider holds the whole UID as one object (CalDAV), one PUT carries every change: the widest
 * stands, as an invitation one write asked for must not be lost to a quieter one. An entry from
 * before the per-occurrence record (no keys at all) has only the widest.
 */
function objectEntry(s: PushScope, entry: OutboxEntry, events: CanonicalEvent[], base: CanonicalEvent[] | undefined): OutboxEntry {
  const byKey = entry.sendUpdatesByKey;
  if (s.connector.capabilities.overridesInMasterObject || Object.keys(byKey).length === 0) return entry;
  const keys = [...events, ...(base ?? [])].map((e) => (e.originalStart ? eventTimeKey(e.originalStart) : ''));
  const ranks = keys.map((k) => byKey[k]).filter((v) => v !== undefined).map((v) => SEND_UPDATES.indexOf(v));
  return { ...entry, sendUpdates: ranks.length ? SEND_UPDATES[Math.max(...ranks)]! : null };
}

/**
 * A change of one occurrence the provider no longer has (cancelled there meanwhile; Graph cannot
 * bring it back): the cancellation stands, the hub's override goes and the conflict is recorded.
 * It was retried on every run ("series … has no occurrence at …") and never written.
 */
async function occurrenceGone(s: PushScope, entry: OutboxEntry, events: CanonicalEvent[], gone: CanonicalEvent, last: boolean): Promise<void> {
  const key = eventTimeKey(gone.originalStart!);
  const master = events.find((e) => e.originalStart === null);
  const { policy, fields, outcome } = await goneConflict(s.connector, s.ctx, s.ref, master, key);
  const recorded = await s.t.transaction(async (tx) => {
    await s.fence?.(tx);
    await tx.events.lock(s.calendarId);
    if ((await tx.outbox.token(s.calendarId, entry.uid)) === entry.token) {
      // The rows as they are now: a master created earlier in this push has its id only there
      // (the events this push started from had none, and written back, the row lost it).
      const now = (await tx.events.byUid(s.calendarId, entry.uid)).map((r) => ({ ...r.event, providerEventId: r.remoteId }));
      await tx.events.writeLocal(s.calendarId, entry.uid, now.filter((e) => !e.originalStart || eventTimeKey(e.originalStart) !== key));
    }
    // Once per occurrence: written again (a mirror rule did on every run), the same refusal is no news.
    const known = await tx.conflicts.recorded(s.calendarId, entry.uid, policy, fields);
    if (!known) await tx.conflicts.record(s.calendarId, [{ uid: entry.uid, remoteId: master?.providerEventId ?? null, policy, fields, base: null, local: [gone], remote: null, outcome }]);
    // A copy's rule asks for it again on each run: each time is counted where the rule shows it.
    if (gone.provenance?.hub === 'calhub' && policy !== EXCEPTIONS_RESET) {
      await recordCopyRefusal(s, entry.uid, key, {
        code: 'PROVIDER_CANNOT_RESTORE',
        message: `the provider has no occurrence at ${key} any more (cancelled or deleted there) and cannot bring it back; the copy's change of it is dropped`,
      }, tx);
    }
    if (last) await tx.outbox.done(s.calendarId, entry.uid, entry.token);
    return !known;
  });
  if (recorded) s.result.conflicts += 1;
  s.deps.log.info({ calendarId: s.calendarId, uid: entry.uid, policy }, policy === EXCEPTIONS_RESET
    ? 'an occurrence changed here is no longer in its series: the series changed at the provider, which dropped its exceptions; the change is lost'
    : 'an occurrence changed here was cancelled at the provider, which cannot bring it back; the cancellation stands');
}

/** The overrides the provider holds apart that the hub's events of the UID no longer have (plain-occurrences.ts). */
async function droppedInStore(s: PushScope, events: CanonicalEvent[], ledger: LedgerEntry[]): Promise<DroppedOverride[]> {
  let dropped = droppedOverrides(events, ledger, s.ref.timeZone);
  // Graph lists a cancelled instance only as its master's EXDATE: a cancellation written here
  // would leave the store a row Graph never lists. Its cancellations come from the master.
  if (s.connector.capabilities.cancelledInstancesAsExdates) dropped = dropped.filter((d) => d.event.status !== 'cancelled');
  if (dropped.length === 0) return dropped;
  const setAside = new Set((await s.t.events.quarantined(s.calendarId)).map((q) => q.remoteId));
  return dropped.filter((d) => !setAside.has(d.known.remoteId));
}

/**
 * Whether `now` is the override last agreed on (`base`) but for fields it took from its master's
 * new content (which `series` holds): the provider's echo of the hub's own master write. Which
 * fields a provider carries so is the connector's to say (capabilities.fieldsCarriedToOverrides).
 */
export function echoOfMaster(now: CanonicalEvent, base: CanonicalEvent, series: CanonicalEvent, carried: readonly CarriedField[]): boolean {
  const undone: CanonicalEvent = { ...now };
  for (const f of carried) if (now[f] === series[f]) (undone as Record<CarriedField, unknown>)[f] = base[f];
  return contentHash(undone) === contentHash(base);
}

/**
 * Writes each dropped override back as the plain occurrence (or cancels it where its series has
 * no occurrence any more), then ends the outbox entry. `gone`: the master's write made the
 * provider discard the series' overrides already, so only the ledger forgets them.
 */
async function revertDropped(s: PushScope, entry: OutboxEntry, dropped: DroppedOverride[], gone: boolean): Promise<void> {
  for (const { known, event } of dropped) {
    // Where the provider shows it so already there is nothing to write.
    if (!gone && known.baseHash !== objectHash([event])) {
      const write = { remoteId: known.remoteId, events: [{ ...event, providerEventId: known.remoteId }], sendUpdates: objectEntry(s, entry, [event], known.base).sendUpdates, current: known.base };
      try {
        await s.connector.putObject(s.ctx, s.ref, write, { ifMatch: known.providerVersion ?? '*' });
        s.result.written += 1;
      } catch (e) {
        if (!(e instanceof PreconditionFailedError || e instanceof RemoteNotFoundError)) throw e;
        if (e instanceof PreconditionFailedError) {
          // The master's own write may have changed it: a provider that carries a series' new
          // title or location into its exceptions gives each a new version (Google, A.8). Dropped
          // here, the old exception stayed beside the one moved with the series. Only a change made
          // elsewhere stands.
          const fresh = await s.connector.getObject(s.ctx, s.ref, known.remoteId).catch((err: unknown) => (err instanceof RemoteNotFoundError ? null : Promise.reject(err)));
          const [now] = fresh?.events ?? [];
          if (fresh && now && now.status !== 'cancelled') {
            const changed = !echoOfMaster(now, known.base[0]!, event, s.connector.capabilities.fieldsCarriedToOverrides ?? []);
            // Changed elsewhere: the hub's drop against that change, settled by the delete policy.
            if (changed && s.settings.deletePolicy !== 'delete-wins') {
              await droppedChangedElsewhere(s, entry, known, event, fresh.events);
              continue;
            }
            await s.connector.putObject(s.ctx, s.ref, write, { ifMatch: fresh.version ?? '*' });
            s.result.written += 1;
            if (changed) await droppedChangedElsewhere(s, entry, known, event, fresh.events);
          }
        }
      }
    }
    // Neither the plain occurrence nor a cancellation where the series has no occurrence any more
    // (it moved) is an override: the hub keeps no row for either and the ledger forgets it, as the
    // pull drops it (off-rule.ts). Kept, the cancellation was an override GET answered and webhooks
    // named at the series' old time; the plain occurrence (a series moved by whole days, whose old
    // original start is another occurrence) was a new override row the next move carried along.
    await s.t.transaction(async (tx) => {
      await s.fence?.(tx);
      await tx.ledger.delete(s.calendarId, [known.remoteId]);
    });
  }
  await commit(s, entry, { kind: 'skip' }, null, true);
}

/**
 * An override the hub dropped (its series moved) that someone changed at the provider meanwhile:
 * recorded as a conflict naming the occurrence, so the API's conflicts say which change stood.
 * Left unrecorded, the other client's version stayed beside the moved occurrence unannounced.
 * Once per occurrence and policy: a push retried after it meets the same change again.
 */
async function droppedChangedElsewhere(s: PushScope, entry: OutboxEntry, known: LedgerEntry, event: CanonicalEvent, remote: CanonicalEvent[]): Promise<void> {
  const policy = s.settings.deletePolicy;
  const fields = [`${eventTimeKey(event.originalStart!)}:deleted`];
  const outcome = policy === 'delete-wins' ? 'deleted' : 'remote';
  const recorded = await s.t.transaction(async (tx) => {
    await s.fence?.(tx);
    if (await tx.conflicts.recorded(s.calendarId, entry.uid, policy, fields)) return false;
    await tx.conflicts.record(s.calendarId, [{ uid: entry.uid, remoteId: known.remoteId, policy, fields, base: known.base, local: [event], remote, outcome }]);
    return true;
  });
  if (recorded) s.result.conflicts += 1;
  s.deps.log.info(
    { calendarId: s.calendarId, uid: entry.uid, remoteId: known.remoteId, policy },
    outcome === 'remote' ? 'an override the hub dropped was changed at the provider meanwhile; that version stands' : 'an override the hub dropped was changed at the provider meanwhile; the drop stands',
  );
}

/**
 * For a provider that holds cancelled instances only as EXDATEs (Graph): the store's cancelled
 * overrides of this UID become EXDATEs of its master before the push, so store and provider list
 * the same events afterwards. A newer local edit of the UID is left to its own push.
 */
async function foldInStore(s: PushScope, entry: OutboxEntry, rows: StoredEvent[], ledger: LedgerEntry[]): Promise<StoredEvent[]> {
  const events = rows.map((r) => ({ ...r.event, providerEventId: r.remoteId }));
  const agreed = ledger.flatMap((l) => l.base).find((e) => e.originalStart === null && e.recurrence) ?? null;
  const settled = settleCancelledLive(events, s.settings.deletePolicy, agreed);
  const folded = foldCancelledOverrides(settled.events);
  if (folded === events) return rows;
  const master = events.find((e) => e.originalStart === null);
  const done = await s.t.transaction(async (tx) => {
    await s.fence?.(tx);
    await tx.events.lock(s.calendarId);
    if ((await tx.outbox.token(s.calendarId, entry.uid)) !== entry.token) return false;
    await tx.events.writeLocal(s.calendarId, entry.uid, folded);
    if (settled.keys.length) {
      const live = events.filter((e) => e.originalStart && settled.keys.includes(eventTimeKey(e.originalStart)));
      await tx.conflicts.record(s.calendarId, [{
        uid: entry.uid, remoteId: master?.providerEventId ?? null, policy: s.settings.deletePolicy, fields: settled.keys.map((k) => `${k}:deleted`),
        base: null, local: master ? [master] : null, remote: live, outcome: s.settings.deletePolicy === 'modify-wins' ? 'remote' : 'deleted',
      }]);
    }
    return true;
  });
  if (done && settled.keys.length) {
    s.result.conflicts += 1;
    s.deps.log.info({ calendarId: s.calendarId, uid: entry.uid }, 'an occurrence cancelled here was changed at the provider meanwhile; the delete policy settled it');
  }
  return done ? s.t.events.byUid(s.calendarId, entry.uid) : rows;
}

/**
 * Plans and performs one object's change until the planner ends it, commits the ending and returns
 * it. An `adopt-remote` or `park` ending settled the whole outbox entry (the provider's side stands).
 */
async function pushObject(
  s: PushScope, entry: OutboxEntry, state: PushState, before: CanonicalEvent[] | null, last: boolean, occurrences: Record<string, string | null> | null = null,
): Promise<PushAction> {
  let lastError: unknown = null;
  let writes = 0;
  for (;;) {
    const { action, next } = planPush(state);
    if (action.kind === 'fail') throw lastError;
    const heard = await perform(s, action, entry, occurrences).catch((e: unknown): Heard => {
      // A create's lookup answered 404: nothing there. Other failures of a read end the push.
      if (action.kind === 'lookup' && next.looking === 'create' && e instanceof RemoteNotFoundError) return { kind: 'found', remote: null };
      // The version a refused write was to be merged against is gone: deleted at the provider (at
      // Google a cancelled event, as when its undelete was refused). That is a write answered 404,
      // so the delete policy decides; ending the push here left the local edit unwritten.
      if (action.kind === 'fetch' && e instanceof RemoteNotFoundError && ++writes <= MAX_REPLANS) {
        lastError = e;
        return { kind: 'not-found' };
      }
      if (action.kind === 'lookup' || action.kind === 'fetch') throw e;
      // Only a provider's refusal of a write is something to re-plan on, and only so often.
      if (!(e instanceof PreconditionFailedError || e instanceof RemoteNotFoundError) || ++writes > MAX_REPLANS) throw e;
      lastError = e;
      return e instanceof PreconditionFailedError ? { kind: 'precondition-failed', holder: e.holder } : { kind: 'not-found' };
    });
    if (heard === null) {
      await commit(s, entry, action, before, last);
      return action;
    }
    state = { ...next, heard };
  }
}

/**
 * The version last agreed on of each override the provider holds apart from its series (Graph),
 * by original start: a master write that cancels one of them deletes it on that version, so a
 * change made there since is not deleted unseen. Null where overrides live in the master object.
 */
function occurrenceVersions(s: PushScope, ledger: LedgerEntry[]): Record<string, string | null> | null {
  if (s.connector.capabilities.overridesInMasterObject) return null;
  const out: Record<string, string | null> = {};
  for (const l of ledger) {
    const o = l.base.length === 1 ? l.base[0]!.originalStart : null;
    if (o) out[eventTimeKey(o)] = l.providerVersion;
  }
  return out;
}

/** A provider step and what the provider answered; null for an ending, which is committed instead. */
async function perform(s: PushScope, a: PushAction, entry: OutboxEntry, occurrenceVersions: Record<string, string | null> | null = null): Promise<Heard | null> {
  const { sendUpdates, conference } = entry;
  switch (a.kind) {
    case 'lookup':
      return { kind: 'found', remote: await s.connector.findObjectByUid(s.ctx, s.ref, entry.uid) };
    case 'fetch':
      return { kind: 'fetched', remote: await s.connector.getObject(s.ctx, s.ref, a.remoteId), seenAt: new Date() };
    case 'create':
    case 'recreate': {
      const remoteId = a.kind === 'create' ? a.remoteId : null;
      // Should the answer be lost, the next pull knows the object it finds by UID by this.
      const keys = a.events.map((e) => keyOf(e));
      await s.t.outbox.sending(s.calendarId, entry.uid, a.events.map((e, i) => [keys[i]!, e]));
      try {
        const object = await s.connector.putObject(s.ctx, s.ref, { remoteId, events: a.events.map((e) => ({ ...e, providerEventId: remoteId })), sendUpdates, conference }, { ifNoneMatch: '*' });
        return { kind: 'written', object };
      } catch (e) {
        // Refused: the provider holds another version there (an occurrence changed there first), not this one.
        if (e instanceof PreconditionFailedError) await s.t.outbox.notSent(s.calendarId, entry.uid, keys);
        throw e;
      }
    }
    case 'update-if-match': {
      const write = { remoteId: a.remoteId, events: a.events.map((e) => ({ ...e, providerEventId: a.remoteId })), sendUpdates, conference, current: a.current, occurrenceVersions };
      const object = await s.connector.putObject(s.ctx, s.ref, write, { ifMatch: a.ifMatch });
      return { kind: 'written', object };
    }
    case 'delete-if-match':
      await s.connector.deleteObject(s.ctx, s.ref, a.remoteId, a.ifMatch ? { ifMatch: a.ifMatch } : null, { sendUpdates });
      return { kind: 'deleted' };
    default:
      return null;
  }
}

/**
 * Commits an ending in one unit of work: the rows, the ledger, the outbox entry, the journal
 * entry and the conflicts met on the way, behind the run's fence.
 */
async function commit(s: PushScope, entry: OutboxEntry, a: PushAction, before: CanonicalEvent[] | null, last: boolean): Promise<void> {
  const { calendarId, runId } = s;
  if (a.kind === 'written' || (a.kind === 'deleted' && a.wrote)) s.result.written += 1;
  const conflicts = 'conflicts' in a ? (a.conflicts ?? []) : [];
  // An object that holds its whole UID settles the hub's rows of it that were never sent: a new
  // override the merge after a 412 dropped (the provider's EXDATE won) has no remote id to go by.
  const settles = s.connector.capabilities.overridesInMasterObject ? { settlesUnsent: true } : {};
  let recorded = false;
  await s.t.transaction(async (tx) => {
    recorded = false;
    await s.fence?.(tx);
    switch (a.kind) {
      case 'skip':
        if (last) await tx.outbox.done(calendarId, entry.uid, entry.token);
        return;
      case 'written': {
        const o = a.object;
        await tx.events.lock(calendarId);
        // A newer local edit made while we wrote stays: only the ledger learns the new version.
        // The provider's answer (its id, version and the fields it fills in) is the version calhub
        // wrote: stored as calhub's own, so neither the next pull nor an app sees an outside edit.
        if ((await tx.outbox.token(calendarId, entry.uid)) === entry.token) {
          const was = await tx.events.byUid(calendarId, entry.uid);
          await tx.events.applyRemoteChanges(calendarId, [{ kind: 'upsert', remoteId: o.remoteId, version: o.version, events: o.events, ...settles }]);
          await tx.events.answeredOwnWrite(calendarId, entry.uid, was);
        }
        await tx.ledger.put(calendarId, [{ remoteId: o.remoteId, uid: entry.uid, base: o.events, baseHash: objectHash(o.events), providerVersion: o.version }]);
        await tx.listing.written(calendarId, [o.remoteId]);
        if (s.connector.capabilities.listingMayMissOwnWrites) await tx.written.record(calendarId, [o.remoteId]);
        // Recorded first: a parked conflict keeps the ifFree of the outbox entry being cleared.
        await tx.conflicts.record(calendarId, conflicts);
        if (last) await tx.outbox.done(calendarId, entry.uid, entry.token);
        await tx.journal.add(runId, { calendarId, uid: entry.uid, remoteId: o.remoteId, op: a.op, before, after: o.events });
        recorded = true;
        return;
      }
      case 'deleted':
        await tx.ledger.delete(calendarId, [a.remoteId]);
        if (s.connector.capabilities.listingMayMissOwnWrites) await tx.written.record(calendarId, [a.remoteId]);
        await tx.journal.add(runId, { calendarId, uid: entry.uid, remoteId: a.remoteId, op: 'delete', before, after: null });
        // A delete-wins delete over a change made at the provider (a 412 refetched) is a conflict too.
        await tx.conflicts.record(calendarId, conflicts);
        recorded = true;
        if (last) await tx.outbox.done(calendarId, entry.uid, entry.token);
        return;
      case 'adopt-remote':
      case 'park': {
        // A local change made while this one was pushed (another occurrence changed through the
        // API) is not this object's to settle: stored over, the provider's object took its rows
        // with it (a CalDAV series lost an override no push had sent), and the entry's end dropped
        // its change unrecorded. Nothing is committed: the push that change queued merges the
        // provider's side with it again, conflict and all (agreeing on the provider's version here
        // would have that push write the hub's side of a parked field over the provider's).
        await tx.events.lock(calendarId);
        if ((await tx.outbox.token(calendarId, entry.uid)) !== entry.token) return;
        // The provider's side (or its deletion) stands: store it, agree on it, drop the local change.
        const r = a.remote;
        if (r) {
          await tx.events.applyRemoteChanges(calendarId, [{ kind: 'upsert', remoteId: r.remoteId, version: r.version, events: r.events, ...settles }]);
          await tx.ledger.put(calendarId, [{ remoteId: r.remoteId, uid: entry.uid, base: r.events, baseHash: objectHash(r.events), providerVersion: r.version }]);
          await tx.listing.written(calendarId, [r.remoteId]);
        } else {
          const gone = (a as { remoteId: string }).remoteId;
          // Where the object held the whole UID, its rows no push has sent go with it (no orphans).
          const unsent = s.connector.capabilities.overridesInMasterObject ? { settlesUnsentOf: entry.uid } : {};
          await tx.events.applyRemoteChanges(calendarId, [{ kind: 'delete', remoteId: gone, ...unsent }]);
          await tx.ledger.delete(calendarId, [gone]);
        }
        // Recorded first: a parked conflict keeps the ifFree of the outbox entry being dropped.
        await tx.conflicts.record(calendarId, conflicts);
        recorded = true;
        // The UID's other objects may still have changes to write (pushEntry); the last ends the entry.
        if (last) await tx.outbox.done(calendarId, entry.uid, entry.token);
        return;
      }
      default:
        throw new Error(`push: ${a.kind} is not an ending`);
    }
  });
  if (recorded) s.result.conflicts += conflicts.length;
  runCommitted();
}
