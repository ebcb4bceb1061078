export * from './event-time.ts';
export * from './event.ts';
export * from './account.ts';
export * from './calendar.ts';
export { contentHash } from './content-hash.ts';
export { parseEvent } from './validate-event.ts';
export * from './busy-policy.ts';
export { normalizeRRule } from './rrule-text.ts';
export { validateForWrite, EventRuleError, type EventRuleCode } from './validate.ts';
