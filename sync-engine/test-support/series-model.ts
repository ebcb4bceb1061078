/**
 * The model-based sync test (R3) for recurring series. Random edits of series on both sides of
 * three calendars joined by mirror rules (A -> C, B <-> C busy blocks): series created zoned
 * (Europe/Berlin, across a DST change), all-day and in UTC; instances moved to another day,
 * re-timed and cancelled; EXDATEs added; the RRULE's COUNT changed; a whole series re-timed; series
 * deleted. The reference model holds each series' expected state, and rrule.js (not the engine's
 * expander) is the oracle for its occurrences. After every sync: each calendar's store equals its
 * provider, one object per UID and instance, every series' busy time in the store is the model's,
 * every copy calendar's busy time is the union of its sources', nothing lost, no echo writes, and a
 * settled state rewrites no copy.
 *
 * Conflicts are the title model's business (model.ts): here a series edited on one side is not
 * edited on the other before the next sync, so the expected state is exact.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import rrule from 'rrule';
import type { CanonicalEvent, EventTime } from '../../shared/model/index.ts';
import { contentHash, eventTimeKey, parseEvent } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { findOccurrence } from '../occurrence.ts';
import { isOccurrence, plainOccurrence } from '../plain-occurrences.ts';
import { settle } from '../settle.ts';
import { cancelRegular, writeOccurrence } from '../writer.ts';
import type { ModelEnv } from './model.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const ZONE = 'Europe/Berlin';
/** The window the busy index is read over: every occurrence the commands can make falls inside. */
const WINDOW: [Date, Date] = [new Date('2026-12-20T00:00:00Z'), new Date('2027-07-01T00:00:00Z')];

type Side = 'p' | 'h';
type Shape = 'zoned' | 'allday' | 'utc';
const SHAPES: Shape[] = ['zoned', 'allday', 'utc'];

export type SeriesCmd =
  | { k: 'create'; cal: number; side: Side; shape: number }
  | { k: 'move'; cal: number; side: Side; pick: number; idx: number; days: number }
  | { k: 'retime'; cal: number; side: Side; pick: number; idx: number; minutes: number; dur: number }
  | { k: 'cancel'; cal: number; side: Side; pick: number; idx: number }
  | { k: 'exdate'; cal: number; side: Side; pick: number; idx: number }
  | { k: 'count'; cal: number; side: Side; pick: number; count: number }
  | { k: 'shift'; cal: number; side: Side; pick: number; minutes: number }
  | { k: 'delete'; cal: number; side: Side; pick: number }
  | { k: 'sync' };

const cal = fc.integer({ min: 0, max: 2 });
const side = fc.constantFrom<Side>('p', 'h');
const pick = fc.nat(20);
const idx = fc.nat(12);
const rec = <K extends SeriesCmd['k'], T extends object>(k: K, fields: { [F in keyof T]: fc.Arbitrary<T[F]> }) =>
  fc.record({ k: fc.constant(k), cal, side, ...fields } as never) as fc.Arbitrary<SeriesCmd>;
export const seriesCommandArb: fc.Arbitrary<SeriesCmd> = fc.oneof(
  { weight: 3, arbitrary: rec('create', { shape: fc.nat(2) }) },
  { weight: 3, arbitrary: rec('move', { pick, idx, days: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: rec('retime', { pick, idx, minutes: fc.constantFrom(-120, -30, 45, 90), dur: fc.constantFrom(15, 45, 120) }) },
  { weight: 2, arbitrary: rec('cancel', { pick, idx }) },
  { weight: 2, arbitrary: rec('exdate', { pick, idx }) },
  { weight: 2, arbitrary: rec('count', { pick, count: fc.integer({ min: 3, max: 9 }) }) },
  { weight: 1, arbitrary: rec('shift', { pick, minutes: fc.constantFrom(-60, 30, 180) }) },
  { weight: 1, arbitrary: rec('delete', { pick }) },
  { weight: 4, arbitrary: fc.constant({ k: 'sync' as const }) },
);

/** A moved or re-timed instance: offset from its original start, and its length (all-day: whole days). */
interface Moved {
  offsetMs: number;
  durMs: number;
}

/** The model's expected state of one series. */
interface Series {
  uid: string;
  cal: number;
  shape: Shape;
  count: number;
  shiftMs: number;
  exdates: Set<number>;
  cancelled: Set<number>;
  moved: Map<number, Moved>;
  live: boolean;
  /** The side that edited it since the last sync: the other side leaves it alone until then. */
  dirty: Side | null;
}

const SHAPE: Record<Shape, { wall: string; rule: Partial<rrule.Options>; text: string; span: number }> = {
  zoned: { wall: '2027-03-08T09:00:00Z', rule: { freq: rrule.RRule.WEEKLY, byweekday: rrule.RRule.MO }, text: 'FREQ=WEEKLY;BYDAY=MO', span: 60 * MIN },
  allday: { wall: '2027-02-01T00:00:00Z', rule: { freq: rrule.RRule.DAILY }, text: 'FREQ=DAILY', span: DAY },
  utc: { wall: '2027-01-05T15:00:00Z', rule: { freq: rrule.RRule.DAILY, interval: 2 }, text: 'FREQ=DAILY;INTERVAL=2', span: 30 * MIN },
};

/** UTC offset of a zone at an instant, from Intl: independent of shared/time's zone code. */
function offsetMs(zone: string, utc: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(utc));
  const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - utc;
}
function zonedToUtc(wall: number, zone: string): number {
  const first = wall - offsetMs(zone, wall);
  return wall - offsetMs(zone, first);
}
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** One occurrence as the oracle sees it: its original start as an event time, and its busy span. */
interface Occ {
  original: EventTime;
  startMs: number;
  endMs: number;
}

/** rrule.js is the oracle: the series' occurrences from its start (a wall clock) and rule. */
export function occurrences(s: Pick<Series, 'shape' | 'count' | 'shiftMs'>): Occ[] {
  const shape = SHAPE[s.shape];
  const wall0 = Date.parse(shape.wall) + s.shiftMs;
  const rule = new rrule.RRule({ ...shape.rule, count: s.count, dtstart: new Date(wall0) });
  return rule.all().map((d) => {
    const wall = d.getTime();
    if (s.shape === 'allday') return { original: { date: iso(wall).slice(0, 10) }, startMs: wall, endMs: wall + DAY };
    const start = s.shape === 'zoned' ? zonedToUtc(wall, ZONE) : wall;
    return { original: { dateTime: iso(start), timeZone: s.shape === 'zoned' ? ZONE : 'UTC' }, startMs: start, endMs: start + shape.span };
  });
}

/** Occurrence `i` starts at or before the live occurrence before it, or at or after the one after it. */
function crossesNeighbour(s: Series, i: number): boolean {
  if (!s.moved.has(i) || s.cancelled.has(i)) return false;
  const occ = occurrences(s);
  const startOf = (j: number) => occ[j]!.startMs + (s.moved.get(j)?.offsetMs ?? 0);
  const live = (j: number) => !s.exdates.has(j) && !s.cancelled.has(j);
  const start = startOf(i);
  for (let j = i - 1; j >= 0; j--) if (live(j)) return start <= startOf(j) || crossesAfter();
  return crossesAfter();
  function crossesAfter(): boolean {
    for (let j = i + 1; j < occ.length; j++) if (live(j)) return start >= startOf(j);
    return false;
  }
}

/** Busy spans the model expects of a series, joined where they touch (as the busy index joins them). */
export function expectedBusy(s: Series): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  occurrences(s).forEach((o, i) => {
    if (s.exdates.has(i) || s.cancelled.has(i)) return;
    const m = s.moved.get(i);
    out.push(m ? [o.startMs + m.offsetMs, o.startMs + m.offsetMs + m.durMs] : [o.startMs, o.endMs]);
  });
  return join(out);
}

function join(spans: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

const show = (spans: Array<[number, number]>) => spans.map(([s, e]) => `${iso(s)}/${iso(e)}`);

function timeAt(s: Series, ms: number): EventTime {
  if (s.shape === 'allday') return { date: iso(ms).slice(0, 10) };
  return { dateTime: iso(ms), timeZone: s.shape === 'zoned' ? ZONE : 'UTC' };
}

/**
 * The master of a series as the model describes it. `current`: the master as it is now on the
 * side being written; the EXDATEs it already has for cancelled instances stay (Graph holds a
 * cancelled instance only as an EXDATE, and the hub's store for a Graph calendar does the same).
 */
function masterInput(s: Series, current?: CanonicalEvent): Pick<CanonicalEvent, 'start' | 'end' | 'recurrence'> {
  const first = occurrences({ ...s, count: 1 })[0]!;
  const all = occurrences(s);
  const held = new Set((current?.recurrence?.exdates ?? []).map(eventTimeKey));
  const gone = [...s.exdates, ...[...s.cancelled].filter((i) => held.has(eventTimeKey(all[i]!.original)))];
  return {
    start: timeAt(s, first.startMs),
    end: timeAt(s, first.endMs),
    recurrence: { rrules: [`${SHAPE[s.shape].text};COUNT=${s.count}`], exdates: gone.sort((a, b) => a - b).map((i) => all[i]!.original), rdates: [] },
  };
}

class SeriesRun {
  readonly series: Series[] = [];
  private n = 0;
  constructor(readonly env: ModelEnv) {}

  private apart(c: number): boolean {
    return this.env.driver.apart?.(c) ?? false;
  }

  async apply(cmd: SeriesCmd): Promise<void> {
    if (cmd.k === 'sync') return this.sync();
    if (cmd.k === 'create') return this.create(cmd.cal, cmd.side, SHAPES[cmd.shape]!);
    const mine = this.series.filter((s) => s.live && s.cal === cmd.cal);
    const s = mine[cmd.pick % Math.max(1, mine.length)];
    if (!s || (s.dirty && s.dirty !== cmd.side)) return;
    const next: Series = { ...s, exdates: new Set(s.exdates), cancelled: new Set(s.cancelled), moved: new Map(s.moved) };
    const gone = (i: number) => next.exdates.has(i) || next.cancelled.has(i);
    const exceptions = next.exdates.size + next.cancelled.size + next.moved.size;
    let touched: number | 'master' | 'delete';
    if (cmd.k === 'delete') touched = 'delete';
    else if (cmd.k === 'count') {
      const highest = Math.max(-1, ...next.exdates, ...next.cancelled, ...next.moved.keys());
      // A shorter rule would orphan an exception; what that means differs by provider, so it is not asked.
      if (cmd.count <= highest || cmd.count === next.count) return;
      next.count = cmd.count;
      touched = 'master';
    } else if (cmd.k === 'shift') {
      // Re-timing the whole series moves every original start: only without exceptions.
      if (exceptions > 0 || (next.shape === 'allday' && cmd.minutes % 1440 !== 0)) return;
      next.shiftMs += cmd.minutes * MIN;
      touched = 'master';
    } else {
      const i = cmd.idx % next.count;
      if (gone(i)) return;
      if (cmd.k === 'exdate') {
        // An EXDATE on an instance that has an override would leave the override standing.
        if (next.moved.has(i)) return;
        next.exdates.add(i);
        touched = 'master';
      } else if (cmd.k === 'cancel') {
        next.moved.delete(i);
        next.cancelled.add(i);
        touched = i;
      } else if (cmd.k === 'move') {
        const m = next.moved.get(i) ?? { offsetMs: 0, durMs: occurrences(next)[i]!.endMs - occurrences(next)[i]!.startMs };
        next.moved.set(i, { ...m, offsetMs: m.offsetMs + cmd.days * DAY });
        touched = i;
      } else {
        if (next.shape === 'allday') return;
        const m = next.moved.get(i) ?? { offsetMs: 0, durMs: SHAPE[next.shape].span };
        next.moved.set(i, { offsetMs: m.offsetMs + cmd.minutes * MIN, durMs: cmd.dur * MIN });
        touched = i;
      }
    }
    // Outlook, and the hub's API for such a calendar, refuse an occurrence moved onto or past a neighbour.
    if (typeof touched === 'number' && this.env.driver.keepsOccurrenceOrder?.(s.cal) && crossesNeighbour(next, touched)) return;
    if (cmd.side === 'p') await this.providerWrite(s, next, touched);
    else await this.hubWrite(s, next, touched);
    Object.assign(s, next, { dirty: cmd.side, live: touched !== 'delete' });
  }

  private async create(c: number, by: Side, shape: Shape): Promise<void> {
    this.n += 1;
    const s: Series = { uid: `series-${this.n}-${Math.random().toString(36).slice(2, 8)}@model`, cal: c, shape, count: 6, shiftMs: 0, exdates: new Set(), cancelled: new Set(), moved: new Map(), live: true, dirty: by };
    const master = parseEvent({ uid: s.uid, title: `series ${this.n} (${shape})`, ...masterInput(s) });
    if (by === 'p') await this.env.driver.put(c, null, [master]);
    else await this.env.writer.create(this.env.tenantId, this.env.calendars[c]!, master);
    this.series.push(s);
  }

  /** The events of a series after an edit, from the events as they are now on that side. */
  private edited(now: CanonicalEvent[], next: Series, touched: number | 'master'): CanonicalEvent[] {
    const master = now.find((e) => e.originalStart === null)!;
    if (touched === 'master') {
      const m = parseEvent({ ...master, ...masterInput(next, master) });
      return now.map((e) => (e === master ? m : e));
    }
    const occ = occurrences(next)[touched]!;
    const key = eventTimeKey(occ.original);
    const current = now.find((e) => e.originalStart && eventTimeKey(e.originalStart) === key);
    const base = current ?? { ...master, recurrence: null, providerEventId: null, providerVersion: null, originalStart: occ.original };
    const moved = next.moved.get(touched);
    const times = moved
      ? { start: timeAt(next, occ.startMs + moved.offsetMs), end: timeAt(next, occ.startMs + moved.offsetMs + moved.durMs) }
      : { start: timeAt(next, occ.startMs), end: timeAt(next, occ.endMs) };
    const ov = parseEvent({ ...base, ...times, status: next.cancelled.has(touched) ? 'cancelled' : base.status === 'cancelled' ? 'confirmed' : base.status });
    return current ? now.map((e) => (e === current ? ov : e)) : [...now, ov];
  }

  private async providerWrite(s: Series, next: Series, touched: number | 'master' | 'delete'): Promise<void> {
    const { driver } = this.env;
    const objects = (await driver.list(s.cal)).filter((o) => o.events.some((e) => e.uid === s.uid));
    const masterObj = objects.find((o) => o.events.some((e) => e.originalStart === null));
    assert.ok(masterObj, `series ${s.uid} is missing on the provider before an edit`);
    if (touched === 'delete') return driver.delete(s.cal, masterObj.remoteId);
    if (touched === 'master' && driver.dropsExceptionsOnRuleChange?.(s.cal) && next.count !== s.count) {
      // Outlook discards a series' exceptions and cancellations when its pattern changes
      // (MS-OXOCAL 3.1.4.7.3.5): the edit is written as Outlook leaves the series.
      next.exdates.clear();
      next.cancelled.clear();
      next.moved.clear();
    }
    const now = objects.flatMap((o) => o.events);
    const after = this.edited(now, next, touched);
    if (!this.apart(s.cal)) return driver.put(s.cal, masterObj.remoteId, after);
    // Google and Graph keep each instance as an object of its own: write the one that changed.
    const changed = after.find((e) => !now.includes(e))!;
    const key = changed.originalStart ? eventTimeKey(changed.originalStart) : null;
    const own = objects.find((o) => o.events.some((e) => (e.originalStart ? eventTimeKey(e.originalStart) : null) === key));
    await driver.put(s.cal, own?.remoteId ?? null, [changed]);
  }

  private async hubWrite(s: Series, next: Series, touched: number | 'master' | 'delete'): Promise<void> {
    const { env } = this;
    const calendarId = env.calendars[s.cal]!;
    const rows = await env.store.tenant(env.tenantId).events.byUid(calendarId, s.uid);
    const master = rows.find((r) => r.event.originalStart === null);
    assert.ok(master, `series ${s.uid} is missing in the store before an edit`);
    if (touched === 'delete') return env.writer.delete(env.tenantId, master.id);
    if (touched === 'master') {
      await env.writer.update(env.tenantId, master.id, masterInput(next, master.event));
      return;
    }
    // One occurrence, named by its original start as the instance listing names it.
    const occ = occurrences(next)[touched]!;
    const at = await findOccurrence(env.store, env.tenantId, master.id, eventTimeKey(occ.original));
    if (next.cancelled.has(touched)) {
      if (at.override) await env.writer.delete(env.tenantId, at.override.id);
      else await cancelRegular(env.deps, env.tenantId, at);
      return;
    }
    const moved = next.moved.get(touched)!;
    const times = { start: timeAt(next, occ.startMs + moved.offsetMs), end: timeAt(next, occ.startMs + moved.offsetMs + moved.durMs) };
    if (at.override) await env.writer.update(env.tenantId, at.override.id, times);
    else await writeOccurrence(env.deps, env.tenantId, at, parseEvent({ ...at.base, ...times }));
  }

  async sync(): Promise<void> {
    const { env } = this;
    env.driver.arm?.();
    try {
      await settle(env.deps, env.tenantId, env.calendars, { maxRounds: 12 });
    } finally {
      env.driver.disarm?.();
    }
    await this.check();
  }

  private async busyByUid(c: number): Promise<Map<string, Array<[number, number]>>> {
    const spans = await this.env.store.tenant(this.env.tenantId).busy([this.env.calendars[c]!], ...WINDOW);
    const by = new Map<string, Array<[number, number]>>();
    for (const sp of spans) by.set(sp.uid, [...(by.get(sp.uid) ?? []), [sp.start.getTime(), sp.end.getTime()]]);
    return by;
  }

  async check(): Promise<void> {
    const { env } = this;
    const t = env.store.tenant(env.tenantId);
    const originals = new Set(this.series.map((s) => s.uid));
    for (let c = 0; c < env.calendars.length; c++) {
      // Convergence: the store holds exactly what the provider holds, one object per UID and instance.
      const objects = await env.driver.list(c);
      const localEvents = (await t.events.list(env.calendars[c]!)).map((r) => r.event);
      const local = byKey(localEvents);
      // An exception that is its series' plain occurrence (Google's and Graph's spelling of "no
      // override here", plain-occurrences.ts) is no override: the hub keeps no row for it (off-rule.ts).
      // Only that: every content field equal to the provider's own master at that slot (contentHash,
      // not just the times), not cancelled, and at an original start that is an occurrence of the
      // provider's rule (EXDATEs included). An exception off the rule shows an instance the series
      // does not, so the store must hold it; where the store holds a row, it is compared as usual.
      const remoteEvents = objects.flatMap((o) => o.events);
      const masters = new Map(remoteEvents.filter((e) => e.originalStart === null).map((e) => [e.uid, e]));
      const zone = (await t.calendars.get(env.calendars[c]!))?.timeZone ?? 'UTC';
      const remote = byKey(remoteEvents.filter((e) => !isPlainException(e, masters, local, zone)));
      assert.deepEqual(Object.keys(local), Object.keys(remote), `calendar ${c}: store and provider hold different instances`);
      for (const k of Object.keys(local)) assert.deepEqual(local[k], remote[k], `calendar ${c}: ${k} differs between store and provider`);
      const keys = objects.flatMap((o) => o.events.map((e) => `${e.uid} ${e.originalStart ? eventTimeKey(e.originalStart) : ''}`));
      assert.equal(new Set(keys).size, keys.length, `calendar ${c}: an instance is held by two provider objects`);
      // Every series' busy time is the model's; nothing lost, nothing left behind.
      const busy = await this.busyByUid(c);
      for (const s of this.series.filter((x) => x.cal === c)) {
        const want = s.live ? expectedBusy(s) : [];
        assert.deepEqual(show(join(busy.get(s.uid) ?? [])), show(want), `calendar ${c}: busy time of ${s.shape} series ${s.uid} (${describe(s)})`);
        assert.equal(objects.some((o) => o.events.some((e) => e.uid === s.uid)), s.live, `series ${s.uid} ${s.live ? 'was lost' : 'should be deleted'}`);
      }
    }
    // Mirror rules A -> C, B <-> C: a copy calendar is busy exactly when its sources' series are.
    for (const [target, sources] of [[2, [0, 1]], [1, [2]], [0, []]] as const) {
      const copies = [...(await this.busyByUid(target))].filter(([uid]) => !originals.has(uid)).flatMap(([, spans]) => spans);
      const want = this.series.filter((s) => s.live && (sources as readonly number[]).includes(s.cal)).flatMap(expectedBusy);
      assert.deepEqual(show(join(copies)), show(join(want)), `calendar ${target}: the mirror copies' busy time is not its sources'`);
    }
    for (const s of this.series) s.dirty = null;
    // No echo writes: syncing a settled state writes nothing, to the providers or to the copies.
    const writes = env.driver.writes();
    const again = await settle(env.deps, env.tenantId, env.calendars);
    assert.equal(env.driver.writes(), writes, 'a settled state caused provider writes (echo)');
    assert.equal(again.mirrored, 0, 'a settled state rewrote mirror copies (an endless diff)');
  }
}

function describe(s: Series): string {
  return JSON.stringify({ count: s.count, shiftMs: s.shiftMs, exdates: [...s.exdates], cancelled: [...s.cancelled], moved: [...s.moved] });
}

/** A provider exception the store rightly holds no row for: exactly its series' plain occurrence (see check). */
export function isPlainException(e: CanonicalEvent, masters: Map<string, CanonicalEvent>, local: Record<string, string>, zone: string): boolean {
  if (e.originalStart === null || e.status === 'cancelled' || key(e) in local) return false;
  const m = masters.get(e.uid);
  if (!m?.recurrence || !isOccurrence(m, e.originalStart, zone)) return false;
  return contentHash(e) === contentHash(plainOccurrence(m, e.originalStart));
}

/** Events keyed by UID and original start, each as its busy-relevant content (what every provider keeps). */
function byKey(events: CanonicalEvent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of [...events].sort((a, b) => key(a).localeCompare(key(b)))) {
    out[key(e)] = JSON.stringify({ start: e.start, end: e.end, status: e.status, rrules: e.recurrence?.rrules.map(sameRule) ?? null, exdates: e.recurrence?.exdates.map(eventTimeKey).sort() ?? null });
  }
  return out;
}
/** An RRULE's parts in one order: Graph's mapping writes COUNT before INTERVAL, the hub kept the writer's order; the rule is the same. */
const sameRule = (rule: string) => rule.split(';').sort((a, b) => (a.startsWith('FREQ=') ? -1 : b.startsWith('FREQ=') ? 1 : a.localeCompare(b))).join(';');
const key = (e: CanonicalEvent) => `${e.uid} ${e.originalStart ? eventTimeKey(e.originalStart) : '-'}`;

export async function runSeriesModel(store: Store, cmds: SeriesCmd[], makeEnv: (store: Store) => Promise<ModelEnv>): Promise<number> {
  const env = await makeEnv(store);
  const t = store.tenant(env.tenantId);
  await t.mirror.create(env.calendars[0]!, env.calendars[2]!, { mode: 'busy-block' });
  await t.mirror.create(env.calendars[1]!, env.calendars[2]!, { mode: 'busy-block', twoWay: true });
  const run = new SeriesRun(env);
  for (const cmd of cmds) await run.apply(cmd);
  await run.sync();
  return cmds.length;
}
