import { ApiError } from './errors.ts';

export interface ApiLimits {
  /** Longest free/busy or event-listing window, in days. */
  maxWindowDays: number;
  /** Longest availability window, in days. */
  maxAvailabilityDays: number;
  /** Calendars one free/busy or availability request may cover (after expanding accounts). */
  maxCalendars: number;
  maxParticipants: number;
  /** Most candidate slots one availability answer lists. */
  maxSlots: number;
  /** During a store outage, free/busy and availability may answer from the cache when the store confirmed it at most this long ago (API_FREEBUSY_STALE_MAX_S); 0: never. */
  freeBusyStaleMaxMs: number;
}

/** The limits that are not configuration (the others come from API_* variables, see shared/config). */
export const FIXED_LIMITS: Pick<ApiLimits, 'maxParticipants' | 'maxSlots'> = { maxParticipants: 20, maxSlots: 1000 };

const DAY = 86_400_000;

/**
 * Parses and checks a [timeMin, timeMax) window. Both are schema-checked as date-time, which also
 * refuses a date that does not exist with DATE_INVALID (api/date-time-input.ts).
 */
export function parseWindow(timeMin: string, timeMax: string, maxDays: number): { start: Date; end: Date } {
  const start = new Date(timeMin);
  const end = new Date(timeMax);
  if (end.getTime() <= start.getTime()) throw new ApiError('INVALID_WINDOW', 'timeMax must be after timeMin');
  if (end.getTime() - start.getTime() > maxDays * DAY) throw new ApiError('WINDOW_TOO_LARGE', `the window may span at most ${maxDays} days`);
  return { start, end };
}
