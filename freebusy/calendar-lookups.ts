/**
 * The calendar lookup of every free/busy and availability request (ownership + busy_version),
 * coalesced: requests that arrive while a lookup runs share the next one. Each still reads the
 * database after it arrived, so a write committed before a request is always seen by it; under
 * load one query serves many requests instead of each paying for its own.
 */
import { calendarsByTenantIds, type Queryable, type ResolvedCalendar } from '../shared/store/index.ts';

type Waiter = { tenantId: string; ids: string[]; resolve: (c: ResolvedCalendar[]) => void; reject: (e: unknown) => void };

export class CalendarLookups {
  private waiting: Waiter[] = [];
  private running = false;

  constructor(private readonly db: Queryable) {}

  /** The tenant's calendars among `ids` (others, and other tenants' calendars, are absent). */
  lookup(tenantId: string, ids: string[]): Promise<ResolvedCalendar[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ tenantId, ids, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length) {
        const batch = this.waiting;
        this.waiting = [];
        const pairs = new Map<string, { tenantId: string; calendarId: string }>();
        for (const w of batch) for (const id of w.ids) pairs.set(`${w.tenantId}\u0000${id}`, { tenantId: w.tenantId, calendarId: id });
        try {
          const rows = await calendarsByTenantIds(this.db, [...pairs.values()]);
          const found = new Map(rows.map((r) => [`${r.tenantId}\u0000${r.id}`, r]));
          for (const w of batch) {
            const mine: ResolvedCalendar[] = [];
            for (const id of new Set(w.ids)) {
              const r = found.get(`${w.tenantId}\u0000${id}`);
              if (r) mine.push({ id: r.id, accountId: r.accountId, timeZone: r.timeZone, busyVersion: r.busyVersion });
            }
            w.resolve(mine);
          }
        } catch (e) {
          for (const w of batch) w.reject(e);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
