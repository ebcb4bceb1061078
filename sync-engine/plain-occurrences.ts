/**
 * An override turned back into a plain occurrence. Google and Graph keep an override as an object
 * of its own: when the hub's store drops one (a mirror copy whose source lost its exception, as
 * Outlook drops a series' exceptions on a pattern change), the provider still shows it, and
 * neither has a write that removes it: deleting an instance cancels it (provider-facts A.3, B.3).
 * What both allow is writing the instance back as its series shows it unmodified: the master's
 * content at the original slot, for the master's length. An override whose original start is
 * no longer an occurrence of its series (the series moved) is cancelled instead: it then shows
 * nothing. Either is the provider's spelling of "no override here", so a mirror copy that holds
 * one where its source has no override leaves it standing.
 */
import { contentHash, eventTimeKey, type CanonicalEvent, type EventTime } from '../shared/model/index.ts';
import type { LedgerEntry } from '../shared/store/index.ts';
import { expandSeries } from '../shared/time/index.ts';

const DAY = 86_400_000;
const isMaster = (e: CanonicalEvent) => e.originalStart === null;
const keyOf = (e: CanonicalEvent) => eventTimeKey(e.originalStart!);

/** Milliseconds on one axis per form: instants for zoned times, wall clock (as UTC) for dates and floating times. */
const msOf = (t: EventTime): number => ('date' in t ? Date.parse(`${t.date}T00:00:00Z`) : 'dateTime' in t ? Date.parse(t.dateTime) : Date.parse(`${t.local}Z`));
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/** `ms` (on msOf's axis) spelled in the form of `like`. */
function spelled(ms: number, like: EventTime): EventTime {
  if ('date' in like) return { date: iso(ms).slice(0, 10) };
  if ('dateTime' in like) return { dateTime: `${iso(ms)}Z`, timeZone: like.timeZone };
  return { local: iso(ms) };
}

/** The occurrence of `master` at `originalStart` as it shows without an override. */
export function plainOccurrence(master: CanonicalEvent, originalStart: EventTime): CanonicalEvent {
  const at = msOf(originalStart);
  const span = Math.max(0, msOf(master.end) - msOf(master.start));
  // An all-day series keeps whole days even when its original start came spelled as a time.
  const start = 'date' in master.start ? Math.floor(at / DAY) * DAY : at;
  return {
    ...master,
    providerEventId: null,
    providerVersion: null,
    providerUpdatedAt: null,
    originalStart,
    recurrence: null,
    start: spelled(start, master.start),
    end: spelled(start + span, master.end),
  };
}

/** Whether `originalStart` names an occurrence of the series (not one its EXDATEs remove). */
export function isOccurrence(master: CanonicalEvent, originalStart: EventTime, calendarTimeZone: string): boolean {
  if (!master.recurrence) return false;
  const at = msOf(originalStart);
  const key = eventTimeKey(originalStart);
  const near = { start: new Date(at - 2 * DAY), end: new Date(at + 2 * DAY) };
  return expandSeries({ master, overrides: [], calendarTimeZone, window: near, startsInWindow: true }).some((o) => o.originalStartKey === key);
}

/**
 * Whether a series (master and overrides of one UID) still shows anything: a single event always
 * does; a series whose every occurrence is EXDATEd or cancelled does not.
 */
export function showsAnything(events: CanonicalEvent[], calendarTimeZone: string): boolean {
  const master = events.find(isMaster);
  if (!master?.recurrence) return true;
  let found = false;
  const always = { start: new Date(-8.64e15), end: new Date(8.64e15) };
  expandSeries({ master, overrides: events.filter((e) => !isMaster(e)), calendarTimeZone, window: always, sink: () => ((found = true), false) });
  return found;
}

/** What an override the hub dropped is written back as: its plain occurrence, or cancelled where there is none. */
export function revertedOverride(master: CanonicalEvent, originalStart: EventTime, calendarTimeZone: string): CanonicalEvent {
  const plain = plainOccurrence(master, originalStart);
  return isOccurrence(master, originalStart, calendarTimeZone) ? plain : { ...plain, status: 'cancelled' };
}

/** An override that changes nothing about its series: the plain occurrence, or a cancellation where there is no occurrence. */
function inert(master: CanonicalEvent, e: CanonicalEvent, calendarTimeZone: string): boolean {
  if (!isOccurrence(master, e.originalStart!, calendarTimeZone)) return e.status === 'cancelled';
  return contentHash(e) === contentHash(plainOccurrence(master, e.originalStart!));
}

/**
 * `want` plus the overrides `current` holds that change nothing where `want` has no override and
 * no EXDATE: the spelling the target already has of a plain occurrence (see above), so a copy
 * is not rewritten for a difference that is only one of spelling.
 */
export function keepInertOverrides(want: CanonicalEvent[], current: CanonicalEvent[], calendarTimeZone: string): CanonicalEvent[] {
  const master = want.find(isMaster);
  if (!master?.recurrence) return want;
  const named = new Set([...want.filter((e) => !isMaster(e)).map(keyOf), ...master.recurrence.exdates.map(eventTimeKey)]);
  const kept = current.filter((e) => !isMaster(e) && !named.has(keyOf(e)) && inert(master, e, calendarTimeZone));
  return kept.length ? [...want, ...kept] : want;
}

/**
 * For a provider that keeps overrides as objects of their own: each override the ledger says the
 * provider holds but the hub's events of the UID no longer do, with the event to write over it.
 * None while the hub holds no series master, for an instance the hub holds another event for (its
 * own write reaches that instance), or for one the master's EXDATEs remove (the master's write
 * deals with it). The caller leaves out objects the store quarantined: it holds no rows for them
 * although the provider still has them.
 */
export function droppedOverrides(events: CanonicalEvent[], ledger: LedgerEntry[], calendarTimeZone: string): Array<{ known: LedgerEntry; event: CanonicalEvent }> {
  const master = events.find(isMaster);
  if (!master?.recurrence) return [];
  const heldIds = new Set(events.map((e) => e.providerEventId).filter((id) => id !== null));
  const heldKeys = new Set([...events.filter((e) => !isMaster(e)).map(keyOf), ...master.recurrence.exdates.map(eventTimeKey)]);
  const out: Array<{ known: LedgerEntry; event: CanonicalEvent }> = [];
  for (const l of ledger) {
    const [ov, ...more] = l.base;
    if (heldIds.has(l.remoteId) || !ov?.originalStart || more.length > 0) continue;
    if (heldKeys.has(keyOf(ov))) continue;
    out.push({ known: l, event: revertedOverride(master, ov.originalStart, calendarTimeZone) });
  }
  return out;
}
