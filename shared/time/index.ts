export type { ExpandInput, Occurrence } from './types.ts';
export { resolveZone } from './resolve-zone.ts';
export { windowsToIana, ianaToWindows } from './windows-zones.ts';
export { localToUtcMs, utcMsToLocal, zoneOffsetMs, zoneOffsetOnceMs } from './zone.ts';
export { expandSeries, MAX_OCCURRENCES, ITERATION_BUDGET, EXPAND_BUDGET_MS } from './expand.ts';
export { parseRRule, type RRule, type Freq, type Until } from './rrule.ts';
export { canonicalTime, canonicalTimes, instantInZone, presentTime, refuseCollapsedByGap, RFC5545_GAP, RFC5545_OVERLAP, type ApiEventTime, type TimeNote } from './wall-clock.ts';
export { occurrenceBound } from './occurrence-bound.ts';
export { isRealDateTime } from './iso.ts';
