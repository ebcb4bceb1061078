import { localToUtcMs, utcMsToLocal } from '../shared/time/index.ts';
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
}

export interface Slot {
  start: number;
  end: number;
  participants: string[];
}

const DAY = 86_400_000;

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
 * Candidate slots [start + k·step, … + duration) inside the window, none starting before notBefore
 * (the grid stays anchored at start: the floor drops slots, it does not shift them), where every required participant
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
  const first = q.notBefore > q.start ? q.start + Math.ceil((q.notBefore - q.start) / q.stepMs) * q.stepMs : q.start;
  for (let s = first; s + q.durationMs <= q.end; s += q.stepMs) {
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
