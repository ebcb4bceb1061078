import type { AccessChange } from '../account-access.ts';
import type { Hub } from '../open-hub.ts';

/**
 * After the change commits: to freebusy, mirror copies made from the account's calendars still
 * carry the details, and the full listing that follows changes no event (they were scrubbed), so
 * nothing would run their rules: the queue gets a pass of each. In-process syncs (no queue) pass
 * every rule of the calendars they sync anyway.
 */
export async function afterAccessChange(hub: Hub, tenantId: string, accountId: string, change: AccessChange | null): Promise<void> {
  if (!change || change.to !== 'freebusy' || !hub.engine) return;
  const t = hub.store.tenant(tenantId);
  const own = new Set((await t.calendars.list({ accountId })).map((c) => c.id));
  for (const rule of await t.mirror.list()) if (own.has(rule.sourceCalendarId)) await hub.engine.requestMirror(tenantId, rule.id);
}
