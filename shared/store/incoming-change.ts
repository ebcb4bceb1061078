import type { CanonicalEvent } from '../model/index.ts';

/** A remote object as a connector reports it (structurally connectors' RemoteChange). */
export type IncomingChange =
  | {
      kind: 'upsert';
      remoteId: string;
      version: string | null;
      events: CanonicalEvent[];
      warnings?: string[];
      /**
       * The object holds its whole UID (CalDAV keeps overrides in the master's object) and settles
       * the hub's pending change of it: the UID's rows no push has sent yet (no remote id) that it
       * does not carry go too. Rows go by remote id otherwise, so a new override of the hub that the
       * provider's EXDATE won over stayed, hidden by the EXDATE and with nothing left to push it.
       */
      settlesUnsent?: boolean;
    }
  | {
      kind: 'delete';
      remoteId: string;
      /**
       * The object held this whole UID (CalDAV): the UID's rows no push has sent yet (no remote id)
       * go with it. Otherwise a new override of the hub outlived its deleted series, an orphan.
       */
      settlesUnsentOf?: string;
    }
  | { kind: 'invalid'; remoteId: string; version: string | null; error: string; raw: string | null };
