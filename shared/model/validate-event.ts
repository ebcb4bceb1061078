import { ValidationError } from '../errors.ts';
import { attendeeSchema, eventSchema, organizerSchema, provenanceSchema, recurrenceSchema, type CanonicalEvent, type CanonicalEventInput } from './event.ts';

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
  // A field that is not one: said as the API says it (400 INVALID_REQUEST, api/errors.ts schemaMessage),
  // not in zod's words ("Unrecognized key(s) in object"), for the CLI and every other caller.
  const unknown = r.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => unknownField(i.path, k)) : []));
  if (unknown.length) throw new ValidationError(unknown.join('; '), unknown, 'INVALID_REQUEST');
  const issues = r.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.path.length && valueAt(input, i.path) === undefined ? 'required' : i.message}`);
  throw new ValidationError(`invalid event: ${issues.join('; ')}`, issues);
}

/** The strict objects of an event by where they are, for the fields each takes. */
function objectAt(path: PropertyKey[]): { shape: object } | null {
  const [head, second] = path;
  if (path.length === 0) return eventSchema;
  if (path.length === 1 && head === 'organizer') return organizerSchema;
  if (path.length === 1 && head === 'recurrence') return recurrenceSchema;
  if (path.length === 1 && head === 'provenance') return provenanceSchema;
  if (path.length === 2 && head === 'attendees' && typeof second === 'number') return attendeeSchema;
  return null;
}

function unknownField(path: PropertyKey[], key: string): string {
  const where = ['event', ...path.map(String)].join('.');
  const known = objectAt(path);
  return `${where}.${key} is not a known field${known ? `; ${where} takes ${Object.keys(known.shape).join(', ')}` : ''}`;
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
