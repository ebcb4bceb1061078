import { ValidationError } from '../shared/errors.ts';
import type { AccessLevel } from '../shared/store/index.ts';

// Here rather than from hub/: `accounts connect caldav` hands its work to a running hub without loading the hub.
const LEVELS = ['freebusy', 'read', 'readwrite'] as const satisfies readonly AccessLevel[];

/** An --access value (or the same field from a command handed to a running hub), checked. */
export function accessLevel(v: unknown): AccessLevel {
  if (typeof v === 'string' && (LEVELS as readonly string[]).includes(v)) return v as AccessLevel;
  throw new ValidationError(`--access: expected one of ${LEVELS.join(', ')}`);
}
