/**
 * A page's rows and busy expansions made ahead of its write (EventRepo.prepare). On PostgreSQL the
 * server writes one page while this process is otherwise idle; making the next page's rows then
 * takes that work off the write's own path. The write takes what was made for each of its change
 * objects, only if it was made for the zone and horizon it finds under its calendar lock (anything
 * else is made again there).
 */
import type { Horizon, UidBusy } from './busy.ts';
import { isParsedEvent, type CanonicalEvent } from '../model/index.ts';
import type { IncomingChange } from './incoming-change.ts';

/** An event row as event-write.ts writes it; `j` is `d` as the stored JSON, made once (the screen reads it too). */
export type EventRow = { id: string; rid: string | null; uid: string; k: string; d: CanonicalEvent; j: string; h: string; v: string | null; b: string };

type Upsert = Extract<IncomingChange, { kind: 'upsert' }>;
export type Made = { rows: EventRow[]; busy: Map<string, UidBusy> };
type Entry = Made & { events: unknown[]; version: string | null };

const basisKey = (timeZone: string, horizon: Horizon): string => `${timeZone}\u0000${horizon.start.getTime()}\u0000${horizon.end.getTime()}`;

export class PreparedPage {
  private readonly made = new Map<IncomingChange, Entry>();
  private readonly basis: string;

  constructor(timeZone: string, horizon: Horizon) {
    this.basis = basisKey(timeZone, horizon);
  }

  /** Objects made and not yet taken by a write. */
  get pending(): number {
    return this.made.size;
  }

  put(c: Upsert, m: Made): void {
    this.made.set(c, { ...m, events: c.events, version: c.version });
  }

  /**
   * objectHash(c.events) from the rows made for `c` (each row's content hash is its event's: the
   * ids the rows add are not hashed), or undefined when none were made for these events and version,
   * or they were not all parsed (a row's hash is then its parsed event's). The pull's plan hashes
   * every object it is given, and would otherwise hash them again.
   */
  objectHash(c: Upsert): string | undefined {
    const e = this.made.get(c);
    if (e === undefined || e.events !== c.events || e.version !== c.version || !c.events.every((x) => isParsedEvent(x))) return undefined;
    return e.rows
      .map((r) => r.h)
      .sort()
      .join(',');
  }

  /**
   * What was made for `c`, once: only for the same events and version (a caller that replaced
   * them since gets them made again) and the same zone and horizon.
   */
  take(c: Upsert, timeZone: string, horizon: Horizon): Made | null {
    const e = this.made.get(c);
    if (e === undefined) return null;
    this.made.delete(c);
    return e.events === c.events && e.version === c.version && this.basis === basisKey(timeZone, horizon) ? e : null;
  }
}
