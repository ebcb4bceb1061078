/**
 * The total deadline of one DAV request, which a body arriving steadily pushes back. A request
 * gets `graceMs` for its headers and first bytes; every byte read earns 1/minBytesPerSec s more.
 * So a large listing that streams at the minimum rate or faster finishes however large it is (a
 * 100,000-item sync-collection from Radicale is ~21 MB), while a server dripping a byte now and
 * then is cut at about graceMs (issue 12: one byte every 30 s held a worker for 13 minutes) and
 * one that streams just at the rate is cut by the byte caps: at most graceMs + maxBytes /
 * minBytesPerSec. A server that builds its whole answer before its first byte (Radicale) needs
 * graceMs to cover that: CALDAV_REQUEST_DEADLINE_MS.
 */

export interface DeadlineLimits {
  /** Time for the headers and the first bytes; the deadline of a request whose body never flows. */
  graceMs: number;
  /** Each byte read adds 1000 / minBytesPerSec ms: the body must average this rate past graceMs. */
  minBytesPerSec: number;
}

/** Where a deadline reads the time and arms its timer: the real clock, or a test's (deadline.test.ts). */
export interface DeadlineClock {
  now(): number;
  /** Calls `f` after `ms`; returns what cancels it. A pending timer must not keep the process alive. */
  setTimer(f: () => void, ms: number): () => void;
}

const realClock: DeadlineClock = {
  now: () => performance.now(),
  setTimer(f, ms) {
    const t = setTimeout(f, ms);
    // A pending deadline never keeps the process alive on its own.
    t.unref();
    return () => clearTimeout(t);
  },
};

export class RequestDeadline {
  private readonly controller = new AbortController();
  private readonly started: number;
  private bytes = 0;
  private firstByteMs: number | null = null;
  private cancel: () => void;

  constructor(
    private readonly limits: DeadlineLimits,
    private readonly clock: DeadlineClock = realClock,
  ) {
    this.started = clock.now();
    this.cancel = this.arm();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  /** Bytes of the answer have been read: the deadline moves out. Cheap: the timer is re-armed only when it fires. */
  progress(n: number): void {
    if (this.firstByteMs === null && n > 0) this.firstByteMs = this.elapsed();
    this.bytes += n;
  }

  /** When the request must end, in ms since it started. */
  private due(): number {
    return this.limits.graceMs + (this.bytes * 1000) / this.limits.minBytesPerSec;
  }

  private elapsed(): number {
    return this.clock.now() - this.started;
  }

  private arm(): () => void {
    // setTimeout takes at most 2^31-1 ms (longer fires at once): a longer wait re-arms on the way.
    const wait = Math.min(2 ** 31 - 1, Math.max(0, this.due() - this.elapsed()));
    return this.clock.setTimer(() => {
      if (this.elapsed() >= this.due()) this.controller.abort(new Error(this.describe()));
      else this.cancel = this.arm();
    }, Math.ceil(wait));
  }

  /** Ends the timer once the request is done (or failed otherwise). */
  clear(): void {
    this.cancel();
  }

  /** Why the deadline passed, for the error a user or operator reads. */
  describe(): string {
    const elapsed = Math.round(this.elapsed());
    const { graceMs, minBytesPerSec } = this.limits;
    if (this.firstByteMs === null) return `no byte of an answer within ${graceMs} ms`;
    const rate = Math.round(this.bytes / Math.max(0.001, elapsed / 1000));
    return `${this.bytes} bytes in ${elapsed} ms (first after ${Math.round(this.firstByteMs)} ms): ${rate} bytes/s on average, under the ${minBytesPerSec} bytes/s an answer must keep past its first ${graceMs} ms`;
  }
}
