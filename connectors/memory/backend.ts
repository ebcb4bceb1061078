/**
 * The in-memory "provider" behind the memory connector: calendars of remote objects with versions,
 * a change log for incremental cursors, and fault injection. Tests drive it directly as "another
 * client" and through the connector as calhub would.
 */
import { randomUUID } from 'node:crypto';
import type { CanonicalEvent } from '../../shared/model/index.ts';

export type MemoryFault =
  | 'rate-limited'
  | 'server-error'
  | 'grant-revoked'
  | 'precondition-failed'
  /** The write is applied, then the call fails as if the response was lost. */
  | 'timeout-after-write';

export interface StoredObject {
  remoteId: string;
  version: string;
  events: CanonicalEvent[];
}

interface MemoryCalendar {
  id: string;
  name: string;
  timeZone: string;
  readOnly: boolean;
  objects: Map<string, StoredObject>;
  log: Array<{ seq: number; remoteId: string }>;
}

const clone = <T>(v: T): T => structuredClone(v);

export class MemoryBackend {
  readonly calendars = new Map<string, MemoryCalendar>();
  pageSize: number;
  /** Interleave empty pages that still say hasMore, as Google and Graph do. */
  emitEmptyPages = false;
  /** Cursors minted before the current epoch are rejected (expired sync token). */
  epoch = 1;
  seq = 0;
  private versionCounter = 0;
  private faults: MemoryFault[] = [];
  /** A server that refuses some content on write (as CalDAV servers refuse data they cannot take): the reason, or null. */
  refuse: ((events: readonly CanonicalEvent[]) => string | null) | null = null;
  requests = 0;

  constructor(opts: { pageSize?: number } = {}) {
    this.pageSize = opts.pageSize ?? 50;
  }

  addCalendar(opts: { id?: string; name?: string; timeZone?: string; readOnly?: boolean } = {}): string {
    const id = opts.id ?? `cal-${randomUUID().slice(0, 8)}`;
    this.calendars.set(id, { id, name: opts.name ?? id, timeZone: opts.timeZone ?? 'UTC', readOnly: opts.readOnly ?? false, objects: new Map(), log: [] });
    return id;
  }

  /** The calendar and its objects are gone; cursors on it stop working as its lookups fail. */
  removeCalendar(id: string): boolean {
    return this.calendars.delete(id);
  }

  calendar(id: string): MemoryCalendar | undefined {
    return this.calendars.get(id);
  }

  failNext(...faults: MemoryFault[]): void {
    this.faults.push(...faults);
  }

  /**
   * Called by the connector at the start of every request; returns the fault to act on. Faults
   * that only make sense for writes wait for the next write.
   */
  takeFault(isWrite: boolean): MemoryFault | undefined {
    this.requests += 1;
    const head = this.faults[0];
    if (head === undefined) return undefined;
    const writeOnly = head === 'precondition-failed' || head === 'timeout-after-write';
    if (writeOnly && !isWrite) return undefined;
    return this.faults.shift();
  }

  invalidateCursors(): void {
    this.epoch += 1;
  }

  /** Writes as another client would: no precondition, a new version. */
  put(calendarId: string, remoteId: string | null, events: CanonicalEvent[]): StoredObject {
    const cal = this.mustCalendar(calendarId);
    const id = remoteId ?? `obj-${randomUUID()}`;
    this.versionCounter += 1;
    const version = `"v${this.versionCounter}"`;
    const obj: StoredObject = {
      remoteId: id,
      version,
      events: events.map((e) => ({ ...clone(e), providerEventId: id, providerVersion: version, providerUpdatedAt: new Date().toISOString() })),
    };
    cal.objects.set(id, obj);
    this.touch(cal, id);
    return clone(obj);
  }

  delete(calendarId: string, remoteId: string): boolean {
    const cal = this.mustCalendar(calendarId);
    const had = cal.objects.delete(remoteId);
    if (had) this.touch(cal, remoteId);
    return had;
  }

  get(calendarId: string, remoteId: string): StoredObject | undefined {
    const obj = this.mustCalendar(calendarId).objects.get(remoteId);
    return obj && clone(obj);
  }

  list(calendarId: string): StoredObject[] {
    return [...this.mustCalendar(calendarId).objects.values()].map(clone);
  }

  private touch(cal: MemoryCalendar, remoteId: string): void {
    this.seq += 1;
    cal.log.push({ seq: this.seq, remoteId });
  }

  private mustCalendar(id: string): MemoryCalendar {
    const cal = this.calendars.get(id);
    if (!cal) throw new Error(`memory backend has no calendar ${id}`);
    return cal;
  }
}
