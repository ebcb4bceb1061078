// The busy read path: one definition of "busy in a window" (busy-in-window.ts), the per-process
// cache of each calendar's busy spans keyed by busy_version, its fast window answers, and slots.
export { busyInWindow, union, type OutSpan, type Span } from './busy-in-window.ts';
export { BusyCache, type BusyCacheOptions, type CalendarBusy } from './busy-cache.ts';
export { blockingSpans, busyJson, mergedJson, spansInWindow } from './busy-window.ts';
export { CalendarLookups } from './calendar-lookups.ts';
export { findSlots, workingIntervals, zoneGrid, WEEKDAYS, type WorkingHours } from './slots.ts';
export { isoUtc } from './iso.ts';
export { CalendarMemo, type CalendarMemoOptions } from './calendar-memo.ts';
