import { ValidationError } from '../errors.ts';
import { eventSchema, type CanonicalEvent, type CanonicalEventInput } from './event.ts';

/** Validates and fills defaults; throws ValidationError naming every bad field. */
export function parseEvent(input: CanonicalEventInput | unknown): CanonicalEvent {
  const r = eventSchema.safeParse(input);
  if (r.success) return r.data as CanonicalEvent;
  const issues = r.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`);
  throw new ValidationError(`invalid event: ${issues.join('; ')}`, issues);
}
