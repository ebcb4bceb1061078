/**
 * What a series master's change does to its exceptions' own fields. Exchange stores an exception as
 * the fields that differ from the series (MS-OXOCAL 2.2.1.44.2, ExceptionInfo.OverrideFlags: "what
 * data in the ExceptionInfo structure has a value different from the recurring series" — subject,
 * location, busy status, reminder, reminder delta, body); the rest is the series'. So an exception
 * moved in time but not retitled shows a renamed series' new subject, and one whose subject was
 * customised keeps it. Graph's docs say nothing of it (event-update.md): for Graph UNCONFIRMED.
 * An exception holding the master's old value is read as not overriding it; that is the flag's
 * meaning and needs no flag of its own.
 */
import { isDeepStrictEqual } from 'node:util';
import { newChangeKey, type EventData, type StoredEvent } from './model.ts';

/** The override-flag fields, Graph-named; location and locations are one (they always correspond, event.md). */
const INHERITED: Array<Array<keyof EventData>> = [['subject'], ['body'], ['location', 'locations'], ['showAs'], ['isReminderOn'], ['reminderMinutesBeforeStart']];

/** Carries `before` → `after` (a master's data) into each exception that held `before`'s value; returns the exceptions changed. */
export function inheritIntoExceptions(before: EventData, after: EventData, exceptions: StoredEvent[]): StoredEvent[] {
  const changed: StoredEvent[] = [];
  for (const ex of exceptions) {
    let touched = false;
    for (const group of INHERITED) {
      if (group.every((f) => isDeepStrictEqual(before[f], after[f]))) continue;
      if (!group.every((f) => isDeepStrictEqual(ex.data[f], before[f]))) continue; // overridden: the exception's own
      for (const f of group) (ex.data as unknown as Record<string, unknown>)[f] = structuredClone(after[f]);
      touched = true;
    }
    if (touched) {
      ex.changeKey = newChangeKey();
      ex.modifiedMs = Date.now();
      changed.push(ex);
    }
  }
  return changed;
}
