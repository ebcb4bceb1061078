import { localToUtcMs, utcMsToLocal, zoneOffsetMs } from '../shared/time/index.ts';
import { union } from './busy-in-window.ts';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WorkingHours {
  /** IANA zone the hours are read in. */
  timeZone: string;
  /**
   * `HH:mm` ranges per weekday; an end before the start runs into the next day (a night shift);
   * `24:00` is the midnight ending the day. A range whose end equals its start is empty here (the
   * API refuses it: WORKING_HOURS_INVALID), never 24 hours.
   */
  days: Partial<Record<Weekday, Array<{ start: string; end: string }>>>;
}

export interface SlotParticipant {
  id: string;
  optional: boolean;
  /** Busy intervals (ms), any order, any overlap. */
  busy: Array<{ start: number; end: number }>;
  workingHours: WorkingHours | null;
}

export interface SlotQuery {
  start: number;
  end: number;
  durationMs: number;
  stepMs: number;
  bufferBeforeMs: number;
  bufferAfterMs: number;
  minimumOptional: number;
  maxSlots: number;
  /** No slot starts before this instant (ms): now plus the minimum notice. */
  notBefore: number;
  /**
   * null: slots start at start + k·step. A zone: slots start where that zone's wall clock reads a
   * whole number of steps after its local midnight (each day starts the grid again).
   */
  gridZone: string | null;
}

export interface Slot {
  start: number;
  end: number;
  participants: string[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Working intervals in UTC covering [start, end), each day's wall-clock hours resolved in its zone (DST-correct). */
export function workingIntervals(wh: WorkingHours, start: number, end: number): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  const first = Date.parse(`${utcMsToLocal(start, wh.timeZone).slice(0, 10)}T00:00:00Z`) - DAY;
  const last = Date.parse(`${utcMsToLocal(end, wh.timeZone).slice(0, 10)}T00:00:00Z`) + DAY;
  for (let d = first; d <= last; d += DAY) {
    const ranges = wh.days[WEEKDAYS[new Date(d).getUTCDay()]!];
    if (!ranges) continue;
    const date = new Date(d).toISOString().slice(0, 10);
    const next = new Date(d + DAY).toISOString().slice(0, 10);
    for (const r of ranges) {
      if (r.start === r.end || r.start === '24:00') continue;
      const s = localToUtcMs(`${date}T${r.start}:00`, wh.timeZone);
      const overnight = r.end === '24:00' || r.end < r.start;
      const endTime = r.end === '24:00' ? '00:00' : r.end;
      const e = localToUtcMs(`${overnight ? next : date}T${endTime}:00`, wh.timeZone);
      if (e > s && e > start && s < end) out.push({ start: s, end: e });
    }
  }
  return union(out);
}

/**
 * The instants, ascending, at which `zone`'s wall clock reads local midnight + k·step on a day
 * around [from, to]. A wall time the clocks skip (spring forward) is no start; one they repeat
 * (fall back) is two: 01:00 EDT and 01:00 EST both read 01:00.
 */
export function* zoneGrid(zone: string, stepMs: number, from: number, to: number): Generator<number> {
  const stepMin = Math.max(1, Math.round(stepMs / 60_000));
  const first = Date.parse(`${utcMsToLocal(from, zone).slice(0, 10)}T00:00:00Z`);
  const last = Date.parse(`${utcMsToLocal(to, zone).slice(0, 10)}T00:00:00Z`);
  let prev = -Infinity;
  // d is the local day's midnight as wall-clock ms; an instant t reads wall time w when w = t + offset(t).
  for (let d = first; d <= last; d += DAY) {
    const offsets = [...new Set([d - 14 * HOUR, d + 12 * HOUR, d + DAY + 14 * HOUR].map((t) => zoneOffsetMs(t, zone)))];
    const day: number[] = [];
    for (let m = 0; m < 1440; m += stepMin) {
      const wall = d + m * 60_000;
      if (offsets.length === 1) {
        day.push(wall - offsets[0]!);
        continue;
      }
      // A day the clocks change: a wall time they skip has no instant, one they repeat has two.
      for (const off of offsets) if (zoneOffsetMs(wall - off, zone) === off) day.push(wall - off);
    }
    if (offsets.length > 1) day.sort((a, b) => a - b);
    for (const s of day) {
      if (s <= prev || s < from) continue;
      if (s > to) return;
      prev = s;
      yield s;
    }
  }
}

function* gridStarts(q: SlotQuery): Generator<number> {
  const lo = Math.max(q.start, q.notBefore);
  const lastStart = q.end - q.durationMs;
  if (q.gridZone) {
    yield* zoneGrid(q.gridZone, q.stepMs, lo, lastStart);
    return;
  }
  const first = lo > q.start ? q.start + Math.ceil((lo - q.start) / q.stepMs) * q.stepMs : q.start;
  for (let s = first; s <= lastStart; s += q.stepMs) yield s;
}

/**
 * Candidate slots [s, s + duration) inside the window, s on the grid (start + k·step, or whole steps
 * of gridZone's wall clock) and never before notBefore (the floor drops slots of the grid, it does
 * not shift it), where every required participant
 * and at least `minimumOptional` optional ones are free: inside their working hours, and no busy
 * time within the buffers around the slot. One forward sweep per participant.
 */
export function findSlots(q: SlotQuery, people: SlotParticipant[]): { slots: Slot[]; truncated: boolean } {
  const prepared = people.map((p) => ({
    id: p.id,
    optional: p.optional,
    // A busy span blocks slots that would start within bufferAfter of its end… and vice versa.
    busy: union(p.busy.map((b) => ({ start: b.start - q.bufferAfterMs, end: b.end + q.bufferBeforeMs }))),
    work: p.workingHours ? workingIntervals(p.workingHours, q.start, q.end) : null,
    bi: 0,
    wi: 0,
  }));
  const slots: Slot[] = [];
  for (const s of gridStarts(q)) {
    const e = s + q.durationMs;
    const free: string[] = [];
    let requiredOk = true;
    let optionalFree = 0;
    for (const p of prepared) {
      while (p.bi < p.busy.length && p.busy[p.bi]!.end <= s) p.bi++;
      let ok = !(p.bi < p.busy.length && p.busy[p.bi]!.start < e);
      if (ok && p.work) {
        while (p.wi < p.work.length && p.work[p.wi]!.end < e) p.wi++;
        const w = p.work[p.wi];
        ok = w !== undefined && w.start <= s;
      }
      if (ok) {
        free.push(p.id);
        if (p.optional) optionalFree++;
      } else if (!p.optional) {
        requiredOk = false;
      }
    }
    if (!requiredOk || optionalFree < q.minimumOptional) continue;
    if (slots.length >= q.maxSlots) return { slots, truncated: true };
    slots.push({ start: s, end: e, participants: free });
  }
  return { slots, truncated: false };
}
