/**
 * A cancelled instance has two spellings in iCalendar: an override with STATUS:CANCELLED, or an
 * EXDATE of its master. Providers keep the one they were given, except Graph, which knows only the
 * second (a cancelled occurrence is an absent one, read back through the master's
 * cancelledOccurrences). Events bound for Graph are folded into that spelling, and a mirror copy
 * keeps whichever spelling its target already holds, so neither side sees a difference that is
 * only one of spelling.
 */
import { eventTimeKey, type CanonicalEvent, type EventTime } from '../shared/model/index.ts';

const isMaster = (e: CanonicalEvent) => e.originalStart === null;
const isCancelledOverride = (e: CanonicalEvent) => e.originalStart !== null && e.status === 'cancelled';
const withExdates = (master: CanonicalEvent, exdates: EventTime[]): CanonicalEvent => ({ ...master, recurrence: { ...master.recurrence!, exdates } });

/**
 * The events of one UID with each cancelled override of its series turned into an EXDATE of the
 * master. The same array when there is nothing to fold (no series master, no cancelled override).
 */
export function foldCancelledOverrides(events: CanonicalEvent[]): CanonicalEvent[] {
  const master = events.find(isMaster);
  if (!master?.recurrence) return events;
  const cancelled = events.filter(isCancelledOverride);
  if (cancelled.length === 0) return events;
  const exdates = [...master.recurrence.exdates];
  const have = new Set(exdates.map(eventTimeKey));
  for (const c of cancelled) {
    const k = eventTimeKey(c.originalStart!);
    if (have.has(k)) continue;
    have.add(k);
    exdates.push(c.originalStart!);
  }
  const folded = withExdates(master, exdates);
  return events.filter((e) => !cancelled.includes(e)).map((e) => (e === master ? folded : e));
}

/**
 * A live override at an instance its master also cancels by EXDATE. Graph never holds both; the
 * hub does when a change made there to the occurrence (a new exception, or a known one changed
 * again) was read in while the hub's cancellation of it still waited to be written: written as it
 * was, the cancellation deleted that change unseen. The delete policy settles it: modify-wins
 * keeps the override and drops the EXDATE, delete-wins cancels the override (folded later). The
 * same array when there is nothing to settle; `keys`: the instances settled. `agreed`: the
 * master as the provider and the hub last agreed on it (the ledger's base), or null.
 */
export function settleCancelledLive(
  events: CanonicalEvent[], deletePolicy: 'modify-wins' | 'delete-wins', agreed: CanonicalEvent | null,
): { events: CanonicalEvent[]; keys: string[] } {
  const master = events.find(isMaster);
  if (!master?.recurrence?.exdates.length) return { events, keys: [] };
  // Only cancellations made here and not yet written: one the provider holds already (cancelled
  // there while the hub changed the occurrence) is the push's to settle (occurrenceGone).
  const there = new Set((agreed?.recurrence?.exdates ?? []).map(eventTimeKey));
  const cancelled = new Set(master.recurrence.exdates.map(eventTimeKey).filter((k) => !there.has(k)));
  const live = events.filter((e) => e.originalStart !== null && e.status !== 'cancelled' && cancelled.has(eventTimeKey(e.originalStart)));
  if (live.length === 0) return { events, keys: [] };
  const keys = live.map((e) => eventTimeKey(e.originalStart!));
  if (deletePolicy === 'delete-wins') return { events: events.map((e) => (live.includes(e) ? { ...e, status: 'cancelled' as const } : e)), keys };
  const kept = withExdates(master, master.recurrence.exdates.filter((x) => !keys.includes(eventTimeKey(x))));
  return { events: events.map((e) => (e === master ? kept : e)), keys };
}

/**
 * `want` with each instance that both `want` and `current` cancel spelled as `current` spells it:
 * a cancelled override `current` holds stays one (and leaves the master's EXDATEs), an EXDATE it
 * holds stays one (and the cancelled override goes). An instance `want` cancels by EXDATE where
 * `current` holds a live override becomes that override, cancelled: Google and Graph keep an
 * override as an object of its own, which only cancelling it removes.
 */
export function respellCancellations(want: CanonicalEvent[], current: CanonicalEvent[]): CanonicalEvent[] {
  const master = want.find(isMaster);
  const curMaster = current.find(isMaster);
  if (!master?.recurrence || !curMaster?.recurrence) return want;
  const curOverrides = new Map(
    current.filter((e) => !isMaster(e)).map((e) => [eventTimeKey(e.originalStart!), e.status === 'cancelled' ? e : { ...e, status: 'cancelled' as const }]),
  );
  const curExdates = new Set(curMaster.recurrence.exdates.map(eventTimeKey));
  const overridden = new Set(want.filter((e) => !isMaster(e)).map((e) => eventTimeKey(e.originalStart!)));
  const exdates: EventTime[] = [];
  const kept: CanonicalEvent[] = [];
  for (const x of master.recurrence.exdates) {
    const k = eventTimeKey(x);
    const held = curOverrides.get(k);
    if (held && !overridden.has(k)) kept.push(held);
    else exdates.push(x);
  }
  const rest = want.filter((e) => {
    if (!isCancelledOverride(e)) return true;
    const k = eventTimeKey(e.originalStart!);
    if (!curExdates.has(k) || exdates.some((x) => eventTimeKey(x) === k)) return true;
    exdates.push(e.originalStart!);
    return false;
  });
  if (kept.length === 0 && rest.length === want.length) return want;
  return [...rest.map((e) => (e === master ? withExdates(master, exdates) : e)), ...kept];
}
