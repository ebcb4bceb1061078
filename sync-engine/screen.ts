/**
 * Screens a page of provider changes before it is planned: an object the store cannot hold
 * becomes an `invalid` change, so it is quarantined by name while the rest of its calendar syncs
 * (issue 18). Left in, one such object failed the page's transaction, and so the whole calendar,
 * on every retry:
 * - text PostgreSQL refuses (a NUL character, a lone UTF-16 surrogate) in any field or id;
 * - a second object holding an instance (UID and RECURRENCE-ID) that an earlier object of the same
 *   page holds: RFC 4791 allows one resource per UID, and one upsert cannot write a row twice.
 *   The first object met keeps the instance; the later one is named with the one it clashes with.
 *   This holds across the pages of one listing too (`InstanceOwners` lives as long as the run):
 *   left to the store, the later page's object silently replaced the earlier one's row. An object
 *   deleted earlier in the run gives its instances up, so a move between hrefs still goes through.
 */
import type { RemoteChange } from '../connectors/index.ts';
import { eventTimeKey, storableText, stringProblem, textProblem, type CanonicalEvent } from '../shared/model/index.ts';

type Upsert = Extract<RemoteChange, { kind: 'upsert' }>;

const instanceKey = (e: CanonicalEvent): string => {
  try {
    return `${e.uid}\u0001${e.originalStart ? eventTimeKey(e.originalStart) : ''}`;
  } catch {
    return `${e.uid}\u0001?`; // a malformed originalStart: validation quarantines it later
  }
};

const invalid = (c: Upsert, error: string): RemoteChange => ({
  kind: 'invalid',
  remoteId: storableText(c.remoteId),
  version: c.version === null ? null : storableText(c.version),
  error: storableText(error),
  raw: storableText(JSON.stringify(c.events)),
});

/**
 * A copy of `s` that shares no memory with the string it came from. A UID or href read from a
 * provider's answer is a slice of that answer's text, and V8 keeps the whole parent alive for
 * as long as the slice lives: kept for a run, they held every object's calendar data until its
 * end (3.4 KB per 1.5 KB event; 477 bytes as copies).
 */
const detached = (s: string): string => (` ${s}`).slice(1);

/** Which remote object of the current listing run holds each instance (UID and RECURRENCE-ID). */
export class InstanceOwners {
  private readonly owner = new Map<string, string>();
  private readonly held = new Map<string, string[]>();

  get(key: string): string | undefined {
    return this.owner.get(key);
  }

  /** `remoteId` now holds exactly `keys` (an upsert replaces everything stored for it). */
  hold(remoteId: string, keys: string[]): void {
    this.release(remoteId);
    const id = detached(remoteId);
    const own = keys.map(detached);
    for (const k of own) this.owner.set(k, id);
    this.held.set(id, own);
  }

  clear(): void {
    this.owner.clear();
    this.held.clear();
  }

  release(remoteId: string): void {
    for (const k of this.held.get(remoteId) ?? []) if (this.owner.get(k) === remoteId) this.owner.delete(k);
    this.held.delete(remoteId);
  }
}

export function screenPage(changes: RemoteChange[], owners: InstanceOwners = new InstanceOwners()): RemoteChange[] {
  return changes.map((c): RemoteChange => {
    if (c.kind === 'delete') {
      owners.release(c.remoteId);
      return stringProblem(c.remoteId) ? { ...c, remoteId: storableText(c.remoteId) } : c;
    }
    if (c.kind === 'invalid') {
      return { ...c, remoteId: storableText(c.remoteId), version: c.version && storableText(c.version), error: storableText(c.error), raw: c.raw && storableText(c.raw) };
    }
    const idProblem = stringProblem(c.remoteId);
    const bad = idProblem ? `the remote id ${idProblem}` : (textProblem(c.version, 'version') ?? textProblem(c.events, 'event'));
    if (bad) return invalid(c, `unstorable text: ${bad}`);
    const keys = c.events.map(instanceKey);
    const twice = keys.find((k, i) => keys.indexOf(k) !== i);
    if (twice) return invalid(c, `UID ${twice.split('\u0001')[0]} holds the same instance twice in one object`);
    const clash = keys.map((k) => owners.get(k)).find((o) => o !== undefined && o !== c.remoteId);
    if (clash) return invalid(c, `UID ${c.events[0]?.uid ?? '?'} is also used by ${clash} in this calendar (one object per UID); this one is set aside`);
    owners.hold(c.remoteId, keys);
    return c;
  });
}
