import type { CanonicalEventInput } from '../../shared/model/index.ts';
import type { CalendarConnector, ConnectorContext, RemoteCalendarRef } from '../connector.ts';

/**
 * What a connector's test gives the conformance suite: a connector pointed at a real counterpart
 * (memory backend, emulator, Radicale, Xandikos), one empty writable calendar, and a way to change
 * that calendar behind the connector's back, as another client would.
 */
export interface ConformanceHarness {
  connector: CalendarConnector;
  ctx: ConnectorContext;
  /** An empty calendar the suite may fill; listCalendars must include it. */
  calendar: RemoteCalendarRef;
  /** Page size the counterpart was configured with; the suite creates more events than this. */
  pageSize: number;
  remote: {
    /** Creates an event out of band; returns its remoteId as listChanges will report it. */
    createEvent(event: CanonicalEventInput): Promise<string>;
    /** Changes the title out of band (so the object's version changes). */
    updateTitle(remoteId: string, title: string): Promise<void>;
    deleteEvent(remoteId: string): Promise<void>;
    /** Makes the counterpart reject the connector's current cursor (expired token, reset state). */
    invalidateCursors(): Promise<void>;
    /** Makes the next request fail the given way, when the counterpart can; omitted otherwise. */
    failNext?(kind: 'rate-limited' | 'server-error' | 'grant-revoked'): Promise<void>;
    /** Whether the counterpart can return empty pages that still carry a next page (Google, Graph). */
    emitsEmptyPages?: boolean;
  };
  cleanup(): Promise<void>;
}

export type MakeHarness = () => Promise<ConformanceHarness>;
