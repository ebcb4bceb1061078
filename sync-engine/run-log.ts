/**
 * Every log line of a sync run carries its tenant, account, calendar and run ids, the connector's
 * included (issue 14): an operator greps one run, or one calendar across runs, without knowing
 * which layer logged. The queue worker scopes its runs this way (SyncEngine.runScope); `settle`,
 * the in-process sync of `calhub resync` and `accounts connect`, scopes each calendar with this.
 */
import type { Connected, EngineDeps } from './deps.ts';

export interface RunIds {
  tenantId: string;
  calendarId: string;
  runId: string;
  /** Looked up from the calendar when not given. */
  accountId?: string;
  ruleId?: string;
}

/** `deps` whose logger, and every connector context it hands out, carry the run's ids. */
export async function runLogDeps(deps: EngineDeps, ids: RunIds): Promise<EngineDeps> {
  const accountId = ids.accountId ?? (await deps.store.tenant(ids.tenantId).calendars.get(ids.calendarId).catch(() => null))?.accountId;
  const log = deps.log.child({ tenantId: ids.tenantId, accountId, calendarId: ids.calendarId, runId: ids.runId, ...(ids.ruleId ? { ruleId: ids.ruleId } : {}) });
  const connect: EngineDeps['connect'] = async (account, calendar): Promise<Connected> => {
    const c = await deps.connect(account, calendar);
    // A mirror pass connects to its source and target: the line names the calendar it is about.
    const bindings = !calendar || calendar.id === ids.calendarId ? { provider: account.provider } : { provider: account.provider, connectedCalendarId: calendar.id };
    return { ...c, ctx: { ...c.ctx, log: log.child(bindings) } };
  };
  return { ...deps, log, connect };
}
