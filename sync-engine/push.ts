/**
 * Push: the outbox -> provider, with preconditions. A 412 refetches, re-merges and retries; a
 * create first looks the UID up so a create whose response was lost is never repeated; success
 * records the provider's version in the ledger so the echo of this write is recognized.
 */
import {
  PreconditionFailedError,
  RemoteNotFoundError,
  type CalendarConnector,
  type ConnectorContext,
  type RemoteCalendarRef,
  type RemoteObject,
  type WritePrecondition,
} from '../connectors/index.ts';
import { isHubError } from '../shared/errors.ts';
import type { CanonicalEvent } from '../shared/model/index.ts';
import type { LedgerEntry, OutboxEntry, SyncSettings, TenantStore } from '../shared/store/index.ts';
import type { EngineDeps } from './deps.ts';
import { openCalendar } from './open-calendar.ts';
import { merge3 } from './merge.ts';
import { objectHash } from './object-hash.ts';
import type { Fence } from './fence.ts';

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
}

const MAX_REPLANS = 3;

/** Errors that end this push (the job retries it later); anything else parks just that entry. */
const retryable = (e: unknown) => isHubError(e) && ['backoff', 'delay', 'refresh'].includes(e.retry);

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
  };
  for (const entry of await t.outbox.pending(calendarId)) {
    try {
      await pushEntry(scope, entry);
    } catch (e) {
      if (retryable(e)) throw e;
      scope.result.failed += 1;
      const message = e instanceof Error ? e.message : String(e);
      await t.outbox.failed(calendarId, entry.uid, message);
      deps.log.warn({ calendarId, uid: entry.uid, code: isHubError(e) ? e.code : undefined, err: e }, 'a local change could not be written; it stays in the outbox');
    }
  }
  return scope.result;
}

async function pushEntry(s: PushScope, entry: OutboxEntry): Promise<void> {
  const rows = await s.t.events.byUid(s.calendarId, entry.uid);
  const ledger = await s.t.ledger.byUid(s.calendarId, entry.uid);
  if (rows.length === 0) return pushDelete(s, entry, ledger);

  const events = rows.map((r) => ({ ...r.event, providerEventId: r.remoteId }));
  const objects = s.connector.capabilities.overridesInMasterObject
    ? [{ remoteId: rows.find((r) => r.remoteId)?.remoteId ?? null, events }]
    : events.map((e) => ({ remoteId: e.providerEventId, events: [e] }));
  for (const [i, obj] of objects.entries()) {
    const last = i === objects.length - 1;
    const known = obj.remoteId ? ledger.find((l) => l.remoteId === obj.remoteId) : undefined;
    if (known && known.baseHash === objectHash(obj.events)) {
      if (last) await s.t.outbox.done(s.calendarId, entry.uid, entry.token);
      continue; // the provider already holds exactly this
    }
    const written = await writeObject(s, entry, obj, known);
    if (!written) return;
    await commitWrite(s, entry, written.object, known ?? null, written.op, last);
  }
}

async function writeObject(
  s: PushScope,
  entry: OutboxEntry,
  obj: { remoteId: string | null; events: CanonicalEvent[] },
  known: LedgerEntry | undefined,
): Promise<{ object: RemoteObject; op: 'create' | 'update' } | null> {
  let target = obj.remoteId;
  let events = obj.events;
  let base = known?.base ?? null;
  let pre: WritePrecondition = known?.providerVersion ? { ifMatch: known.providerVersion } : { ifNoneMatch: '*' };
  if (target === null || !known?.providerVersion) {
    // Idempotent create: an earlier attempt may have succeeded without us hearing back.
    const found = await s.connector.findObjectByUid(s.ctx, s.ref, entry.uid).catch((e: unknown) => {
      if (e instanceof RemoteNotFoundError) return null;
      throw e;
    });
    if (found && objectHash(found.events) === objectHash(events)) return { object: found, op: 'create' };
    if (found) {
      target = found.remoteId;
      pre = { ifMatch: found.version ?? '*' };
    } else {
      pre = { ifNoneMatch: '*' };
    }
  }
  for (let attempt = 0; ; attempt++) {
    try {
      const object = await s.connector.putObject(s.ctx, s.ref, { remoteId: target, events: events.map((e) => ({ ...e, providerEventId: target })) }, pre);
      return { object, op: 'ifNoneMatch' in pre ? 'create' : 'update' };
    } catch (e) {
      if (attempt >= MAX_REPLANS) throw e;
      if (e instanceof RemoteNotFoundError && target) {
        // Deleted remotely while we edited: the delete policy decides.
        if (s.settings.deletePolicy === 'delete-wins') {
          const gone = target;
          await s.t.transaction(async (tx) => {
            await s.fence?.(tx);
            await tx.events.applyRemoteChanges(s.calendarId, [{ kind: 'delete', remoteId: gone }]);
            await tx.ledger.delete(s.calendarId, [gone]);
            await tx.outbox.done(s.calendarId, entry.uid, null);
            await tx.conflicts.record(s.calendarId, [{ uid: entry.uid, remoteId: gone, policy: 'delete-wins', fields: ['deleted'], base, local: events, remote: null, outcome: 'deleted' }]);
          });
          s.result.conflicts += 1;
          return null;
        }
        target = null;
        pre = { ifNoneMatch: '*' };
        continue;
      }
      if (!(e instanceof PreconditionFailedError)) throw e;
      if (!target) {
        // Someone created the same UID meanwhile: adopt it and merge against it.
        const found = await s.connector.findObjectByUid(s.ctx, s.ref, entry.uid);
        if (!found) throw e;
        target = found.remoteId;
      }
      const remote = await s.connector.getObject(s.ctx, s.ref, target);
      const m = merge3({ base, local: events, remote: remote.events, policy: s.settings.conflictPolicy, deletePolicy: s.settings.deletePolicy, localIsNewer: true });
      if (m.conflicts.length) {
        s.result.conflicts += 1;
        await s.t.conflicts.record(s.calendarId, [
          { uid: entry.uid, remoteId: target, policy: s.settings.conflictPolicy, fields: m.conflicts, base, local: events, remote: remote.events, outcome: m.parked ? 'parked' : m.outcome },
        ]);
      }
      if (m.outcome === 'remote') {
        await adoptRemote(s, entry, remote);
        return null;
      }
      events = m.events;
      base = remote.events;
      pre = { ifMatch: remote.version ?? '*' };
    }
  }
}

/** The provider's side stands: store it, agree on it, and drop the local change. */
async function adoptRemote(s: PushScope, entry: OutboxEntry, remote: RemoteObject): Promise<void> {
  await s.t.transaction(async (tx) => {
    await s.fence?.(tx);
    await tx.events.applyRemoteChanges(s.calendarId, [{ kind: 'upsert', remoteId: remote.remoteId, version: remote.version, events: remote.events }]);
    await tx.ledger.put(s.calendarId, [{ remoteId: remote.remoteId, uid: entry.uid, base: remote.events, baseHash: objectHash(remote.events), providerVersion: remote.version }]);
    await tx.outbox.done(s.calendarId, entry.uid, null);
  });
}

async function commitWrite(s: PushScope, entry: OutboxEntry, object: RemoteObject, known: LedgerEntry | null, op: 'create' | 'update', last: boolean): Promise<void> {
  s.result.written += 1;
  await s.t.transaction(async (tx) => {
    await s.fence?.(tx);
    await tx.events.lock(s.calendarId);
    // A newer local edit made while we wrote stays: only the ledger learns the new version.
    if ((await tx.outbox.token(s.calendarId, entry.uid)) === entry.token) {
      await tx.events.applyRemoteChanges(s.calendarId, [{ kind: 'upsert', remoteId: object.remoteId, version: object.version, events: object.events }]);
    }
    await tx.ledger.put(s.calendarId, [{ remoteId: object.remoteId, uid: entry.uid, base: object.events, baseHash: objectHash(object.events), providerVersion: object.version }]);
    if (last) await tx.outbox.done(s.calendarId, entry.uid, entry.token);
    await tx.journal.add(s.runId, { calendarId: s.calendarId, uid: entry.uid, remoteId: object.remoteId, op, before: known?.base ?? null, after: object.events });
  });
}

async function pushDelete(s: PushScope, entry: OutboxEntry, known: LedgerEntry[]): Promise<void> {
  let ledger = known;
  if (ledger.length === 0) {
    // Never agreed on a version, yet a create may have reached the provider before its answer
    // was lost: look it up so the delete does not leave it behind.
    const found = await s.connector.findObjectByUid(s.ctx, s.ref, entry.uid);
    if (found) ledger = [{ remoteId: found.remoteId, uid: entry.uid, base: found.events, baseHash: objectHash(found.events), providerVersion: found.version }];
  }
  for (const known of ledger) {
    let pre: { ifMatch: string } | null = known.providerVersion ? { ifMatch: known.providerVersion } : null;
    for (let attempt = 0; ; attempt++) {
      try {
        await s.connector.deleteObject(s.ctx, s.ref, known.remoteId, pre);
        s.result.written += 1;
        break;
      } catch (e) {
        if (e instanceof RemoteNotFoundError) break; // already gone: the goal is met
        if (!(e instanceof PreconditionFailedError) || attempt >= MAX_REPLANS) throw e;
        const remote = await s.connector.getObject(s.ctx, s.ref, known.remoteId);
        if (s.settings.deletePolicy === 'modify-wins' && objectHash(remote.events) !== known.baseHash) {
          // Changed remotely after we deleted locally: the modification wins and comes back.
          s.result.conflicts += 1;
          await s.t.conflicts.record(s.calendarId, [
            { uid: entry.uid, remoteId: known.remoteId, policy: 'modify-wins', fields: ['deleted'], base: known.base, local: null, remote: remote.events, outcome: 'recreated' },
          ]);
          await adoptRemote(s, entry, remote);
          return;
        }
        pre = remote.version ? { ifMatch: remote.version } : null;
      }
    }
    await s.t.transaction(async (tx) => {
      await s.fence?.(tx);
      await tx.ledger.delete(s.calendarId, [known.remoteId]);
      await tx.journal.add(s.runId, { calendarId: s.calendarId, uid: entry.uid, remoteId: known.remoteId, op: 'delete', before: known.base, after: null });
    });
  }
  await s.t.outbox.done(s.calendarId, entry.uid, entry.token);
}
