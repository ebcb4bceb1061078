/**
 * freebusy.query (A.6). Busy = every occurrence that is not cancelled, not transparent and not
 * declined by the calendar's owner, clipped to the window, overlapping periods merged.
 */
import { GoogleHttpError } from '../errors.ts';
import { exceptionIndex, occurrencesOf } from '../expand.ts';
import { ok, route, type Route } from '../http.ts';
import type { EmulatorState } from '../state.ts';
import type { CalendarState } from '../types.ts';
import { isRfc3339WithOffset } from '../zone.ts';
import { calendarIdFor } from '../access.ts';

/** "The requested time range is too long." past ~90 days (A.6; exact status UNCONFIRMED). */
export const MAX_SPAN_DAYS = 90;
export const CALENDAR_EXPANSION_MAX = 50;

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

export function busyOf(cal: CalendarState, start: number, end: number): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  const index = exceptionIndex(cal);
  for (const e of cal.events.values()) {
    if (e.deleted || e.res.recurringEventId) continue;
    for (const occ of occurrencesOf(cal, e, { start, end }, index)) {
      const ev = occ.event;
      if (ev.status === 'cancelled' || ev.availability === 'free') continue;
      if (ev.attendees.some((a) => a.self && a.response === 'declined')) continue;
      spans.push({ start: Math.max(occ.startMs, start), end: Math.min(occ.endMs, end) });
    }
  }
  spans.sort((a, b) => a.start - b.start);
  const merged: typeof spans = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else if (s.end > s.start) merged.push({ ...s });
  }
  return merged;
}

const bad = (reason: string, message: string) => new GoogleHttpError(400, { domain: 'calendar', reason, message });

export function freeBusyRoutes(state: EmulatorState): Route[] {
  return [
    route('POST', '/calendar/v3/freeBusy', (req) => {
      const b = (req.body ?? {}) as { timeMin?: string; timeMax?: string; items?: Array<{ id?: string }>; calendarExpansionMax?: number; groupExpansionMax?: number };
      if (!b.timeMin || !b.timeMax) throw new GoogleHttpError(400, { domain: 'global', reason: 'required', message: 'Missing timeMin or timeMax.' });
      if (!isRfc3339WithOffset(b.timeMin) || !isRfc3339WithOffset(b.timeMax)) throw new GoogleHttpError(400, { domain: 'global', reason: 'invalid', message: 'Bad Request' });
      const start = Date.parse(b.timeMin);
      const end = Date.parse(b.timeMax);
      if (start >= end) throw bad('timeRangeEmpty', 'The specified time range is empty.');
      if (end - start > MAX_SPAN_DAYS * 86_400_000) throw bad('timeRangeTooLong', 'The requested time range is too long.');
      if ((b.calendarExpansionMax ?? 0) > CALENDAR_EXPANSION_MAX || (b.groupExpansionMax ?? 0) > 100) {
        throw new GoogleHttpError(400, { domain: 'global', reason: 'invalid', message: 'Invalid expansion maximum.' });
      }
      const calendars: Record<string, unknown> = {};
      (b.items ?? []).forEach((item, i) => {
        const id = item.id ?? '';
        if (i >= CALENDAR_EXPANSION_MAX) {
          // Per-calendar errors instead of failing the request (A.6).
          calendars[id] = { errors: [{ domain: 'usageLimits', reason: 'tooManyCalendarsRequested' }], busy: [] };
          return;
        }
        const cal = state.calendars.get(calendarIdFor(state, req.user!.email, id));
        if (!cal || !cal.acl.has(req.user!.email)) {
          calendars[id] = { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
          return;
        }
        calendars[id] = { busy: busyOf(cal, start, end).map((s) => ({ start: iso(s.start), end: iso(s.end) })) };
      });
      return ok({ kind: 'calendar#freeBusy', timeMin: iso(start), timeMax: iso(end), calendars });
    }),
  ];
}
