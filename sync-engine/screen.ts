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

/** One instance of a calendar: its UID and RECURRENCE-ID. */
export const instanceKey = (e: CanonicalEvent): string => {
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
 * 64 bits of `s` as two 32-bit halves (FNV-1a with two offset bases): what the run-wide table keeps
 * instead of the strings. A match is only a suspicion, confirmed against the page or the store.
 */
function digest(s: string, out: Uint32Array, at: number): void {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  out[at] = a >>> 0;
  out[at + 1] = (b | 1) >>> 0; // never 0: an all-zero slot is an empty one
}

const scratch = new Uint32Array(4);

/**
 * Which remote object of the current listing run holds each instance (UID and RECURRENCE-ID), as
 * digests in an open-addressed table of 16 bytes a slot: held as strings in Maps it cost ~350
 * bytes per event, so a 100,000-event listing kept ~35 MB alive to its end and the syncing
 * process's RSS grew with the calendar (issue 15). What an entry says is a suspicion only: the
 * holder may since have given the instance up (deleted, or re-sent without it), which
 * `screenPage` confirms against the page and the store before it names a clash.
 */
export class InstanceOwners {
  private slots = new Uint32Array(4 * 1024);
  private used = 0;

  /** 'none' when no object of this run was recorded for `key`, 'same' when `remoteId` was, else 'other'. */
  recorded(key: string, remoteId: string): 'none' | 'same' | 'other' {
    digest(key, scratch, 0);
    const i = this.find(scratch[0]!, scratch[1]!);
    if (this.slots[i + 1] === 0) return 'none';
    digest(remoteId, scratch, 2);
    return this.slots[i + 2] === scratch[2] && this.slots[i + 3] === scratch[3] ? 'same' : 'other';
  }

  /** `remoteId` now holds `keys` (what it held before is left to be confirmed when met). */
  hold(remoteId: string, keys: string[]): void {
    digest(remoteId, scratch, 2);
    for (const k of keys) {
      if ((this.used + 1) * 2 > this.slots.length / 4) this.grow();
      digest(k, scratch, 0);
      const i = this.find(scratch[0]!, scratch[1]!);
      if (this.slots[i + 1] === 0) this.used += 1;
      this.slots.set(scratch, i);
    }
  }

  clear(): void {
    this.slots = new Uint32Array(4 * 1024);
    this.used = 0;
  }

  /** The slot of key digest (a, b): where it is, or the empty one where it would go. */
  private find(a: number, b: number): number {
    const mask = this.slots.length / 4 - 1;
    for (let n = (a ^ Math.imul(b, 0x9e3779b1)) & mask; ; n = (n + 1) & mask) {
      const i = n * 4;
      if (this.slots[i + 1] === 0 || (this.slots[i] === a && this.slots[i + 1] === b)) return i;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 4) if (old[i + 1] !== 0) this.slots.set(old.subarray(i, i + 4), this.find(old[i]!, old[i + 1]!));
  }
}

/** The remote id the store holds an instance under (`key` as instanceKey makes it), or null. */
export type StoredHolder = (uid: string, key: string) => Promise<string | null>;

/**
 * Whether an object the store holds still exists at the provider (CalDAV: a GET of its href). Given,
 * a holder this run has not met also counts: an object the listing skipped as unchanged, or any
 * object of an incremental listing, which names only what changed. Without it, a second resource
 * with the UID of an unchanged one replaced that one's event (RFC 4791 allows one per UID).
 */
export type StillHeld = (remoteId: string) => Promise<boolean>;

/** Exact owners within one page: its objects are in memory anyway, and a page is bounded. */
class PageOwners {
  private readonly owner = new Map<string, string>();
  private readonly held = new Map<string, string[]>();
  /** Remote ids this page deleted or sent again: for those the page, not the run, says what they hold. */
  readonly touched = new Set<string>();

  get(key: string): string | undefined {
    return this.owner.get(key);
  }

  hold(remoteId: string, keys: string[]): void {
    this.release(remoteId);
    for (const k of keys) this.owner.set(k, remoteId);
    this.held.set(remoteId, keys);
  }

  release(remoteId: string): void {
    this.touched.add(remoteId);
    for (const k of this.held.get(remoteId) ?? []) if (this.owner.get(k) === remoteId) this.owner.delete(k);
    this.held.delete(remoteId);
  }
}

/**
 * The object of this run that still holds `key`, if it is not `remoteId`: the page knows for the
 * objects it holds or touched; for an earlier page's object, the store's row for the instance must
 * still be that object's (it was written when its page was applied).
 */
async function otherHolder(key: string, uid: string, remoteId: string, page: PageOwners, run: InstanceOwners, stored: StoredHolder, stillHeld?: StillHeld): Promise<string | null> {
  const inPage = page.get(key);
  if (inPage !== undefined) return inPage === remoteId ? null : inPage;
  const recorded = run.recorded(key, remoteId);
  if (recorded === 'same' || (recorded === 'none' && !stillHeld)) return null;
  const holder = await stored(uid, key);
  if (holder === null || holder === remoteId || page.touched.has(holder)) return null;
  if (recorded === 'other' && run.recorded(key, holder) === 'same') return holder;
  // Not met in this run: it holds the instance if the provider still has it (a move to a new href
  // has deleted it; a duplicate has not).
  return stillHeld && (await stillHeld(holder)) ? holder : null;
}

export async function screenPage(changes: RemoteChange[], owners: InstanceOwners = new InstanceOwners(), stored: StoredHolder = async () => null, stillHeld?: StillHeld): Promise<RemoteChange[]> {
  const page = new PageOwners();
  const out: RemoteChange[] = [];
  for (const c of changes) {
    if (c.kind === 'delete') {
      page.release(c.remoteId);
      out.push(stringProblem(c.remoteId) ? { ...c, remoteId: storableText(c.remoteId) } : c);
      continue;
    }
    if (c.kind === 'invalid') {
      out.push({ ...c, remoteId: storableText(c.remoteId), version: c.version && storableText(c.version), error: storableText(c.error), raw: c.raw && storableText(c.raw) });
      continue;
    }
    const idProblem = stringProblem(c.remoteId);
    const bad = idProblem ? `the remote id ${idProblem}` : (textProblem(c.version, 'version') ?? textProblem(c.events, 'event'));
    if (bad) {
      out.push(invalid(c, `unstorable text: ${bad}`));
      continue;
    }
    const keys = c.events.map(instanceKey);
    const twice = keys.find((k, i) => keys.indexOf(k) !== i);
    if (twice) {
      out.push(invalid(c, `UID ${twice.split('\u0001')[0]} holds the same instance twice in one object`));
      continue;
    }
    let clash: string | null = null;
    for (const [i, k] of keys.entries()) if (clash === null) clash = await otherHolder(k, c.events[i]!.uid, c.remoteId, page, owners, stored, stillHeld);
    if (clash !== null) {
      out.push(invalid(c, `UID ${c.events[0]?.uid ?? '?'} is also used by ${clash} in this calendar (one object per UID); this one is set aside`));
      continue;
    }
    page.hold(c.remoteId, keys);
    owners.hold(c.remoteId, keys);
    out.push(c);
  }
  return out;
}
