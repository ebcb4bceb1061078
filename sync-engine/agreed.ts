/**
 * Did the provider change an object since both sides last agreed on it? Asked by delete-vs-modify,
 * where a change brings back what the hub deleted (modify-wins).
 */
import { withoutDetails, type CanonicalEvent } from '../shared/model/index.ts';
import { VERSION_UNKNOWN, type LedgerEntry } from '../shared/store/index.ts';
import { objectHash } from './object-hash.ts';

/**
 * An entry whose version was forgotten when access came back from freebusy (access-change.ts) was
 * agreed on without details: until a listing stores them again, only what the hub could see counts,
 * or the first listing with details would read as a change of every object.
 */
export const agreedWithoutDetails = (known: Pick<LedgerEntry, 'providerVersion'> | undefined): boolean => known?.providerVersion === VERSION_UNKNOWN;

export function changedSinceAgreed(remote: CanonicalEvent[], agreedHash: string | null, withoutDetailsAgreed: boolean): boolean {
  if (objectHash(remote) === agreedHash) return false;
  return !withoutDetailsAgreed || objectHash(remote.map(withoutDetails)) !== agreedHash;
}
