/** Validation and normalization of written event bodies (A.3, A.4), the way Google answers them. */
import { badRequest, GoogleHttpError } from './errors.ts';
import type { CalendarState, GEvent, GEventDateTime } from './types.ts';
import { formatInZone, isValidZone, parseDateTime } from './zone.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const EVENT_ID = /^[a-v0-9]{5,1024}$/;

export function normalizeTime(t: unknown, field: 'start' | 'end', cal: CalendarState, recurring: boolean): GEventDateTime {
  if (!t || typeof t !== 'object') throw badRequest(`Missing ${field} time.`, undefined, 'required');
  const v = t as GEventDateTime;
  if (v.timeZone !== undefined && !isValidZone(v.timeZone)) throw badRequest(`Invalid time zone definition for ${field} time.`, undefined, 'timeZoneInvalid');
  if (v.date !== undefined) {
    if (!DATE.test(v.date) || Number.isNaN(Date.parse(v.date))) throw badRequest(`Invalid ${field} time.`);
    return v.timeZone ? { date: v.date, timeZone: v.timeZone } : { date: v.date };
  }
  if (typeof v.dateTime !== 'string') throw badRequest(`Missing ${field} time.`, undefined, 'required');
  // "For recurring events this field is required" (discovery EventDateTime.timeZone).
  if (recurring && !v.timeZone) throw badRequest(`Missing time zone definition for ${field} time.`, undefined, 'required');
  const ms = parseDateTime(v.dateTime, v.timeZone);
  if (ms === null || Number.isNaN(ms)) throw badRequest(`Invalid ${field} time.`);
  const zone = v.timeZone ?? cal.timeZone;
  return v.timeZone ? { dateTime: formatInZone(ms, zone), timeZone: zone } : { dateTime: formatInZone(ms, zone) };
}

export function validateRecurrence(lines: unknown): string[] | undefined {
  if (lines === undefined || lines === null) return undefined;
  if (!Array.isArray(lines)) throw badRequest('Invalid recurrence rule.');
  for (const l of lines) {
    // DTSTART and DTEND lines are not allowed (discovery Event.recurrence).
    if (typeof l !== 'string' || !/^(RRULE|EXRULE|RDATE|EXDATE)[;:]/i.test(l)) throw badRequest('Invalid recurrence rule.');
  }
  return lines as string[];
}

/** Start/end checks shared by insert, update and patch: all-day vs timed, non-empty range. */
export function normalizeTimes(ev: GEvent, cal: CalendarState): void {
  const recurring = Boolean(ev.recurrence?.length);
  ev.start = normalizeTime(ev.start, 'start', cal, recurring);
  ev.end = normalizeTime(ev.end, 'end', cal, recurring);
  if ((ev.start.date === undefined) !== (ev.end.date === undefined)) throw badRequest('Invalid start time.');
  const s = ev.start.date ?? parseDateTime(ev.start.dateTime!, ev.start.timeZone);
  const e = ev.end.date ?? parseDateTime(ev.end.dateTime!, ev.end.timeZone);
  if (s !== null && e !== null && (typeof s === 'string' ? s >= (e as string) : s > (e as number))) {
    throw new GoogleHttpError(400, { domain: 'calendar', reason: 'timeRangeEmpty', message: 'The specified time range is empty.' });
  }
}

/** Marks the calendar owner's attendee entry `self`, as Google does for the requesting user. */
export function markSelf(ev: GEvent, cal: CalendarState): void {
  if (!ev.attendees) return;
  ev.attendees = ev.attendees.map((a) => {
    const { self: _s, ...rest } = a;
    if (!rest.email) throw badRequest('Missing attendee email.', undefined, 'required');
    return rest.email.toLowerCase() === cal.ownerEmail.toLowerCase() ? { ...rest, self: true } : rest;
  });
}

/** hangoutLink is read-only and derived from a Meet conference (A.4). */
export function deriveHangoutLink(ev: GEvent): void {
  const cd = ev.conferenceData as { conferenceSolution?: { key?: { type?: string } }; entryPoints?: Array<{ entryPointType?: string; uri?: string }> } | undefined;
  const video = cd?.entryPoints?.find((p) => p.entryPointType === 'video')?.uri;
  if (cd?.conferenceSolution?.key?.type === 'hangoutsMeet' && video) ev.hangoutLink = video;
  else delete ev.hangoutLink;
}

/** PATCH semantics: objects merge, arrays replace, `null` deletes (extended-properties guide). */
export function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (typeof v === 'object' && !Array.isArray(v) && typeof out[k] === 'object' && out[k] !== null && !Array.isArray(out[k])) {
      out[k] = mergePatch(out[k] as Record<string, unknown>, v as Record<string, unknown>);
    } else out[k] = v;
  }
  return out;
}
