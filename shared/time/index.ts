export type { ExpandInput, Occurrence } from './types.ts';
export { resolveZone } from './resolve-zone.ts';
export { windowsToIana, ianaToWindows } from './windows-zones.ts';
export { localToUtcMs, utcMsToLocal, zoneOffsetMs } from './zone.ts';
export { expandSeries, MAX_OCCURRENCES, ITERATION_BUDGET } from './expand.ts';
export { parseRRule, type RRule, type Freq, type Until } from './rrule.ts';
