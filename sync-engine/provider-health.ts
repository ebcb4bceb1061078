/**
 * Retry pacing and logging while a provider (or a CalDAV host) fails every request.
 *
 * Through a 10-12 minute outage where Google and Graph answered 503 to everything, a calendar was
 * tried every 8-10 s: each job (pull, push, and every new pull a poll or a push of a mirror copy
 * queued) had its own backoff, starting at 1 s again and capped at 60 s, and each failure wrote a
 * `sync run failed` warning (2,559 lines in 13 minutes). Here the failure streak is the calendar's,
 * whatever the job: its retries back off from 1 s, doubling to RETRY_CAP_MS, and a new job of a
 * calendar within its streak waits for the streak's next try. The log says a calendar's first
 * failure of a streak, then one line a minute per host while calendars fail there, and one when it
 * answers again.
 *
 * Recovery stays fast: while a host has failing calendars, one of them is tried at least every
 * PROBE_EVERY_MS (the others stay at their own pace), and the first run on that host that succeeds
 * ends every streak there and tries its calendars again within a few seconds (`onRecovered`), not
 * at their next poll: their last error then goes with the pull that succeeds.
 *
 * Per worker process: several workers each pace (and probe) on their own.
 */
import { isHubError } from '../shared/errors.ts';
import { STILL_DOWN_EVERY_MS, type OutageLogger } from '../shared/outage-log.ts';
import { scrubSecrets } from '../shared/logger.ts';

/**
 * A failing calendar's longest wait between tries: the default poll interval (SYNC_POLL_INTERVAL_MS),
 * so an outage costs a calendar no more requests than polling it would, and a change made during
 * the outage waits no longer than a poll's once the host answers (the probe below finds that sooner).
 */
export const RETRY_CAP_MS = 300_000;
export const RETRY_BASE_MS = 1000;
/** While a host has failing calendars: the longest time without a try of one of them there. */
export const PROBE_EVERY_MS = 30_000;
/** Recovered calendars' jobs are spread over this much, not all started at once. */
export const RECOVERY_SPREAD_MS = 5000;

const jitter = (ms: number) => Math.round(ms * (0.75 + Math.random() / 2));

/** A failure that says the provider (or host) is not answering as it should: a retry may mend it. */
export function isProviderFailure(e: unknown): boolean {
  return isHubError(e) && e.code.startsWith('CONNECTOR_') && e.retry === 'backoff';
}

interface Streak {
  tenantId: string;
  failures: number;
  /** When the calendar may be tried again. */
  nextAt: number;
  jobIds: Set<string>;
  /** Tried at once already when a run at its host succeeded: a calendar failing on its own is not retried on every success there. */
  retried: boolean;
  /** The failure count at which new work last ran before the streak's next try (earlyTry). */
  earlyAt?: number;
}

interface HostState {
  since: number;
  lastSaid: number;
  failuresSinceSaid: number;
  lastError: string;
  lastSuccessAt: number | null;
  /** The recovery line was logged (once per outage). */
  saidBack: boolean;
  calendars: Map<string, Streak>;
}

export interface RecoveredCalendar {
  tenantId: string;
  calendarId: string;
  jobIds: string[];
}

export class ProviderHealth {
  private readonly hosts = new Map<string, HostState>();
  private readonly lastSuccess = new Map<string, number>();

  constructor(
    private readonly log: OutageLogger,
    /** Told the calendars of a host that answers again, to try them now (the engine). */
    private readonly onRecovered: (host: string, calendars: RecoveredCalendar[]) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A run of `calendarId` on `host` failed with a provider failure. Returns the wait before its
   * next try, and whether this is the first failure of its streak (the caller logs that one).
   */
  failed(host: string, tenantId: string, calendarId: string, jobId: string | undefined, e: unknown): { waitMs: number; first: boolean } {
    const now = this.now();
    let h = this.hosts.get(host);
    if (!h) {
      h = { since: now, lastSaid: now, failuresSinceSaid: 0, lastError: '', lastSuccessAt: this.lastSuccess.get(host) ?? null, saidBack: false, calendars: new Map() };
      this.hosts.set(host, h);
    }
    h.lastError = describe(e);
    h.failuresSinceSaid += 1;
    let s = h.calendars.get(calendarId);
    const first = !s;
    if (!s) {
      s = { tenantId, failures: 0, nextAt: now, jobIds: new Set(), retried: false };
      h.calendars.set(calendarId, s);
    }
    s.failures += 1;
    this.noteJob(s, jobId);
    let wait = jitter(Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (s.failures - 1)));
    // The host's probe: when no other calendar there is due within PROBE_EVERY_MS, this one is.
    if (wait > PROBE_EVERY_MS && !this.dueSoon(h, calendarId, now)) wait = jitter(PROBE_EVERY_MS);
    s.nextAt = now + wait;
    this.summarize(host, h, now);
    return { waitMs: wait, first };
  }

  /** How long a job of this calendar should wait before it runs (0: run now). */
  waitFor(calendarId: string): number {
    const s = this.streakOf(calendarId);
    return s ? Math.max(0, s.nextAt - this.now()) : 0;
  }

  /**
   * New work coalesced into a waiting job (engine.ts hurry, coalesced-wait.ts) may run before the
   * streak's next try, once per failure of the streak: a change made after a passing failure need
   * not wait out its backoff, while a calendar whose provider stays down is still tried at most
   * twice per backoff step however often it is changed. True when this run may go now.
   */
  earlyTry(calendarId: string): boolean {
    const s = this.streakOf(calendarId);
    if (!s || s.earlyAt === s.failures) return false;
    s.earlyAt = s.failures;
    return true;
  }

  /** Notes the job that waits for the calendar's next try, for the recovery to find. */
  waiting(calendarId: string, jobId: string | undefined): void {
    const s = this.streakOf(calendarId);
    if (s) this.noteJob(s, jobId);
  }

  private noteJob(s: Streak, jobId: string | undefined): void {
    if (!jobId) return;
    s.jobIds.add(jobId);
    // Finished jobs' ids are not forgotten otherwise; the last few are enough to find the waiting one.
    if (s.jobIds.size > 8) s.jobIds.delete(s.jobIds.values().next().value!);
  }

  private streakOf(calendarId: string): Streak | undefined {
    for (const h of this.hosts.values()) {
      const s = h.calendars.get(calendarId);
      if (s) return s;
    }
    return undefined;
  }

  /**
   * A run of `calendarId` on `host` succeeded: its streak ends, and the host's other failing
   * calendars are tried now, once per streak (one failing on its own then keeps its pace, not
   * retried after every success at a busy host). A streak ends only with its own calendar's success.
   */
  succeeded(host: string, calendarId?: string): void {
    const now = this.now();
    this.lastSuccess.set(host, now);
    const h = this.hosts.get(host);
    if (!h) return;
    h.lastSuccessAt = now;
    if (calendarId) h.calendars.delete(calendarId);
    const due = [...h.calendars].filter(([, s]) => !s.retried);
    if (due.length || !h.saidBack) {
      const downS = Math.round((now - h.since) / 1000);
      this.log.info(
        { host, downForS: downS, calendarsFailing: h.calendars.size, lastError: h.lastError },
        `${host}: requests succeed again after ${downS} s; trying its ${due.length} other failing calendar(s) now`,
      );
      h.saidBack = true;
    }
    for (const [, s] of due) {
      s.retried = true;
      s.nextAt = now;
    }
    if (h.calendars.size === 0) this.hosts.delete(host);
    if (due.length) this.onRecovered(host, due.map(([id, s]) => ({ tenantId: s.tenantId, calendarId: id, jobIds: [...s.jobIds] })));
  }

  /** The hosts with failing calendars (for tests and status). */
  failing(): Array<{ host: string; calendars: number; since: number; lastError: string }> {
    return [...this.hosts].map(([host, h]) => ({ host, calendars: h.calendars.size, since: h.since, lastError: h.lastError }));
  }

  private dueSoon(h: HostState, calendarId: string, now: number): boolean {
    for (const [id, s] of h.calendars) if (id !== calendarId && s.nextAt > now && s.nextAt <= now + PROBE_EVERY_MS) return true;
    return false;
  }

  /** At most once a minute per host, while calendars fail there. */
  private summarize(host: string, h: HostState, now: number): void {
    if (now - h.lastSaid < STILL_DOWN_EVERY_MS) return;
    const last = h.lastSuccessAt === null ? 'none seen by this worker' : new Date(h.lastSuccessAt).toISOString();
    this.log.warn(
      { host, calendarsFailing: h.calendars.size, failuresSinceLast: h.failuresSinceSaid, since: new Date(h.since).toISOString(), lastSuccess: last, lastError: h.lastError },
      `${host}: ${h.calendars.size} calendar(s) failing (${h.lastError}) since ${new Date(h.since).toISOString()}, last success ${last}; retried with backoff up to ${RETRY_CAP_MS / 60_000} min`,
    );
    h.lastSaid = now;
    h.failuresSinceSaid = 0;
  }
}

function describe(e: unknown): string {
  const code = isHubError(e) ? `${e.code}: ` : '';
  const text = `${code}${e instanceof Error ? e.message : String(e)}`;
  return scrubSecrets(text.length > 160 ? `${text.slice(0, 160)}…` : text);
}
