/**
 * What one CalDAV account may cost the hub, per request and per item. Memory and time are bounded
 * by these numbers, never by what a server chooses to send (issue 12: a server answering one byte
 * every 30 s held a worker for 13 minutes; one listing 200,000 hrefs took 9.5 minutes).
 */
import { TransientError, UnsupportedError } from '../errors.ts';

export interface CaldavLimits {
  /**
   * Time for one request's headers and first bytes (CALDAV_REQUEST_DEADLINE_MS): the whole of it
   * when the body does not flow. A body arriving at minBytesPerSec or faster earns more
   * (deadline.ts), so a large listing is not cut, a server dripping bytes is. The transport's idle
   * timeout is at least this long.
   */
  requestDeadlineMs: number;
  /** The average rate (bytes/s, counted from the request's start) a body must keep to outlast requestDeadlineMs. */
  minBytesPerSec: number;
  /**
   * Largest body read whole (discovery, a GET) and largest multiget answer (one page of items,
   * held until the page is handed over; a larger one is split). Listings are streamed and not
   * bound by it: they have maxListingHrefs / maxListingBytes.
   */
  maxResponseBytes: number;
  /** Most names one listing (sync-collection, PROPFIND Depth 1) may carry; the names are kept for the run (~60 bytes each). */
  maxListingHrefs: number;
  /** Most bytes one streamed listing may take on the wire (Radicale: ~209 bytes per name). */
  maxListingBytes: number;
  /** Largest calendar object mapped; a larger one is quarantined as invalid. */
  maxItemBytes: number;
  /** Resources read one by one per page when a server leaves calendar-data out of a multiget twice. */
  maxSingleGets: number;
}

export const DEFAULT_CALDAV_LIMITS: CaldavLimits = {
  requestDeadlineMs: 60_000,
  minBytesPerSec: 64 * 1024,
  maxResponseBytes: 16 * 1024 * 1024,
  maxListingHrefs: 1_000_000,
  maxListingBytes: 512 * 1024 * 1024,
  maxItemBytes: 512 * 1024,
  maxSingleGets: 10,
};

/** Gives the event loop a turn: long parses are cut into slices of at most ~this many ms. */
export const SLICE_MS = 20;

/**
 * Parses that gave the loop a turn resume one per turn of the loop, in the order they yielded.
 * Resumed all in the same turn, three listings took a slice each before the loop polled again,
 * so a reply another run waited for (Redis, the store, its server) could wait three slices instead
 * of one (issue 12). Measured alone in the neighbour test it made no clear difference: there the
 * waits were mostly at the store and for a core (see sync-engine/tenant-pace.ts).
 */
const resumable: Array<() => void> = [];
let pumping = false;

function resumeOne(): void {
  resumable.shift()?.();
  if (resumable.length) setImmediate(resumeOne);
  else pumping = false;
}

export const yieldToLoop = (): Promise<void> =>
  new Promise((resolve) => {
    resumable.push(resolve);
    if (!pumping) {
      pumping = true;
      setImmediate(resumeOne);
    }
  });

/** A body over the configured cap: a multiget splits its batch, anything else fails the request. */
export class ResponseTooLargeError extends TransientError {
  constructor(message: string) {
    super(message, { provider: 'caldav', reason: 'response-too-large' });
  }
}

/**
 * A listing over maxListingHrefs / maxListingBytes: retrying cannot shrink it, so the calendar
 * fails with CONNECTOR_UNSUPPORTED (reason `listing-too-large`) until the limit is raised.
 */
export class ListingTooLargeError extends UnsupportedError {
  constructor(message: string) {
    super(message, { provider: 'caldav', reason: 'listing-too-large' });
  }
}
