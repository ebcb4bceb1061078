/**
 * Where the documentation and the field disagree (provider-facts §E), the emulator can play either;
 * each switch names the behaviour it selects. Defaults follow the documentation, except
 * per-calendar subscription resources, which are undocumented but work in the field (§E B.6).
 */
export interface GraphSwitches {
  /** Accept `http://` notification and lifecycle URLs. Graph requires https (§E B.6); local tests and the sandbox have no TLS. */
  allowHttpPush: boolean;
  /** FIELD (microsoft-graph-docs#7632, #22197): occurrences and exceptions in calendarView/delta carry only id, type, seriesMasterId, start, end. */
  thinDeltaItems: boolean;
  /** FIELD (microsoft-graph-docs#21978): `me/events` subscriptions notify only for the default calendar. Documented: every event in the mailbox. */
  meEventsDefaultCalendarOnly: boolean;
  /** Documented resources only: `me/calendars/{id}/events` and `me/calendar/events` are refused (400). FIELD: they work. */
  refuseCalendarSubscriptions: boolean;
  /** FIELD: an If-Match mismatch answers 412 `ErrorIrresolvableConflict`. Documented: `resourceModified`. */
  irresolvableConflict412: boolean;
}

export const DOCUMENTED_SWITCHES: GraphSwitches = {
  allowHttpPush: false, thinDeltaItems: false, meEventsDefaultCalendarOnly: false, refuseCalendarSubscriptions: false, irresolvableConflict412: false,
};

export function setSwitches(target: GraphSwitches, o: Partial<GraphSwitches>): void {
  for (const [k, v] of Object.entries(o)) {
    if (!(k in target) || typeof v !== 'boolean') throw new Error(`setSwitches: unknown switch or not a boolean: ${k}`);
  }
  Object.assign(target, o);
}
