/**
 * Reverting a run: undoes what the run wrote, and only where that still stands. Per event (a UID's
 * master, single event or override) and per field the run changed: if the event's current value is
 * still what the run wrote, the value before the run goes back; a field changed since (by anyone)
 * stays as it is now and is reported as skipped. An event the run created is deleted only if it is
 * unchanged since; one the run deleted comes back only if nothing has brought it back since; one
 * deleted after the run stays deleted. What is put back goes through the outbox like any local
 * change, so a provider edit not yet pulled still meets the push's preconditions and merge.
 */
import type { CanonicalEvent } from '../shared/model/index.ts';
import type { JournalEntry, StoredEvent } from '../shared/store/index.ts';
import type { EngineDeps } from './deps.ts';
import { FIELDS, fieldValue, keyOf, type Field } from './merge.ts';
import { EventQuarantinedError, rereadOnChange, unchangedSince, writeUid } from './writer.ts';

/** What the revert does to one event: its fields back (update), the run's new event removed, the run's deletion undone. */
export type RevertAction = 'update' | 'delete' | 'recreate';

/**
 * Why part of the run is left as it is: `changed-since` (the fields named hold someone's later
 * value), `deleted-since` (the event the run wrote was deleted after it), `recreated-since` (the
 * event the run deleted exists again), `occurrences-changed-since` (a series the run created keeps
 * occurrences changed since, so it is not deleted), `quarantined` (the event's item at the
 * provider cannot be read: nothing is written over it; `fields` are those that would have gone back).
 */
export type RevertSkipReason = 'changed-since' | 'deleted-since' | 'recreated-since' | 'occurrences-changed-since' | 'quarantined';

interface RevertItem {
  calendarId: string;
  uid: string;
  /** The original start of an override (its key); '' a series master or single event. */
  occurrence: string;
  /** The hub's event id, when the event exists in the hub now. */
  eventId: string | null;
  title: string | null;
}

export interface RevertQueued extends RevertItem {
  action: RevertAction;
  /** The fields put back (update). */
  fields: Field[];
}

export interface RevertSkipped extends RevertItem {
  reason: RevertSkipReason;
  /** The fields changed since (changed-since): exactly those. */
  fields: Field[];
  /**
   * Fields the run wrote that stay with them (changed-since): start and end go back together, so
   * one the run wrote stays when the other changed since. Empty otherwise.
   */
  keptWith: Field[];
}

export interface RevertResult {
  runId: string;
  /** The run's provider writes in the journal (0: no such run). */
  writes: number;
  /** What was queued to go back, event by event. */
  queued: RevertQueued[];
  /** What the revert left as it is, and why. */
  skipped: RevertSkipped[];
  /** Events the run wrote that are already as they were before it (an earlier revert, or someone's edit). */
  alreadyUndone: number;
}

/** One event the run wrote: as it was before the run's first write of it, and as the run's last write left it (null: absent). */
interface Touched {
  was: CanonicalEvent | null;
  wrote: CanonicalEvent | null;
}

/** Per calendar and UID, per event key: what the run found and what it left (the journal, oldest write first). */
function touchedByRun(writes: JournalEntry[]): Map<string, { calendarId: string; uid: string; keys: Map<string, Touched> }> {
  const out = new Map<string, { calendarId: string; uid: string; keys: Map<string, Touched> }>();
  for (const w of [...writes].reverse()) {
    const id = `${w.calendarId}\u0000${w.uid}`;
    let u = out.get(id);
    if (!u) out.set(id, (u = { calendarId: w.calendarId, uid: w.uid, keys: new Map() }));
    for (const key of new Set([...(w.before ?? []), ...(w.after ?? [])].map(keyOf))) {
      const wrote = w.after?.find((e) => keyOf(e) === key) ?? null;
      const seen = u.keys.get(key);
      if (seen) seen.wrote = wrote;
      else u.keys.set(key, { was: w.before?.find((e) => keyOf(e) === key) ?? null, wrote });
    }
  }
  return out;
}

const differing = (a: CanonicalEvent, b: CanonicalEvent): Field[] => FIELDS.filter((f) => fieldValue(a, f) !== fieldValue(b, f));

interface UidPlan {
  events: CanonicalEvent[];
  queued: RevertQueued[];
  skipped: RevertSkipped[];
  alreadyUndone: number;
}

/** What reverting the run's writes of one UID does to its current rows. Pure. */
export function planUidRevert(calendarId: string, uid: string, keys: Map<string, Touched>, rows: StoredEvent[]): UidPlan {
  const plan: UidPlan = { events: [], queued: [], skipped: [], alreadyUndone: 0 };
  const current = new Map(rows.map((r) => [keyOf(r.event), r]));
  const next = new Map<string, CanonicalEvent>(rows.map((r) => [keyOf(r.event), { ...r.event, providerEventId: r.remoteId }]));
  const item = (key: string, row: StoredEvent | undefined, t: Touched): RevertItem => ({
    calendarId,
    uid,
    occurrence: key,
    eventId: row?.id ?? null,
    title: row?.event.title ?? t.wrote?.title ?? t.was?.title ?? null,
  });
  const deleting: string[] = [];
  for (const [key, t] of keys) {
    const row = current.get(key);
    if (t.was && t.wrote) {
      const changed = differing(t.was, t.wrote);
      if (!changed.length) continue;
      if (!row) {
        plan.skipped.push({ ...item(key, row, t), reason: 'deleted-since', fields: [], keptWith: [] });
        continue;
      }
      const back: Field[] = [];
      const since: Field[] = [];
      for (const f of changed) {
        const now = fieldValue(row.event, f);
        if (now === fieldValue(t.wrote, f)) back.push(f);
        else if (now !== fieldValue(t.was, f)) since.push(f);
      }
      // Start and end go back together: the start before the run with someone's later end may not
      // even be a span. The one held back is named as kept with the one changed since (both were
      // named as changed since, when only the end was).
      const keptWith: Field[] = [];
      if (since.includes('start') || since.includes('end')) {
        for (const f of ['start', 'end'] as const) {
          const i = back.indexOf(f);
          if (i >= 0) keptWith.push(...back.splice(i, 1));
        }
      }
      if (since.length) plan.skipped.push({ ...item(key, row, t), reason: 'changed-since', fields: since, keptWith });
      if (back.length) {
        const event = { ...next.get(key)! } as Record<Field, unknown>;
        for (const f of back) event[f] = t.was[f];
        next.set(key, event as unknown as CanonicalEvent);
        plan.queued.push({ ...item(key, row, t), action: 'update', fields: back });
      } else if (!since.length) plan.alreadyUndone += 1;
    } else if (t.wrote) {
      // The run created it: deleted only if nothing changed since.
      if (!row) {
        plan.alreadyUndone += 1;
        continue;
      }
      const since = differing(t.wrote, row.event);
      if (since.length) plan.skipped.push({ ...item(key, row, t), reason: 'changed-since', fields: since, keptWith: [] });
      else deleting.push(key);
    } else if (t.was) {
      // The run deleted it: back only if nothing has brought it back since.
      if (row) {
        if (differing(t.was, row.event).length) plan.skipped.push({ ...item(key, row, t), reason: 'recreated-since', fields: [], keptWith: [] });
        else plan.alreadyUndone += 1;
        continue;
      }
      next.set(key, { ...t.was, providerEventId: null });
      plan.queued.push({ ...item(key, row, t), action: 'recreate', fields: [] });
    }
  }
  // A series the run created goes only with all of its occurrences: one changed since keeps it whole.
  const keeps = deleting.includes('') && [...next.keys()].some((k) => !deleting.includes(k));
  for (const key of deleting) {
    const row = current.get(key)!;
    if (keeps) {
      plan.skipped.push({ ...item(key, row, keys.get(key)!), reason: 'occurrences-changed-since', fields: [], keptWith: [] });
      continue;
    }
    next.delete(key);
    plan.queued.push({ ...item(key, row, keys.get(key)!), action: 'delete', fields: [] });
  }
  // The master first, as the store keeps a UID's rows.
  plan.events = [...next.entries()].sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))).map(([, e]) => e);
  return plan;
}

/**
 * Reverts the run's writes (see the file's comment) and reports, per event, what was queued and
 * what was skipped. A second revert of the same run finds everything already undone and queues nothing.
 */
export async function revertRun(deps: EngineDeps, tenantId: string, runId: string): Promise<RevertResult> {
  const t = deps.store.tenant(tenantId);
  const writes = await t.journal.ofRun(runId); // newest first
  const result: RevertResult = { runId, writes: writes.length, queued: [], skipped: [], alreadyUndone: 0 };
  for (const u of touchedByRun(writes).values()) {
    // Planned from the rows as read, written only if they are still those rows: a pull that stored a
    // provider change in between has the plan made again from what it stored.
    const plan = await rereadOnChange(async () => {
      const rows = await t.events.byUid(u.calendarId, u.uid);
      const p = planUidRevert(u.calendarId, u.uid, u.keys, rows);
      try {
        if (p.queued.length) await writeUid(deps, tenantId, u.calendarId, u.uid, p.events, unchangedSince(u.calendarId, u.uid, rows));
      } catch (e) {
        // Its item at the provider cannot be read: the revert leaves it (and goes on with the rest).
        if (!(e instanceof EventQuarantinedError)) throw e;
        return { ...p, queued: [], skipped: [...p.skipped, ...p.queued.map((q): RevertSkipped => ({ ...q, reason: 'quarantined', keptWith: [] }))] };
      }
      return p;
    });
    result.queued.push(...plan.queued);
    result.skipped.push(...plan.skipped);
    result.alreadyUndone += plan.alreadyUndone;
  }
  return result;
}
