import { parseRuleConfig } from '../../sync-engine/index.ts';
import type { AccessChange } from '../account-access.ts';
import type { Hub } from '../open-hub.ts';

/**
 * After the change commits: to freebusy, mirror copies made from the account's calendars still
 * carry the details, and the full listing that follows changes no event (they were scrubbed), so
 * nothing would run their rules: the queue gets a pass of each. In-process syncs (no queue) pass
 * every rule of the calendars they sync anyway. Back to readwrite: a pass of each rule writing
 * into the account's calendars, paused until now.
 */
export async function afterAccessChange(hub: Hub, tenantId: string, accountId: string, change: AccessChange | null): Promise<void> {
  if (!change || !hub.engine) return;
  const resumed = change.to === 'readwrite';
  if (change.to !== 'freebusy' && !resumed) return;
  const t = hub.store.tenant(tenantId);
  const own = new Set((await t.calendars.list({ accountId })).map((c) => c.id));
  // Write access back: the rules writing into the account's calendars were paused (no copies made,
  // sync-engine/rule-state.ts) and nothing else would run them until their sources
  // change, so each gets a pass now.
  const writes = (rule: { sourceCalendarId: string; targetCalendarId: string; config: unknown }) =>
    own.has(rule.targetCalendarId) || (own.has(rule.sourceCalendarId) && parseRuleConfig(rule.config).twoWay);
  for (const rule of await t.mirror.list()) {
    if ((change.to === 'freebusy' && own.has(rule.sourceCalendarId)) || (resumed && writes(rule))) await hub.engine.requestMirror(tenantId, rule.id);
  }
}
