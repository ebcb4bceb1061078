/** Mirror rules: create one (its first pass is scheduled or run), list them, delete one and its copies (also as its calendar goes). */
import { CalendarNotSyncedError, HubError, NotFoundError } from '../shared/errors.ts';
import type { MirrorRuleRow } from '../shared/store/index.ts';
import { deleteRule as removeRule, parseRuleConfig, reconcileRule, rulePausedReason, workingHoursProblem, type RuleConfig } from '../sync-engine/index.ts';
import { MissingError, RefusedError } from './errors.ts';
import { writable } from './events.ts';
import type { Hub } from './open-hub.ts';
import { syncFollowUp, type Problem } from './sync-here.ts';

/** A rule as it is created: its mode, twoWay and filters (defaults filled) at the top, so one read back can be sent again. */
export function showRule(rule: MirrorRuleRow): MirrorRuleRow & Pick<RuleConfig, 'mode' | 'twoWay' | 'filters'> {
  const { mode, twoWay, filters } = parseRuleConfig(rule.config);
  return { ...rule, mode, twoWay, filters };
}

/**
 * Whether a rule makes copies: `active`; `paused` while a calendar it writes cannot be written
 * (its account connected again with read or freebusy access, or read-only at the provider), with
 * `pausedReason`, and active again by itself once it can (sync-engine/mirror.ts rulePausedReason);
 * `deleting` while a DELETE removes its copies.
 */
export type RuleState = { state: 'active' | 'paused' | 'deleting'; pausedReason: string | null };

export async function ruleState(hub: Hub, tenantId: string, rule: MirrorRuleRow): Promise<RuleState> {
  if (rule.deletingSince) return { state: 'deleting', pausedReason: null };
  const pausedReason = await rulePausedReason(hub.store.tenant(tenantId), rule);
  return { state: pausedReason ? 'paused' : 'active', pausedReason };
}

export async function listRules(hub: Hub, tenantId: string): Promise<Array<MirrorRuleRow & RuleState>> {
  const rules = await hub.store.tenant(tenantId).mirror.list();
  return Promise.all(rules.map(async (r) => ({ ...r, ...(await ruleState(hub, tenantId, r)) })));
}

/** `config` is checked by the engine's rule schema (mode, twoWay, filters). */
export async function createRule(
  hub: Hub,
  tenantId: string,
  input: { sourceCalendarId: string; targetCalendarId: string; config: unknown },
): Promise<{ rule: MirrorRuleRow & RuleState; config: RuleConfig; problems: Problem[] }> {
  const { sourceCalendarId, targetCalendarId } = input;
  if (sourceCalendarId === targetCalendarId) throw new RefusedError('source and target must be different calendars');
  const config = parseRuleConfig(input.config);
  const hours = workingHoursProblem(config.filters.workingHours);
  if (hours) throw new HubError('WORKING_HOURS_INVALID', 'never', hours);
  const t = hub.store.tenant(tenantId);
  for (const id of [sourceCalendarId, targetCalendarId]) {
    const cal = await t.calendars.get(id);
    if (!cal) throw new MissingError('calendar', id, tenantId);
    if (!cal.syncEnabled) throw new CalendarNotSyncedError(id);
  }
  // Copies go where the rule writes: a calendar or account that cannot write failed every copy's push.
  for (const id of config.twoWay ? [targetCalendarId, sourceCalendarId] : [targetCalendarId]) await writable(hub, tenantId, id);
  const rule = await t.mirror.create(sourceCalendarId, targetCalendarId, config);
  if (!rule) throw new MissingError('calendar', `${sourceCalendarId} or ${targetCalendarId}`, tenantId);
  // The rule stands either way: a failed first pass is reported, not undone.
  let problems: Problem[] = [];
  if (hub.engine) await hub.engine.requestMirror(tenantId, rule.id);
  else if (hub.syncHere) problems = await syncFollowUp(hub, tenantId, [rule.sourceCalendarId, rule.targetCalendarId]);
  else await reconcileRule(hub.deps, tenantId, rule.id);
  return { rule: { ...rule, ...(await ruleState(hub, tenantId, rule)) }, config, problems };
}

export async function deleteRule(hub: Hub, tenantId: string, ruleId: string): Promise<{ copiesRemoved: number; problems: Problem[] }> {
  const rule = await hub.store.tenant(tenantId).mirror.get(ruleId);
  if (!rule) throw new MissingError('rule', ruleId, tenantId);
  const copiesRemoved = await removeRule(hub.deps, tenantId, ruleId);
  const problems = await syncFollowUp(hub, tenantId, [rule.sourceCalendarId, rule.targetCalendarId]);
  return { copiesRemoved, problems };
}

/**
 * The rules naming calendars that are going away (deleted through the API, or gone at the
 * provider), removed as a rule DELETE removes them, before the calendars' rows go: the copies they
 * wrote into the other calendar of each rule are deleted there through the outbox, so at its
 * provider too (left, they blocked time for good as plain busy events, and came back with every
 * pull had only the store dropped them). Copies in the calendars going away are not written: they
 * go with their calendar. Returns the ids of the rules removed.
 */
export async function removeRulesNaming(hub: Hub, tenantId: string, calendarIds: string[]): Promise<string[]> {
  if (calendarIds.length === 0) return [];
  const gone = new Set(calendarIds);
  const rules = (await hub.store.tenant(tenantId).mirror.list()).filter((r) => gone.has(r.sourceCalendarId) || gone.has(r.targetCalendarId));
  const removed: string[] = [];
  for (const r of rules) {
    try {
      await removeRule(hub.deps, tenantId, r.id, { goneCalendars: gone });
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e; // deleted meanwhile
    }
    removed.push(r.id);
  }
  // Without a worker nothing else pushes the other calendars' deletes (as after a rule DELETE).
  const others = [...new Set(rules.flatMap((r) => [r.sourceCalendarId, r.targetCalendarId]))].filter((id) => !gone.has(id));
  for (const p of await syncFollowUp(hub, tenantId, others)) hub.log.warn({ tenantId, calendarId: p.calendarId, err: p.error }, 'a calendar a removed calendar\'s mirror rules copied into did not sync');
  return removed;
}
