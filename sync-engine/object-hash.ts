import { contentHash, type CanonicalEvent } from '../shared/model/index.ts';

/** The content of a remote object (all its events), independent of order and provider fields. */
export const objectHash = (events: CanonicalEvent[]): string => events.map(contentHash).sort().join(',');
