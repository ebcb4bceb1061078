/**
 * Whether a mirror rule makes copies, derived once for both the engine (which runs only an active
 * rule) and what the API, CLI and `calhub status` show: a rule shown paused never writes.
 */
import type { AccountStatus } from '../shared/model/index.ts';
import type { AccessLevel, MirrorRuleRow, TenantRepos } from '../shared/store/index.ts';

/**
 * Why a rule is paused, as a stable code: USER_PAUSED (PATCH {"paused":true}); ACCOUNT_DISABLED
 * (an account of its calendars was disabled: nothing is read or written there until it is enabled);
 * CALENDAR_MISSING (its provider no longer lists a calendar of the rule: it is removed, with the rule,
 * after the grace period, or the rule resumes if it comes back); CALENDAR_NOT_WRITABLE (a calendar it
 * writes — its target; two-way, its source too — is read-only at the provider, or its account was
 * connected again with read or freebusy access).
 */
export type PausedCode = 'USER_PAUSED' | 'ACCOUNT_DISABLED' | 'CALENDAR_MISSING' | 'CALENDAR_NOT_WRITABLE';
export const PAUSED_CODES: readonly PausedCode[] = ['USER_PAUSED', 'ACCOUNT_DISABLED', 'CALENDAR_MISSING', 'CALENDAR_NOT_WRITABLE'];

/** `deleting` while a DELETE removes its copies; `paused` with a code and reason; else `active`. */
export type RuleState = { state: 'active' | 'paused' | 'deleting'; pausedReason: string | null; pausedCode: PausedCode | null };

/** One calendar of a rule as the derivation reads it; null when the calendar is gone. */
export type RuleSide = {
  calendarId: string;
  accessRole: string | null;
  missingSince: string | null;
  account: { id: string; status: AccountStatus; access: AccessLevel | null } | null;
} | null;

export type RuleFacts = Pick<MirrorRuleRow, 'id' | 'pausedAt' | 'deletingSince'> & { twoWay: boolean };

const ACTIVE: RuleState = { state: 'active', pausedReason: null, pausedCode: null };
const paused = (pausedCode: PausedCode, pausedReason: string): RuleState => ({ state: 'paused', pausedCode, pausedReason });

/** Why a calendar the rule writes cannot be written, or null. */
function notWritable(side: RuleSide): string | null {
  if (!side) return null;
  if (side.accessRole === 'reader' || side.accessRole === 'freeBusyReader') return `calendar ${side.calendarId} is read-only at its provider (${side.accessRole}): the rule copies into it again once it can be written`;
  const a = side.account;
  if (a?.access === 'read' || a?.access === 'freebusy') {
    return `calendar ${side.calendarId}'s account ${a.id} was connected again with ${a.access} access, which cannot write: connect it again with readwrite access and the rule resumes`;
  }
  return null;
}

/** The one derivation: a user's pause first, then each calendar's account and listing, then whether it can be written. */
export function ruleStateFrom(rule: RuleFacts, source: RuleSide, target: RuleSide): RuleState {
  if (rule.deletingSince) return { state: 'deleting', pausedReason: null, pausedCode: null };
  if (rule.pausedAt) {
    return paused('USER_PAUSED', `paused by a user since ${rule.pausedAt}: it makes no copies and keeps those it made; resume it (PATCH /v1/rules/${rule.id} {"paused":false}, calhub rules resume) and it brings them up to date`);
  }
  for (const side of [source, target]) {
    if (!side) continue;
    if (side.account?.status === 'disabled') {
      return paused('ACCOUNT_DISABLED', `calendar ${side.calendarId}'s account ${side.account.id} is disabled: nothing is read from or written to it until it is enabled (calhub accounts enable), when the rule catches up`);
    }
    if (side.missingSince) {
      return paused('CALENDAR_MISSING', `calendar ${side.calendarId} has not been listed by its provider since ${side.missingSince}: if it stays away it is removed with this rule after the grace period; listed again, the rule resumes`);
    }
  }
  const why = notWritable(target) ?? (rule.twoWay ? notWritable(source) : null);
  return why ? paused('CALENDAR_NOT_WRITABLE', why) : ACTIVE;
}

const twoWayOf = (config: unknown): boolean => typeof config === 'object' && config !== null && (config as { twoWay?: unknown }).twoWay === true;

/**
 * The states of many rules of one tenant in two queries (their calendars, the tenant's accounts),
 * by rule id: a list of rules asked nothing per rule.
 */
export async function ruleStates(t: TenantRepos, rules: readonly MirrorRuleRow[]): Promise<Map<string, RuleState>> {
  const ids = [...new Set(rules.flatMap((r) => [r.sourceCalendarId, r.targetCalendarId]))];
  const [cals, accounts] = await Promise.all([ids.length ? t.calendars.list({ ids }) : Promise.resolve([]), rules.length ? t.accounts.list() : Promise.resolve([])]);
  const accountById = new Map(accounts.map((a) => [a.id, a]));
  const side = new Map<string, RuleSide>(
    cals.map((c) => {
      const a = accountById.get(c.accountId);
      return [c.id, { calendarId: c.id, accessRole: c.accessRole, missingSince: c.missingSince, account: a ? { id: a.id, status: a.status, access: a.access } : null }];
    }),
  );
  return new Map(rules.map((r) => [r.id, ruleStateFrom({ ...r, twoWay: twoWayOf(r.config) }, side.get(r.sourceCalendarId) ?? null, side.get(r.targetCalendarId) ?? null)]));
}

export async function ruleStateOf(t: TenantRepos, rule: MirrorRuleRow): Promise<RuleState> {
  return (await ruleStates(t, [rule])).get(rule.id)!;
}
