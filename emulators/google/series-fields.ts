/**
 * A change to a recurring event reaches its exceptions in the fields they did not change
 * themselves: an instance moved to another time takes the series' new title, one retitled keeps
 * its own. Google's v3 recurring-events post (gsuite-developers.googleblog.com, 2011-12, "Calendar
 * v3 best practices: recurring events") says an exception's changes "are preserved even if the
 * recurring event itself is updated"; that the fields it did not change follow the series is what
 * Google Calendar shows and is not written down. Each exception changed gets a new etag and is
 * listed again by an incremental sync, as any change is.
 */
import type { EmulatorState } from './state.ts';
import type { CalendarState, GEvent } from './types.ts';

const FIELDS = ['summary', 'description', 'location', 'transparency'] as const;

/** A field as the resource means it: an absent transparency is opaque, an absent text is none. */
const valueOf = (e: GEvent, f: (typeof FIELDS)[number]): unknown => (f === 'transparency' ? (e.transparency ?? 'opaque') : (e[f] ?? null));

export function carryIntoExceptions(state: EmulatorState, cal: CalendarState, before: GEvent, after: GEvent): void {
  if (before.recurringEventId || !before.recurrence?.length || !after.recurrence?.length) return;
  const changed = FIELDS.filter((f) => valueOf(before, f) !== valueOf(after, f));
  if (changed.length === 0) return;
  for (const ex of cal.events.values()) {
    if (ex.deleted || ex.res.recurringEventId !== after.id || ex.res.status === 'cancelled') continue;
    const followed = changed.filter((f) => valueOf(ex.res, f) === valueOf(before, f));
    if (followed.length === 0) continue;
    for (const f of followed) {
      if (after[f] === undefined) delete ex.res[f];
      else (ex.res as Record<string, unknown>)[f] = after[f];
    }
    state.touch(cal, ex);
  }
}
