export { parseCalendarObject, MAX_RESOURCE_BYTES, type ParseOptions } from './parse.ts';
export { serializeCalendarObject, PRODID } from './serialize.ts';
export { withRaisedSequences, significantChange, movesOccurrence } from './sequence.ts';
export { mergeIntoStored } from './merge.ts';
