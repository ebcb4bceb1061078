/**
 * Whether a provider object is the answer to calhub's own create. A create whose answer was lost
 * leaves the object at the provider with no ledger entry; found later by UID it must not read as
 * an outside edit because the provider filled in what the hub never sends.
 */
import type { CanonicalEvent } from '../shared/model/index.ts';
import { keyOf } from './merge.ts';
import { objectHash } from './object-hash.ts';

/**
 * What the hub sent as the provider stores it: the fields a provider fills in on a create, where
 * the hub sent none, taken from its answer. Google and Graph name the calendar's owner organizer
 * of an event with attendees (provider-facts A.4: organizer is read-only; Graph's `organizer`
 * defaults to the mailbox), and a CalDAV scheduling server may add ORGANIZER. Google's `creator`
 * is filled too but is not part of the canonical event, so it never differs here.
 */
export function asFilledIn(sent: CanonicalEvent[], answer: CanonicalEvent[]): CanonicalEvent[] {
  const byKey = new Map(answer.map((e) => [keyOf(e), e]));
  return sent.map((e) => {
    const a = byKey.get(keyOf(e));
    return a && e.organizer === null && a.organizer !== null ? { ...e, organizer: a.organizer } : e;
  });
}

/** `answer` holds exactly what the hub sent, apart from what the provider fills in. */
export function answersSent(sent: CanonicalEvent[], answer: CanonicalEvent[]): boolean {
  return sent.length > 0 && objectHash(asFilledIn(sent, answer)) === objectHash(answer);
}
