/**
 * The mass-change guard's flag for a calendar calhub saw go away at the provider and come back
 * (its cursor was dropped for it: calendar-cursor.ts), whose full listing would remove most or all
 * of its known events.
 *
 * It is still flagged, not let through. Deleting the calendar and making it again (a person's
 * reset, a client re-creating it) explains the removals, but so does a server that lost its data
 * and made an empty default calendar again at the same address (Nextcloud re-creates "Personal"),
 * and calhub cannot tell the two apart. Let through, the removals go out as event.deleted webhooks
 * (an application may cancel bookings on them) and as deletions of the mirror copies in other
 * calendars; flagged, nothing is lost and one unflag applies them. The reason says what happened,
 * so the operator need not work it out.
 */
import type { CursorResetReason } from '../shared/store/index.ts';

const SEEN: Record<CursorResetReason, string> = {
  missing: 'a calendar list left it out, then listed it again',
  not_found: 'a sync found it gone (NOT_FOUND), then found it again',
};

/** The guard's `verdict`, led by what calhub saw when the calendar went away (`gone`: why its cursor was dropped; null: it was not). */
export function remadeReason(gone: CursorResetReason | null, removed: number, verdict: string): string {
  if (gone === null) return verdict;
  return `the calendar was deleted and re-created at the provider (${SEEN[gone]}): ${removed} known event(s) are gone from it; check the provider side, then unflag to delete them from calhub too; ${verdict}`;
}
