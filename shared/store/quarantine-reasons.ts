/** The stable reason code of a quarantine entry, read from its stored message (lists and webhooks name it). */
import { UNEXPANDABLE } from './events.ts';

export const QUARANTINE_REASONS = ['UNSTORABLE_TEXT', 'UID_CLASH', 'RECURRENCE_UNEXPANDABLE', 'INVALID_DATA'] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

/** The store keeps one message per item; its wording is fixed where it is made (sync-engine/screen.ts, shared/store/events.ts). */
export function reasonOf(message: string): QuarantineReason {
  if (message.startsWith('unstorable text')) return 'UNSTORABLE_TEXT';
  if (/^UID .* (is also used by|holds the same instance twice)/.test(message)) return 'UID_CLASH';
  if (message.startsWith(UNEXPANDABLE)) return 'RECURRENCE_UNEXPANDABLE';
  return 'INVALID_DATA';
}

/** Long enough for any reason the hub writes; a provider's parse error of a huge item is cut. */
const MAX_MESSAGE = 500;

/** A stored error message as lists show it: cut at MAX_MESSAGE characters. */
export const listedMessage = (m: string): string => (m.length > MAX_MESSAGE ? `${m.slice(0, MAX_MESSAGE - 1)}…` : m);
