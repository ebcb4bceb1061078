import { ValidationError } from '../errors.ts';
import { eventSchema, type CanonicalEvent, type CanonicalEventInput } from './event.ts';

/**
 * Events parseEvent returned. The store re-validates what it is handed (a caller may pass any
 * object typed as CanonicalEvent); an event a connector's mapper already parsed is not parsed a
 * second time on the same page (zod was a fifth of the write path's CPU). Canonical events are
 * never mutated in place: every change makes a new object (spreads), which is not in this set.
 */
const parsed = new WeakSet<object>();

/** True when `e` is an object parseEvent produced. */
export const isParsedEvent = (e: object): boolean => parsed.has(e);

/** Validates and fills defaults; throws ValidationError naming every bad field. */
export function parseEvent(input: CanonicalEventInput | unknown): CanonicalEvent {
  const r = eventSchema.safeParse(input);
  if (r.success) {
    parsed.add(r.data);
    return r.data as CanonicalEvent;
  }
  const issues = r.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.path.length && valueAt(input, i.path) === undefined ? 'required' : i.message}`);
  throw new ValidationError(`invalid event: ${issues.join('; ')}`, issues);
}

// zod words a missing field by the shape it wanted ("Invalid input" for a start that is a union of forms).
function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}
