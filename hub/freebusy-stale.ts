/**
 * Free/busy (and availability, which reads nothing else from the store: working hours come in the
 * request) while the store cannot be reached. Free/busy is the hub's hottest read and its spans
 * are already in memory (freebusy/busy-cache.ts); what needs the store is the proof that they are
 * current (each calendar's busy_version) and the calendars' problems. So each answer the store
 * confirmed records, per calendar, when it did and what it said; during an outage a request whose
 * every calendar was confirmed for this tenant within the staleness bound is answered from that,
 * with how old the oldest confirmation is. Anything else (a calendar not confirmed, another
 * tenant's, one whose spans were evicted; named accounts; explain, which reads event titles)
 * stays 503 STORE_UNAVAILABLE: an unknown calendar cannot be told from another tenant's without
 * the store, and answering NOT_FOUND or an empty busy list would be a guess.
 *
 * The API key was still checked: auth honours a key only within API_KEY_CACHE_S of its last
 * verification against the store (api/auth.ts), outage or not.
 */
import type { BusyCache, CalendarBusy } from '../freebusy/index.ts';
import type { ResolvedCalendar } from '../shared/store/index.ts';
import type { CalendarError } from './partial.ts';

interface Confirmed {
  tenantId: string;
  cal: ResolvedCalendar;
  /** The calendar's problems as the store said them (before the window's horizon errors). */
  errors: CalendarError[] | undefined;
  at: number;
}

/** Calendars remembered (least recently confirmed out first): about the busy cache's scale. */
const MAX_CONFIRMED = 100_000;

export class LastConfirmed {
  private readonly byCalendar = new Map<string, Confirmed>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The store answered for these calendars as of `at` (taken before it was asked). */
  confirm(tenantId: string, cals: ResolvedCalendar[], errors: Map<string, CalendarError[]>, at: number): void {
    for (const cal of cals) {
      this.byCalendar.delete(cal.id);
      this.byCalendar.set(cal.id, { tenantId, cal, errors: errors.get(cal.id), at });
    }
    for (const [id] of this.byCalendar) {
      if (this.byCalendar.size <= MAX_CONFIRMED) break;
      this.byCalendar.delete(id);
    }
  }

  /**
   * The named calendars (request order, deduplicated) with their cached spans and problems, when
   * every one was confirmed for this tenant at most `maxAgeMs` ago; null otherwise.
   */
  answer(busy: BusyCache, tenantId: string, calendarIds: string[], maxAgeMs: number): { cals: ResolvedCalendar[]; spans: CalendarBusy[]; errors: Map<string, CalendarError[]>; ageMs: number } | null {
    if (maxAgeMs <= 0) return null;
    const now = this.now();
    const cals: ResolvedCalendar[] = [];
    const spans: CalendarBusy[] = [];
    const errors = new Map<string, CalendarError[]>();
    let oldest = now;
    for (const id of new Set(calendarIds)) {
      const c = this.byCalendar.get(id);
      if (!c || c.tenantId !== tenantId || now - c.at > maxAgeMs) return null;
      const held = busy.peek(tenantId, id, Number(c.cal.busyVersion));
      if (!held) return null;
      cals.push(c.cal);
      spans.push(held);
      if (c.errors) errors.set(id, c.errors);
      oldest = Math.min(oldest, c.at);
    }
    return cals.length ? { cals, spans, errors, ageMs: now - oldest } : null;
  }
}
