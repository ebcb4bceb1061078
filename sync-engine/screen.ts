/**
 * Screens a page of provider changes before it is planned: an object the store cannot hold
 * becomes an `invalid` change, so it is quarantined by name while the rest of its calendar syncs
 * (issue 18). Left in, one such object failed the page's transaction, and so the whole calendar,
 * on every retry:
 * - text PostgreSQL refuses (a NUL character, a lone UTF-16 surrogate) in any field or id;
 * - a second object holding an instance (UID and RECURRENCE-ID) that an earlier object of the same
 *   page holds: RFC 4791 allows one resource per UID, and one upsert cannot write a row twice.
 *   The first object met keeps the instance; the later one is named with the one it clashes with.
 * Across pages a later object of the UID replaces the stored one, as a move between hrefs does.
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

export function screenPage(changes: RemoteChange[]): RemoteChange[] {
  // instance key -> the remote object of this page that holds it
  const owner = new Map<string, string>();
  return changes.map((c): RemoteChange => {
    if (c.kind === 'delete') return stringProblem(c.remoteId) ? { ...c, remoteId: storableText(c.remoteId) } : c;
    if (c.kind === 'invalid') {
      return { ...c, remoteId: storableText(c.remoteId), version: c.version && storableText(c.version), error: storableText(c.error), raw: c.raw && storableText(c.raw) };
    }
    const idProblem = stringProblem(c.remoteId);
    const bad = idProblem ? `the remote id ${idProblem}` : (textProblem(c.version, 'version') ?? textProblem(c.events, 'event'));
    if (bad) return invalid(c, `unstorable text: ${bad}`);
    const keys = c.events.map(instanceKey);
    const twice = keys.find((k, i) => keys.indexOf(k) !== i);
    if (twice) return invalid(c, `UID ${twice.split('\u0001')[0]} holds the same instance twice in one object`);
    const clash = keys.map((k) => owner.get(k)).find((o) => o !== undefined && o !== c.remoteId);
    if (clash) return invalid(c, `UID ${c.events[0]?.uid ?? '?'} is also used by ${clash} in this calendar (one object per UID); this one is set aside`);
    for (const k of keys) owner.set(k, c.remoteId);
    return c;
  });
}
