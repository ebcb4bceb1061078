/** What operators are told about a calendar's quarantine: how many items are set aside, and the oldest few by name. */
import type { Queryable } from './db.ts';
import { oldestPerCalendar, type ItemSummary } from './oldest-per-calendar.ts';

export type QuarantineSummary = ItemSummary<{ error: string }>;

export const quarantineSummary = (db: Queryable, calendarIds: string[], shown = 3): Promise<QuarantineSummary[]> =>
  oldestPerCalendar<'error', string>(db, 'quarantine', 'error', calendarIds, shown);
