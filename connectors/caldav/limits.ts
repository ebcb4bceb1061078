/**
 * What one CalDAV account may cost the hub, per request and per item. Memory and time are bounded
 * by these numbers, never by what a server chooses to send (issue 12: a server answering one byte
 * every 30 s held a worker for 13 minutes; one listing 200,000 hrefs took 9.5 minutes).
 */
import { TransientError } from '../errors.ts';

export interface CaldavLimits {
  /** Total time for one request, headers and body (the transport also has an idle timeout). */
  requestDeadlineMs: number;
  /** Largest response body read; a larger listing fails, a larger multiget is split. */
  maxResponseBytes: number;
  /** Largest calendar object mapped; a larger one is quarantined as invalid. */
  maxItemBytes: number;
  /** Resources read one by one per page when a server leaves calendar-data out of a multiget twice. */
  maxSingleGets: number;
}

export const DEFAULT_CALDAV_LIMITS: CaldavLimits = {
  requestDeadlineMs: 60_000,
  maxResponseBytes: 16 * 1024 * 1024,
  maxItemBytes: 512 * 1024,
  maxSingleGets: 10,
};

/** Gives the event loop a turn: long parses are cut into slices of at most ~this many ms. */
export const SLICE_MS = 20;

export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A body over the configured cap: a multiget splits its batch, anything else fails the request. */
export class ResponseTooLargeError extends TransientError {
  constructor(message: string) {
    super(message, { provider: 'caldav', reason: 'response-too-large' });
  }
}
