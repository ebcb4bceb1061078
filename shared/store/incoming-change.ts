import type { CanonicalEvent } from '../model/index.ts';

/** A remote object as a connector reports it (structurally connectors' RemoteChange). */
export type IncomingChange =
  | { kind: 'upsert'; remoteId: string; version: string | null; events: CanonicalEvent[]; warnings?: string[] }
  | { kind: 'delete'; remoteId: string }
  | { kind: 'invalid'; remoteId: string; version: string | null; error: string; raw: string | null };
