/**
 * `resync --dry-run`: per calendar, the create/update/delete plan of the next sync in both
 * directions (sync-engine/dry-run.ts), touching nothing. A calendar that cannot be planned (its
 * account needs reauth, the provider is down) says why and the others are still planned.
 */
import { scrubSecrets } from '../shared/logger.ts';
import { isHubError } from '../shared/errors.ts';
import { planCalendarSync, type PlanItem } from '../sync-engine/index.ts';
import type { Hub } from './open-hub.ts';
import { resyncAccounts, type ResyncTarget } from './resync-targets.ts';

export interface CalendarDryRun {
  calendarId: string;
  name: string;
  tenantId: string;
  accountId: string;
  fullListing: boolean;
  pull: PlanItem[];
  push: PlanItem[];
  /** Echoes of the hub's own writes the pull would recognize and skip. */
  echoes: number;
  /** The mass-change guard would stop the run (nothing would be applied). */
  guard: string | null;
  /** The calendar is flagged (why): nothing syncs until it is unflagged; the plan is the sync after that. */
  flagged: string | null;
  error: string | null;
}

export interface DryRunReport {
  dryRun: true;
  full: boolean;
  ok: boolean;
  calendars: CalendarDryRun[];
}

export async function planResync(hub: Hub, target: ResyncTarget, opts: { full?: boolean } = {}): Promise<DryRunReport> {
  const calendars: CalendarDryRun[] = [];
  for (const { tenantId, accountId } of await resyncAccounts(hub, target)) {
    for (const c of await hub.store.tenant(tenantId).calendars.list({ accountId, synced: true })) {
      const base = { calendarId: c.id, name: c.name, tenantId, accountId };
      try {
        const p = await planCalendarSync(hub.deps, tenantId, c.id, { full: opts.full });
        calendars.push({ ...base, fullListing: p.fullListing, pull: p.pull, push: p.push, echoes: p.echoes, guard: p.guard, flagged: p.flagged, error: null });
      } catch (e) {
        const error = scrubSecrets(isHubError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));
        calendars.push({ ...base, fullListing: false, pull: [], push: [], echoes: 0, guard: null, flagged: null, error });
      }
    }
  }
  return { dryRun: true, full: Boolean(opts.full), ok: calendars.every((c) => !c.error), calendars };
}
