/**
 * "This and following": a series cut at one occurrence, as Google Calendar's and Outlook's own
 * clients do it (no provider has a server-side operation for it across all three). The master's
 * rules end before the occurrence; what lay at or after it (overrides, EXDATEs, RDATEs) leaves the
 * old series and, for a change, goes to a new series (a new UID) that starts at the occurrence with
 * the rest of the rules.
 */
import { eventTimeKey, type CanonicalEvent, type EventTime } from '../shared/model/index.ts';
import type { StoredEvent } from '../shared/store/index.ts';
import { expandSeries, seriesShift } from '../shared/time/index.ts';
import type { EngineDeps } from './deps.ts';
import { timesAt } from './occurrence.ts';
import { allOf, ifMatches, unchangedSince, uidIsNew, writeUidIn, type PushAsk } from './writer.ts';

const DAY = 86_400_000;
const ALL_TIME = { start: new Date(-8.64e15), end: new Date(8.64e15) };

/** A key (eventTimeKey) on one axis per form: dates at UTC midnight, wall clocks as UTC, instants as they are. */
function keyMs(key: string): number {
  if (key.length === 10) return Date.parse(`${key}T00:00:00Z`);
  if (key.endsWith('~floating')) return Date.parse(`${key.slice(0, 19)}Z`);
  return Date.parse(key);
}

export interface SeriesCut {
  /** The old master, its rules ending before the cut; its EXDATEs and RDATEs from the cut on removed. */
  master: CanonicalEvent;
  /** The overrides that stay with the old series (original start before the cut). */
  overrides: CanonicalEvent[];
  /** Whether the old series keeps any occurrence (not cancelled) before the cut: none, the cut is at its first and is "all events". */
  keepsAny: boolean;
  /** What lies at or after the cut: the rest of each rule (remaining COUNT, same UNTIL), EXDATEs, RDATEs and overrides. */
  later: { rrules: string[]; exdates: EventTime[]; rdates: EventTime[]; overrides: CanonicalEvent[] };
  /** The cut occurrence's original start, in the series' form. */
  at: EventTime;
}

/** RRULE UNTIL just before `cutKey`, in the form RFC 5545 3.3.10 asks for the series' DTSTART. */
function untilBefore(master: CanonicalEvent, cutKey: string): string {
  const ms = keyMs(cutKey);
  if ('date' in master.start) return new Date(ms - DAY).toISOString().slice(0, 10).replaceAll('-', '');
  const text = new Date(ms - 1000).toISOString().slice(0, 19).replaceAll('-', '').replaceAll(':', '');
  // A floating series takes a floating UNTIL; a zoned one takes UTC.
  return 'local' in master.start ? text : `${text}Z`;
}

const parts = (rule: string) => rule.split(';').filter((p) => p !== '');
const partOf = (rule: string, name: string) => parts(rule).find((p) => p.toUpperCase().startsWith(`${name}=`))?.slice(name.length + 1);
const without = (rule: string, ...names: string[]) => parts(rule).filter((p) => !names.some((n) => p.toUpperCase().startsWith(`${n}=`)));

/** How many occurrences `rule` alone makes before the cut (EXDATEs count, as RFC 5545 counts COUNT before them). */
function countBefore(master: CanonicalEvent, rule: string, cutStartMs: number, zone: string): number {
  let n = 0;
  expandSeries({
    master: { ...master, recurrence: { rrules: [rule], exdates: [], rdates: [] } },
    overrides: [],
    calendarTimeZone: zone,
    window: { start: ALL_TIME.start, end: new Date(cutStartMs) },
    startsInWindow: true,
    sink: (o) => {
      if (o.startMs >= cutStartMs) return false;
      n++;
      return true;
    },
  });
  return n;
}

/** The original start of the occurrence keyed `cutKey`, in the master's form. */
function originalStartOf(master: CanonicalEvent, cutKey: string): EventTime {
  if ('date' in master.start) return { date: cutKey };
  if ('local' in master.start) return { local: cutKey.slice(0, 19) };
  return { dateTime: cutKey, timeZone: master.start.timeZone };
}

/**
 * Cuts a series (`master` and its `overrides`) at the occurrence whose original start key is
 * `cutKey`. Each rule with a COUNT keeps the occurrences it made before the cut (a rule left none
 * is dropped); any other rule ends with UNTIL just before it.
 */
export function cutSeries(master: CanonicalEvent, overrides: CanonicalEvent[], cutKey: string, zone: string): SeriesCut {
  const rec = master.recurrence!;
  const cutMs = keyMs(cutKey);
  const isLater = (t: EventTime) => keyMs(eventTimeKey(t)) >= cutMs;
  const at = originalStartOf(master, cutKey);
  // Where the occurrence actually starts (all-day and floating ones in the calendar's zone), from its rules alone.
  const plain = expandSeries({ master: { ...master, recurrence: { ...rec, exdates: [] } }, overrides: [], calendarTimeZone: zone, window: { start: new Date(cutMs - 2 * DAY), end: new Date(cutMs + 2 * DAY) } });
  const cutStartMs = plain.find((o) => o.originalStartKey === cutKey)?.startMs ?? cutMs;
  const kept: string[] = [];
  const rest: string[] = [];
  for (const rule of rec.rrules) {
    const count = partOf(rule, 'COUNT');
    if (count !== undefined) {
      const before = countBefore(master, rule, cutStartMs, zone);
      if (before > 0) kept.push([...without(rule, 'COUNT'), `COUNT=${before}`].join(';'));
      if (Number(count) - before > 0) rest.push([...without(rule, 'COUNT'), `COUNT=${Number(count) - before}`].join(';'));
      continue;
    }
    const until = partOf(rule, 'UNTIL');
    // A rule that already ended before the cut stays as it is, and has nothing after it.
    if (until !== undefined && countBefore(master, rule, Number.MAX_SAFE_INTEGER / 2, zone) === countBefore(master, rule, cutStartMs, zone)) {
      kept.push(rule);
      continue;
    }
    kept.push([...without(rule, 'UNTIL'), `UNTIL=${untilBefore(master, cutKey)}`].join(';'));
    rest.push(rule);
  }
  const truncated: CanonicalEvent = {
    ...master,
    recurrence: { rrules: kept, exdates: rec.exdates.filter((x) => !isLater(x)), rdates: rec.rdates.filter((x) => !isLater(x)) },
  };
  const stay = overrides.filter((o) => o.originalStart === null || !isLater(o.originalStart));
  const standing = expandSeries({ master: truncated, overrides: stay, calendarTimeZone: zone, window: ALL_TIME, perRuleLimit: 1 });
  return {
    master: truncated,
    overrides: stay,
    keepsAny: standing.some((o) => keyMs(o.originalStartKey) < cutMs),
    later: { rrules: rest, exdates: rec.exdates.filter(isLater), rdates: rec.rdates.filter(isLater), overrides: overrides.filter((o) => o.originalStart !== null && isLater(o.originalStart)) },
    at,
  };
}

/**
 * The new series' master before the client's change: the old master's content at the cut
 * occurrence (its times there), the rest of the rules and the later EXDATEs and RDATEs, under
 * `uid`. Its attendees and organizer are the meeting's. `spanMs`: the occurrence's length where
 * start and end differ in form (timesAt).
 */
export function followingBase(master: CanonicalEvent, cut: SeriesCut, uid: string, spanMs: number): CanonicalEvent {
  const { rrules, exdates, rdates } = cut.later;
  return {
    ...master,
    uid,
    ...timesAt(master, cut.at, spanMs),
    recurrence: { rrules, exdates, rdates },
    sequence: 0,
    // Not a mirror copy of anything: a copy's stamp on a series its rule never made would have the mirror remove it as a stray.
    provenance: null,
    providerEventId: null,
    providerVersion: null,
    providerUpdatedAt: null,
  };
}

/** An override of the old series moved to the new one: the same occurrence under the new UID, a new item at the provider. */
export const toNewSeries = (o: CanonicalEvent, uid: string): CanonicalEvent => ({ ...o, uid, providerEventId: null, providerVersion: null, providerUpdatedAt: null });

/**
 * Writes the cut in one transaction: the old series (`old`, under its rows' provider ids) and the
 * new one (`fresh`, none for a cancellation), each with its outbox entry. Either both are in the
 * store or neither, so the hub's listing and free/busy never show an occurrence twice or lose it.
 * Each UID's provider write is then an outbox entry of its own, retried by the push until it is
 * written (or parked for an operator): a process that dies after the commit leaves both entries,
 * and a provider write that fails leaves its entry with the other one done. Until the push has
 * written both, the provider alone may show the old series whole beside the new one or the new one
 * missing; nothing at the hub depends on that, and the push converges it.
 */
export async function writeCut(
  deps: EngineDeps,
  tenantId: string,
  series: StoredEvent[],
  old: CanonicalEvent[],
  fresh: CanonicalEvent[],
  ifMatch: string | undefined,
  ask: PushAsk,
): Promise<void> {
  const master = series.find((s) => s.event.originalStart === null)!;
  const { calendarId } = master;
  const uid = master.event.uid;
  const remote = new Map(series.map((s) => [s.event.originalStart ? eventTimeKey(s.event.originalStart) : '', s.remoteId]));
  const withIds = old.map((e) => ({ ...e, providerEventId: remote.get(e.originalStart ? eventTimeKey(e.originalStart) : '') ?? null }));
  await deps.store.tenant(tenantId).transaction(async (t) => {
    await writeUidIn(t, calendarId, uid, withIds, allOf(ifMatches(master.id, ifMatch), unchangedSince(calendarId, uid, series)), ask);
    if (fresh.length) await writeUidIn(t, calendarId, fresh[0]!.uid, fresh, uidIsNew(calendarId, fresh[0]!.uid), ask);
  });
  deps.onOutbox?.(tenantId, calendarId);
  deps.onCalendarChanged?.(tenantId, calendarId);
}

/** What a RANGE=THISANDFUTURE override sets for the occurrences it reaches: all but identity, rules and times. */
const RANGE_FIELDS = ['status', 'availability', 'visibility', 'title', 'description', 'location', 'organizer', 'attendees', 'conferenceUrl'] as const;

/**
 * The new series' base when the cut lies in a range override's reach: that override's content at
 * its moved times, so the new series shows what the old one showed from the cut on, as an
 * ordinary series (calhub's split ends the range: the old series stops before the cut). Its rules
 * start at the moved time, so the later overrides' RECURRENCE-IDs (and the later EXDATEs and
 * RDATEs) move by the same offset; their own times stay, and a later range override's move is
 * then its offset from the new slot. A range override at the cut becomes the base and leaves.
 */
export function rangedBase(plain: CanonicalEvent, later: CanonicalEvent[], range: CanonicalEvent | null, zone: string): { base: CanonicalEvent; later: CanonicalEvent[] } {
  if (!range) return { base: plain, later };
  const rest = later.filter((o) => !(o.thisAndFuture && eventTimeKey(o.originalStart!) === eventTimeKey(range.originalStart!)));
  const content = Object.fromEntries(RANGE_FIELDS.map((f) => [f, range[f]]));
  const base: CanonicalEvent = { ...plain, ...content, start: range.start, end: range.end };
  const shift = seriesShift(plain, base, zone);
  if (!shift) return { base, later: rest };
  const rec = base.recurrence!;
  return {
    base: { ...base, recurrence: { ...rec, exdates: rec.exdates.flatMap((x) => shift(x) ?? []), rdates: rec.rdates.flatMap((x) => shift(x) ?? []) } },
    later: rest.flatMap((o) => {
      const slot = shift(o.originalStart!);
      return slot ? [{ ...o, originalStart: slot }] : [];
    }),
  };
}

/**
 * A series with RANGE=THISANDFUTURE overrides as series without them, for a copy whose provider
 * cannot hold a range (Google and Graph have none) and so that no copy depends on one: the series
 * cut at each range override as "this and following" cuts it, the part from there on a series of
 * its own with the override's content at its moved times. `from`: the original start key of the
 * range override a part begins at (null: the first part, the master's). The first part is left
 * out when nothing of it stands before the cut; an override without a master keeps no range.
 */
export function rangeSegments(events: CanonicalEvent[], zone: string): Array<{ from: string | null; events: CanonicalEvent[] }> {
  const plainOnes = (xs: CanonicalEvent[]) => xs.map(({ thisAndFuture: _range, ...e }) => e);
  let master = events.find((e) => e.originalStart === null);
  let overrides = events.filter((e) => e !== master);
  if (!master?.recurrence || !overrides.some((o) => o.thisAndFuture)) return [{ from: null, events: plainOnes(events) }];
  const earliest = (xs: CanonicalEvent[]) => xs.filter((o) => o.thisAndFuture).sort((a, b) => keyMs(eventTimeKey(a.originalStart!)) - keyMs(eventTimeKey(b.originalStart!)));
  // A part is named by its range override's key in the source, which a move of an earlier part does not change.
  const names = earliest(overrides).map((o) => eventTimeKey(o.originalStart!));
  const out: Array<{ from: string | null; events: CanonicalEvent[] }> = [];
  let from: string | null = null;
  for (const name of names) {
    // The later ones were re-keyed with each part's move (rangedBase), in the same order.
    const range = earliest(overrides)[0];
    if (!range || !master.recurrence) break;
    const cut = cutSeries(master, overrides, eventTimeKey(range.originalStart!), zone);
    if (cut.keepsAny) out.push({ from, events: [cut.master, ...cut.overrides] });
    const next = rangedBase(followingBase(master, cut, master.uid, 0), cut.later.overrides, range, zone);
    master = next.base;
    overrides = next.later;
    from = name;
  }
  out.push({ from, events: [master, ...plainOnes(overrides)] });
  return out;
}
