/** Mirror rules: create one (its first pass is scheduled or run), list them, delete one and its copies (also as its calendar goes). */
import { CalendarNotSyncedError, HubError, NotFoundError } from '../shared/errors.ts';
import { listedMessage, outboxOf, parkedDeleteRetryAt, REFUSALS_BEFORE_PARKING, type CopyRefusal, type MirrorRuleRow, type OutboxRow } from '../shared/store/index.ts';
import { deleteRule as removeRule, linkKey, parseRuleConfig, reconcileRule, ruleStateOf, ruleStates, workingHoursProblem, type RuleConfig, type RuleState } from '../sync-engine/index.ts';
import { MissingError, RefusedError } from './errors.ts';
import { writable } from './events.ts';
import type { Hub } from './open-hub.ts';
import { syncFollowUp, type Problem } from './sync-here.ts';

/** A rule as it is created: its mode, twoWay and filters (defaults filled) at the top, so one read back can be sent again. */
export function showRule<R extends MirrorRuleRow>(rule: R): R & Pick<RuleConfig, 'mode' | 'twoWay' | 'filters'> & { paused: boolean } {
  const { mode, twoWay, filters } = parseRuleConfig(rule.config);
  return { ...rule, mode, twoWay, filters, paused: rule.pausedAt !== null };
}

/**
 * Another rule already makes the copies a new one would: same source -> target (a two-way rule
 * counts both ways), whatever either's mode — a busy block and a full copy of one event in one
 * calendar would show it twice.
 */
export class RuleExistsError extends HubError {
  constructor(readonly existingRuleId: string, sourceCalendarId: string, targetCalendarId: string) {
    super('RULE_EXISTS', 'never', `mirror rule ${existingRuleId} already copies between calendars ${sourceCalendarId} and ${targetCalendarId} in that direction; change it (PATCH /v1/rules/${existingRuleId}) or delete it first`);
    this.name = 'RuleExistsError';
  }
}

export type { PausedCode, RuleState } from '../sync-engine/index.ts';

/**
 * `refusals`: copies of the rule the target's provider refuses, by calendar and stable code (how
 * many copies, how often, since when, the latest message); empty when none, and cleared once a
 * write of each gets through or the rule no longer asks for what was refused.
 */
export type ShownRule = MirrorRuleRow & RuleState & { copies: number; refusals: CopyRefusal[] };

/** Read at the time asked, from the calendars and accounts as they are now (the engine runs a rule by the same state). */
export async function ruleState(hub: Hub, tenantId: string, rule: MirrorRuleRow): Promise<RuleState> {
  return ruleStateOf(hub.store.tenant(tenantId), rule);
}

/** Four queries whatever the number of rules: the rules, their copy counts, their calendars, the accounts. */
export async function listRules(hub: Hub, tenantId: string): Promise<ShownRule[]> {
  const t = hub.store.tenant(tenantId);
  const [rules, copies] = await Promise.all([t.mirror.list(), t.mirror.copyCounts()]);
  const [states, refusals] = await Promise.all([ruleStates(t, rules), t.refusals.byRule(rules.map((r) => r.id))]);
  return rules.map((r) => ({ ...r, ...states.get(r.id)!, copies: copies.get(r.id) ?? 0, refusals: refusals.get(r.id) ?? [] }));
}

export async function getRule(hub: Hub, tenantId: string, ruleId: string): Promise<ShownRule> {
  const t = hub.store.tenant(tenantId);
  const rule = await t.mirror.get(ruleId);
  if (!rule) throw new MissingError('rule', ruleId, tenantId);
  const refusals = (await t.refusals.byRule([rule.id])).get(rule.id) ?? [];
  return { ...rule, ...(await ruleStateOf(t, rule)), copies: (await t.mirror.copyCounts(rule.id)).get(rule.id) ?? 0, refusals };
}

/**
 * A rule's next pass: queued with a worker, else run here. Run here, a calendar whose provider
 * refuses copies of the rule is a problem too, though its sync went well: a refused occurrence
 * leaves no failed write behind (the provider cannot bring it back), only the rule's refusals.
 */
async function runRule(hub: Hub, tenantId: string, rule: MirrorRuleRow): Promise<Problem[]> {
  if (hub.engine) await hub.engine.requestMirror(tenantId, rule.id);
  else if (hub.syncHere) {
    const problems = await syncFollowUp(hub, tenantId, [rule.sourceCalendarId, rule.targetCalendarId]);
    const refusals = (await hub.store.tenant(tenantId).refusals.byRule([rule.id])).get(rule.id) ?? [];
    for (const r of refusals) if (!problems.some((p) => p.calendarId === r.calendarId)) problems.push({ calendarId: r.calendarId, error: refusalText(r) });
    return problems;
  } else await reconcileRule(hub.deps, tenantId, rule.id);
  return [];
}

/** One line for a rule's refusals in a calendar, with its stable code. */
export function refusalText(r: CopyRefusal): string {
  return `${r.copies} cop${r.copies === 1 ? 'y' : 'ies'} refused by calendar ${r.calendarId}'s provider (${r.code}, ${r.times} time${r.times === 1 ? '' : 's'} since ${r.firstAt}): ${r.message}`;
}

/**
 * Pauses or resumes a rule, or changes its filters (each given filter replaces the rule's; the
 * others stay). Paused, it makes no copies and keeps those it made; resumed, or with new filters,
 * its next pass brings the copies in line (copies the filters now leave out are removed). Its
 * calendars, mode and direction are what it is: a different rule is deleted and made anew.
 */
export async function updateRule(
  hub: Hub,
  tenantId: string,
  ruleId: string,
  change: { paused?: boolean; filters?: Record<string, unknown> },
): Promise<{ rule: ShownRule; problems: Problem[] }> {
  const t = hub.store.tenant(tenantId);
  const before = await t.mirror.get(ruleId);
  if (!before) throw new MissingError('rule', ruleId, tenantId);
  if (before.deletingSince) throw new RefusedError(`rule ${ruleId} is being deleted`);
  let config: RuleConfig | undefined;
  if (change.filters) {
    const cfg = parseRuleConfig(before.config);
    config = parseRuleConfig({ ...cfg, filters: { ...cfg.filters, ...change.filters } });
    const hours = workingHoursProblem(config.filters.workingHours);
    if (hours) throw new HubError('WORKING_HOURS_INVALID', 'never', hours);
  }
  const rule = await t.mirror.update(ruleId, { ...(change.paused === undefined ? {} : { paused: change.paused }), ...(config ? { config } : {}) });
  if (!rule) throw new MissingError('rule', ruleId, tenantId);
  const problems = rule.pausedAt ? [] : await runRule(hub, tenantId, rule);
  return { rule: await getRule(hub, tenantId, ruleId), problems };
}

/** `config` is checked by the engine's rule schema (mode, twoWay, filters). */
export async function createRule(
  hub: Hub,
  tenantId: string,
  input: { sourceCalendarId: string; targetCalendarId: string; config: unknown },
): Promise<{ rule: ShownRule; config: RuleConfig; problems: Problem[] }> {
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
  // Checked and made under one lock: two creates of the same copies at once, one is refused.
  const rule = await t.transaction(async (tx) => {
    await tx.mirror.lockRules();
    const [clash] = await tx.mirror.copyingBetween(sourceCalendarId, targetCalendarId, config.twoWay);
    if (clash) throw new RuleExistsError(clash.id, sourceCalendarId, targetCalendarId);
    return tx.mirror.create(sourceCalendarId, targetCalendarId, config);
  });
  if (!rule) throw new MissingError('calendar', `${sourceCalendarId} or ${targetCalendarId}`, tenantId);
  // The rule stands either way: a failed first pass is reported, not undone.
  const problems = await runRule(hub, tenantId, rule);
  // Run here (no worker), the first pass may have met refusals already.
  const refusals = (await t.refusals.byRule([rule.id])).get(rule.id) ?? [];
  return { rule: { ...rule, ...(await ruleState(hub, tenantId, rule)), copies: 0, refusals }, config, problems };
}

/**
 * Copies still to be removed at a provider after a rule's delete, in one calendar, and why they
 * wait. `parked`: of `copies`, deletes the provider refused REFUSALS_BEFORE_PARKING times for their
 * content, offered again from `retryAt` (the soonest; null when none is parked).
 */
export type PendingRemoval = { calendarId: string; copies: number; parked: number; retryAt: string | null; reason: string };

export interface RuleDeleted {
  copiesRemoved: number;
  copiesPending: number;
  pending: PendingRemoval[];
  problems: Problem[];
}

/**
 * Deletes a rule and its copies. `copiesRemoved` counts the copies gone from their providers by the
 * time it answers; `copiesPending` those deleted in calhub whose provider delete still waits in the
 * outbox, in any state (an account disabled or needing reauth: sent once it is enabled or connected
 * again; with a worker: its next push; refused until parked: offered again after its wait), by
 * calendar in `pending`.
 */
export async function deleteRule(hub: Hub, tenantId: string, ruleId: string): Promise<RuleDeleted> {
  const t = hub.store.tenant(tenantId);
  const rule = await t.mirror.get(ruleId);
  if (!rule) throw new MissingError('rule', ruleId, tenantId);
  // The copies' UIDs by the calendar holding them.
  const copyUids = new Map<string, Set<string>>();
  for (const [d, calendarId] of [['>', rule.targetCalendarId], ['<', rule.sourceCalendarId]] as const) {
    const uids = [...(await t.mirror.links(linkKey(ruleId, d))).values()];
    if (uids.length) copyUids.set(calendarId, new Set(uids));
  }
  const deleted = await removeRule(hub.deps, tenantId, ruleId);
  const problems = await syncFollowUp(hub, tenantId, [rule.sourceCalendarId, rule.targetCalendarId]);
  const pending: PendingRemoval[] = [];
  for (const [calendarId, uids] of copyUids) {
    // Every delete still in the outbox, parked ones too: a parked delete waits out its wait (or a
    // reconnect), and its copy is at the provider all the while, so it is not removed.
    const waiting = (await outboxOf(hub.store.db, tenantId, calendarId)).filter((e) => e.op === 'delete' && uids.has(e.uid));
    if (waiting.length) pending.push(await pendingRemoval(hub, tenantId, calendarId, waiting));
  }
  const copiesPending = pending.reduce((n, p) => n + p.copies, 0);
  return { copiesRemoved: Math.max(0, deleted - copiesPending), copiesPending, pending, problems };
}

/** One calendar's copy deletes still waiting: how many, how many of them parked and until when, and why each kind waits. */
async function pendingRemoval(hub: Hub, tenantId: string, calendarId: string, waiting: OutboxRow[]): Promise<PendingRemoval> {
  const retries = waiting.map((e) => ({ e, at: parkedDeleteRetryAt(e.op, e.attempts, e.refusedAt) }));
  const parked = retries.filter((r) => r.at !== null);
  // Parked without a wait: the account cannot write (ACCOUNT_READ_ONLY), offered again on a reconnect.
  const held = waiting.filter((e) => e.attempts >= REFUSALS_BEFORE_PARKING && parkedDeleteRetryAt(e.op, e.attempts, e.refusedAt) === null);
  const tried = waiting.length - parked.length - held.length;
  const soonest = parked.length ? new Date(Math.min(...parked.map((r) => r.at!.getTime()))).toISOString() : null;
  const last = (rows: OutboxRow[]) => listedMessage(rows.find((e) => e.lastError !== null)?.lastError ?? 'no answer kept');
  const reasons: string[] = [];
  if (tried) reasons.push(await waitingFor(hub, tenantId, calendarId));
  if (parked.length) reasons.push(`${parked.length} refused by the provider ${REFUSALS_BEFORE_PARKING} times or more for its content (${last(parked.map((r) => r.e))}): parked, offered again from ${soonest} (calhub calendars writes ${calendarId})`);
  if (held.length) reasons.push(`${held.length} parked: ${last(held)}`);
  return { calendarId, copies: waiting.length, parked: parked.length, retryAt: soonest, reason: reasons.join('; ') };
}

async function waitingFor(hub: Hub, tenantId: string, calendarId: string): Promise<string> {
  const t = hub.store.tenant(tenantId);
  const cal = await t.calendars.get(calendarId);
  const account = cal ? await t.accounts.get(cal.accountId) : null;
  if (account?.status === 'disabled') return `account ${account.id} disabled: sent once it is enabled`;
  if (account?.status === 'needs_reauth') return `account ${account.id} needs reauthorization: sent once it is connected again`;
  if (hub.engine) return 'queued: the worker sends it';
  return 'not sent yet: the next sync of the calendar sends it';
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
