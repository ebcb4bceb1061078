/**
 * A mirror copy of a series the target cannot hold as a series (Graph has no pattern for
 * FREQ=HOURLY, BYDAY=1MO,1TU, BYMONTHDAY lists, a start off its own rule…): its write was refused
 * and the copy calendar showed none of the series' busy time. Such a copy is written as single
 * events instead, one per occurrence from yesterday to the end of the busy horizon (at most
 * MAX_SINGLES of them, the earliest), each linked like an occurrence held apart (mirror-apart.ts),
 * so it is known as a copy, kept in step with its occurrence and removed with the series or rule.
 * Singles of occurrences that have passed out of the window are left as they are: the horizon
 * moving on adds the next occurrences and removes nothing.
 */
import type { CanonicalEvent, EventTime } from '../shared/model/index.ts';
import type { Calendar } from '../shared/model/index.ts';
import type { CalendarConnector } from '../connectors/index.ts';
import type { TenantStore } from '../shared/store/index.ts';
import { expandSeries, utcMsToLocal } from '../shared/time/index.ts';
import type { EngineDeps } from './deps.ts';

/**
 * Singles one series' copy may have in the window: a daily series over the default 730-day
 * horizon fits; an hourly one is cut (its later occurrences come as earlier ones pass), and the
 * rule shows COPY_SINGLES_CAPPED.
 */
export const MAX_SINGLES = 750;

const DAY = 86_400_000;

/** The link key of one occurrence copied as a single event: one per source occurrence, beside its series' own. */
export const singleKey = (seriesKey: string, occurrenceKey: string) => `${seriesKey}\u0003${occurrenceKey}`;

/** The series link key and occurrence key of a single's link key, or null for any other link. */
export function singleOf(linkKey: string): { seriesKey: string; occurrenceKey: string } | null {
  const at = linkKey.lastIndexOf('\u0003');
  return at < 0 ? null : { seriesKey: linkKey.slice(0, at), occurrenceKey: linkKey.slice(at + 1) };
}

/** The window singles are written for: from the start of yesterday (UTC, so it moves once a day) to `horizonEnd`. */
export function singlesWindow(now: Date, horizonEnd: Date): { start: Date; end: Date } {
  return { start: new Date(Math.floor(now.getTime() / DAY) * DAY - DAY), end: horizonEnd };
}

/** Whether an occurrence key (eventTimeKey of its original start) lies before `ms`: its single has passed and stays. */
export function passed(occurrenceKey: string, ms: number): boolean {
  const k = occurrenceKey.replace('~floating', '');
  const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(k) ? `${k}T00:00:00Z` : /Z$/.test(k) ? k : `${k}Z`);
  return !Number.isNaN(at) && at < ms;
}

export interface SeriesSingles {
  /** By occurrence key: the occurrence as a single event (uid left to the caller). */
  singles: Map<string, CanonicalEvent>;
  /** Set when the window held more than `cap` occurrences: the start of the first one not copied. */
  cutAt: string | null;
}

/**
 * The occurrences of `copies` (a series' copy: master and overrides, as the target will hold them)
 * that start in `window`, each as a single event: cancelled ones and EXDATEs have none, a moved
 * one is at its new time. At most `cap`, the earliest.
 */
export function seriesAsSingles(copies: CanonicalEvent[], zone: string, window: { start: Date; end: Date }, cap = MAX_SINGLES): SeriesSingles {
  const master = copies.find((e) => e.originalStart === null);
  const singles = new Map<string, CanonicalEvent>();
  if (!master) return { singles, cutAt: null };
  const overrides = copies.filter((e) => e.originalStart !== null);
  const occurrences = expandSeries({ master, overrides, calendarTimeZone: zone, window, startsInWindow: true, perRuleLimit: cap + 1 });
  let cutAt: string | null = null;
  for (const o of occurrences) {
    if (o.event.status === 'cancelled') continue; // an occurrence the rule's filters drop
    if (singles.size === cap) {
      cutAt = new Date(o.startMs).toISOString();
      break;
    }
    const e = o.isOverride ? o.event : { ...master, start: spelled(o.startMs, master.start, zone), end: spelled(o.endMs, master.end, zone) };
    singles.set(o.originalStartKey, { ...e, originalStart: null, recurrence: null, providerEventId: null, providerVersion: null, providerUpdatedAt: null });
  }
  return { singles, cutAt };
}

/** `ms` in the form of `like`: a date or floating time as `zone` has it, a zoned time in its own zone. */
function spelled(ms: number, like: EventTime, zone: string): EventTime {
  if ('date' in like) return { date: utcMsToLocal(ms, zone).slice(0, 10) };
  if ('dateTime' in like) return { dateTime: `${new Date(ms).toISOString().slice(0, 19)}Z`, timeZone: like.timeZone };
  return { local: utcMsToLocal(ms, zone).slice(0, 19) };
}

/**
 * Why the target cannot hold `master` as a series while it could hold it as a single event, or
 * null: only then is a copy written as singles (anything else it cannot hold is refused as before).
 */
export function seriesUnheld(cannotHold: Hold | null, master: CanonicalEvent, zone: string): string | null {
  if (!cannotHold || !master.recurrence) return null;
  const cal = { timeZone: zone };
  const why = cannotHold(null, master, cal);
  if (!why) return null;
  return cannotHold(null, { ...master, recurrence: null }, cal) === null ? why : null;
}

export type Hold = NonNullable<CalendarConnector['cannotHold']>;

/** The target calendar's provider's check of what it can hold (pure, no request); null without one. */
export async function targetHold(deps: EngineDeps, t: TenantStore, cal: Calendar | null): Promise<Hold | null> {
  const account = cal && (await t.accounts.get(cal.accountId));
  if (!cal || !account) return null;
  if (deps.capabilities) return (await deps.cannotHold?.(account.provider)) ?? null;
  const c = (await deps.connect(account, cal)).connector;
  return c.cannotHold ? c.cannotHold.bind(c) : null;
}
