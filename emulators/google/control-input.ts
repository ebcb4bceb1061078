/**
 * Checks on the control API's JSON bodies. Its routes hand JSON to typed control functions, and a
 * value of the wrong shape went through as it came (an organizer given as a string was spread into
 * `{"0":"b","1":"o",…}`): a wrong shape is now a 400 naming the field, and nothing is stored.
 */
import { badRequest } from './errors.ts';

export type Body = Record<string, unknown>;

const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Google's own reasons: `required` for a missing value, `invalid` for a wrong one. */
const missing = (field: string) => badRequest(`Missing ${field}.`, field, 'required');
const invalid = (field: string, want: string) => badRequest(`Invalid value for ${field}: ${want}.`, field);

export function objectField(body: Body, field: string): Body {
  const v = body[field];
  if (v === undefined || v === null) throw missing(field);
  if (!isObject(v)) throw invalid(field, 'expected a JSON object');
  return v;
}

/** `name` is the field as the caller wrote it (`organizer.email`), for a field of a nested object. */
export function stringField(body: Body, field: string, name = field): string {
  const v = body[field];
  if (v === undefined || v === null || v === '') throw missing(name);
  if (typeof v !== 'string') throw invalid(name, 'expected a string');
  return v;
}

export function oneOf<T extends string>(body: Body, field: string, values: readonly T[]): T {
  const v = stringField(body, field);
  if (!(values as readonly string[]).includes(v)) throw invalid(field, `one of ${values.join(', ')}`);
  return v as T;
}

export function stringList(body: Body, field: string): string[] {
  const v = body[field];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalid(field, 'expected an array of strings');
  return v as string[];
}

/**
 * Someone else as an event's organizer, `{email, displayName?}`: the README's form, not a bare
 * address. `self` (and Google's profile `id`) are Google's to set, so they are refused too.
 */
export function personField(body: Body, field: string): { email: string; displayName?: string } {
  const v = objectField(body, field);
  const extra = Object.keys(v).find((k) => k !== 'email' && k !== 'displayName');
  if (extra !== undefined) throw invalid(`${field}.${extra}`, 'only email and displayName are set here');
  const email = stringField(v, 'email', `${field}.email`);
  if (v.displayName !== undefined && typeof v.displayName !== 'string') throw invalid(`${field}.displayName`, 'expected a string');
  return { email, ...(typeof v.displayName === 'string' ? { displayName: v.displayName } : {}) };
}
