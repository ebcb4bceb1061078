/**
 * Mirror rules: configuration, not code. A rule copies the events of one calendar into another as
 * busy blocks or full copies; reconciling a rule compares the copies that should exist with the
 * copies that do and writes only the difference, so repeated runs write nothing and any graph of
 * rules converges. Copies carry a provenance stamp and a link row and are never sources.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { busyStatusOf, EventRuleError, validateForWrite, type CanonicalEvent } from '../shared/model/index.ts';
import { utcMsToLocal } from '../shared/time/index.ts';
import type { MirrorRuleRow, RuleRun, StoredEvent, TenantRepos } from '../shared/store/index.ts';
import { scrubSecrets } from '../shared/logger.ts';
import type { ConnectorCapabilities } from '../connectors/index.ts';
import type { EngineDeps } from './deps.ts';
import { respellCancellations } from './cancelled-instances.ts';
import { keyOf } from './merge.ts';
import { sameCopy } from './mirror-recurrence.ts';
import { apartKey, asSingle, holdApart, orphansApart, targetCapabilities } from './mirror-apart.ts';
import { asTimed, needsTimedCopy } from './mirror-times.ts';
import { passed, seriesAsSingles, seriesUnheld, singleKey, singleOf, singlesWindow, targetHold, MAX_SINGLES } from './mirror-singles.ts';
import { keepInertOverrides, showsAnything } from './plain-occurrences.ts';
import { rangeSegments } from './following.ts';
import { writeUid } from './writer.ts';
import { ruleStateOf, type PausedCode, type RuleState } from './rule-state.ts';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const ruleConfigSchema = z.strictObject({
  mode: z.enum(['busy-block', 'full-copy']),
  twoWay: z.boolean().default(false),
  filters: z
    .strictObject({
      skipDeclined: z.boolean().default(false),
      skipFree: z.boolean().default(true),
      skipAllDay: z.boolean().default(false),
      workingHours: z
        .strictObject({
          timeZone: z.string().min(1),
          start: z.string().regex(HHMM, 'start must be HH:mm'),
          end: z.string().regex(HHMM, 'end must be HH:mm'),
          /** ISO weekdays, 1 = Monday. */
          days: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
        })
        .nullable()
        .default(null),
    })
    .prefault({}),
});
export type RuleConfig = z.infer<typeof ruleConfigSchema>;

export function parseRuleConfig(input: unknown): RuleConfig {
  const r = ruleConfigSchema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(`invalid mirror rule: ${r.error.issues.map((i) => `${i.path.join('.') || '(rule)'}: ${i.message}`).join('; ')}`);
}

/**
 * Why a rule's working hours would match nothing, or null. The filter is one range within a day
 * (a start at or after it, before its end), so an end equal to the start, or before it (no range
 * runs into the next day here, unlike availability's), copied nothing, silently. Checked when a
 * rule is made (400 WORKING_HOURS_INVALID, as availability answers an empty range); a rule stored
 * before is read as it is.
 */
export function workingHoursProblem(wh: RuleConfig['filters']['workingHours'], field = 'filters.workingHours'): string | null {
  if (!wh) return null;
  if (wh.start === wh.end) return `${field}: start and end are both ${wh.start}, which matches no event; for any time of day leave workingHours out (null)`;
  if (wh.end < wh.start) return `${field}: end ${wh.end} is before start ${wh.start}; a rule's working hours are one range within a day (start before end), none runs into the next day`;
  return null;
}

type Direction = '>' | '<';
/** The key of a rule's links in one direction (mirror_links.rule_id): rule id + '>' or '<'. */
export const linkKey = (ruleId: string, d: Direction) => `${ruleId}${d}`;
const copyUidOf = (ruleId: string, d: Direction, sourceUid: string) =>
  `calhub-${createHash('sha256').update(`${ruleId}${d}${sourceUid}`).digest('hex').slice(0, 32)}@calhub`;

function passes(master: CanonicalEvent, f: RuleConfig['filters']): boolean {
  if (master.status === 'cancelled') return false;
  if (f.skipFree && master.availability === 'free') return false;
  if (f.skipDeclined && master.attendees.some((a) => a.self && a.response === 'declined')) return false;
  if (f.skipAllDay && 'date' in master.start) return false;
  if (f.workingHours && 'dateTime' in master.start) {
    const local = utcMsToLocal(Date.parse(master.start.dateTime), f.workingHours.timeZone);
    const hhmm = local.slice(11, 16);
    const weekday = ((new Date(`${local.slice(0, 10)}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    if (!f.workingHours.days.includes(weekday) || hhmm < f.workingHours.start || hhmm >= f.workingHours.end) return false;
  }
  return true;
}

function copyOf(e: CanonicalEvent, cfg: RuleConfig, stamp: { tenantId: string; sourceEventId: string; ruleId: string }, copyUid: string): CanonicalEvent {
  const hidden = cfg.mode === 'busy-block';
  // An occurrence the filters drop (declined, free, cancelled) becomes a cancelled occurrence of the copy.
  const dropped = e.originalStart !== null && (!passes(e, { ...cfg.filters, workingHours: null }) || (hidden && busyStatusOf(e) === null));
  return {
    uid: copyUid,
    providerEventId: null,
    originalStart: e.originalStart,
    start: e.start,
    end: e.end,
    recurrence: e.recurrence,
    // A copy of a tentative event is tentative too (it was a plain busy, confirmed copy), as far as
    // the target can hold it (heldAs): Graph by showAs, Google by status, CalDAV by both. A busy
    // block of one the owner holds tentatively (showAs tentative, a tentative reply) as well:
    // Google keeps only busy or free, so a confirmed block there was plain busy.
    status: e.status === 'cancelled' || dropped ? 'cancelled' : (hidden ? busyStatusOf(e) === 'tentative' : e.status === 'tentative') ? 'tentative' : 'confirmed',
    // A busy block is as busy as its source (tentative, oof, workingElsewhere): availability's
    // freeStatuses then read the copy as they read the source. heldAs: as the target can hold it.
    availability: hidden ? (busyStatusOf(e) ?? 'busy') : e.availability === 'busy' && busyStatusOf(e) === 'tentative' ? 'tentative' : e.availability,
    visibility: hidden ? 'private' : e.visibility,
    title: hidden ? 'Busy' : e.title,
    description: hidden ? null : e.description,
    location: hidden ? null : e.location,
    organizer: null,
    attendees: [],
    conferenceUrl: hidden ? null : e.conferenceUrl,
    sequence: 0,
    providerUpdatedAt: null,
    providerVersion: null,
    provenance: { hub: 'calhub', tenantId: stamp.tenantId, sourceEventId: stamp.sourceEventId, ruleId: stamp.ruleId },
  };
}

/**
 * A copy as its target's provider will hold it (Google: busy or free only). Copies kept as the
 * source had them never matched what the provider returned, so every run wrote them again. A busy
 * block is held the same way as a full copy: tentative and out of office as busy (they block
 * time), working elsewhere as free, as it takes no time by the busy policy (docs/busy-policy.md)
 * and is TRANSP:TRANSPARENT on CalDAV; held as busy it blocked time for everyone reading the
 * Google calendar. A copy held otherwise before reads back differently and is written again once.
 * Visibility the same way (Graph has no `public`): a full copy of a public event into Graph was
 * written again on every run, as it read back `default`.
 */
function heldAs(caps: ConnectorCapabilities | null): (e: CanonicalEvent) => CanonicalEvent {
  const kinds = caps?.availabilityHeldAs ?? {};
  const visibilities = caps?.visibilityHeldAs ?? {};
  const statuses = caps?.statusHeldAs ?? {};
  return (e) => ({ ...e, status: statuses[e.status] ?? e.status, availability: kinds[e.availability] ?? e.availability, visibility: visibilities[e.visibility] ?? e.visibility });
}

export interface MirrorResult {
  /** Copies written: `updated` of them were there before, the rest are new. */
  written: number;
  updated: number;
  removed: number;
}

/**
 * The last pause logged per rule, by log: a paused rule is asked to run on every change of its
 * calendars, and said why each time it filled the log with one line per pull. It is said once per
 * pause (again when the reason changes, or after it ran again).
 */
const pauseLogged = new WeakMap<object, Map<string, PausedCode>>();

function logPause(deps: EngineDeps, tenantId: string, ruleId: string, state: RuleState): void {
  let seen = pauseLogged.get(deps.log);
  if (!seen) pauseLogged.set(deps.log, (seen = new Map()));
  const key = `${tenantId}/${ruleId}`;
  if (state.state !== 'paused') {
    seen.delete(key);
    return;
  }
  if (seen.get(key) === state.pausedCode) return;
  seen.set(key, state.pausedCode!);
  const fields = { tenantId, ruleId, pausedCode: state.pausedCode, reason: state.pausedReason };
  // A user's pause is what was asked for; the others want an operator's eye.
  (state.pausedCode === 'USER_PAUSED' ? deps.log.info : deps.log.warn).call(deps.log, fields, PAUSE_WORDS[state.pausedCode!]);
}

const PAUSE_WORDS: Record<PausedCode, string> = {
  USER_PAUSED: 'mirror rule paused by a user: it makes no copies until resumed',
  ACCOUNT_DISABLED: 'mirror rule paused: an account of its calendars is disabled',
  CALENDAR_MISSING: 'mirror rule paused: its provider no longer lists a calendar of the rule',
  CALENDAR_NOT_WRITABLE: 'mirror rule paused: a calendar it writes cannot be written',
};

/** A copy's write found its rule deleted or being deleted since the run read it. */
class RuleGoneError extends Error {}

/**
 * Brings one rule's copies (both directions when two-way) in line with their sources. A rule that
 * is gone or being deleted (a run queued before its DELETE) makes nothing and is no failure.
 */
export async function reconcileRule(deps: EngineDeps, tenantId: string, ruleId: string): Promise<MirrorResult> {
  const t = deps.store.tenant(tenantId);
  const rule = await t.mirror.get(ruleId);
  if (!rule || rule.deletingSince) return { written: 0, updated: 0, removed: 0 };
  const cfg = parseRuleConfig(rule.config);
  const out: MirrorResult = { written: 0, updated: 0, removed: 0 };
  // The state the API and CLI show (sync-engine/rule-state.ts): a rule shown paused writes nothing.
  const state = await ruleStateOf(t, rule);
  logPause(deps, tenantId, ruleId, state);
  if (state.state !== 'active') return out;
  const quiet = quietWrites(deps);
  let error: RuleRun['error'] = null;
  try {
    for (const d of cfg.twoWay ? (['>', '<'] as const) : (['>'] as const)) await reconcileDirection(quiet.deps, tenantId, rule, cfg, d, out);
  } catch (e) {
    if (!(e instanceof RuleGoneError)) {
      error = runError(e);
      throw e;
    }
    deps.log.info({ ruleId }, 'mirror run stopped: its rule was deleted meanwhile');
  } finally {
    quiet.report(tenantId, ruleId);
    await recordRun(deps, tenantId, ruleId, { at: new Date().toISOString(), created: out.written - out.updated, updated: out.updated, deleted: out.removed, error });
  }
  return out;
}

/** The run's end on the rule's row, one write a run; a failure to keep it loses only the record. */
async function recordRun(deps: EngineDeps, tenantId: string, ruleId: string, run: RuleRun): Promise<void> {
  try {
    await deps.store.tenant(tenantId).mirror.recordRun(ruleId, run);
  } catch (e) {
    deps.log.warn({ tenantId, ruleId, err: e }, 'mirror run not recorded on its rule');
  }
}

/** A stable code (the error's own, else INTERNAL) and its message without secrets, short enough to show. */
function runError(e: unknown): NonNullable<RuleRun['error']> {
  const code = (e as { code?: unknown })?.code;
  const message = scrubSecrets(e instanceof Error ? e.message : String(e));
  return { code: typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) ? code : 'INTERNAL', message: message.length > 500 ? `${message.slice(0, 499)}…` : message };
}

/**
 * A rule's copy writes do not each announce a changed calendar: every copy woke every rule
 * touching its target (five rules fanning 200 events into one calendar made 1,000 mirror requests
 * and runs that found nothing to do), and each asked for its calendar's push. The run reports each
 * calendar it wrote once, at its end: a push then finds all of its copies (a run killed before
 * that leaves them in the outbox, pushed after the calendar's next pull).
 */
function quietWrites(deps: EngineDeps): { deps: EngineDeps; report: (tenantId: string, ruleId: string) => void } {
  const wrote = new Set<string>();
  const outbox = new Set<string>();
  return {
    deps: { ...deps, onCalendarChanged: (_tenantId, calendarId) => void wrote.add(calendarId), onOutbox: (_tenantId, calendarId) => void outbox.add(calendarId) },
    report: (tenantId, ruleId) => {
      for (const calendarId of outbox) deps.onOutbox?.(tenantId, calendarId);
      for (const calendarId of wrote) deps.onRuleWrote?.(tenantId, calendarId, ruleId);
    },
  };
}

/** Whether a rule's runs read `calendarId` (its source, or its target when two-way): only then can a change there give it work. */
export function ruleReads(rule: MirrorRuleRow, calendarId: string): boolean {
  if (rule.sourceCalendarId === calendarId) return true;
  return rule.targetCalendarId === calendarId && parseRuleConfig(rule.config).twoWay;
}

async function reconcileDirection(deps: EngineDeps, tenantId: string, rule: MirrorRuleRow, cfg: RuleConfig, d: Direction, result: MirrorResult): Promise<void> {
  const t = deps.store.tenant(tenantId);
  const [source, target] = d === '>' ? [rule.sourceCalendarId, rule.targetCalendarId] : [rule.targetCalendarId, rule.sourceCalendarId];
  const key = linkKey(rule.id, d);
  const copiesInSource = await t.mirror.copyUidsIn(source);
  const groups = new Map<string, CanonicalEvent[]>();
  for (const row of await t.events.list(source)) {
    const e = row.event;
    if (e.provenance || copiesInSource.has(e.uid)) continue; // a copy is never a source
    groups.set(e.uid, [...(groups.get(e.uid) ?? []), e]);
  }
  const links = await t.mirror.links(key);
  // Copies the target's provider refused (usually none): cleared here once the rule no longer asks for what was refused.
  const refused = await t.refusals.uidsIn(target);
  const desired = new Map<string, { copyUid: string; events: CanonicalEvent[] }>();
  const sourceZone = (await t.calendars.get(source))?.timeZone ?? 'UTC';
  // A target that cannot be written (reconnected to read or freebusy) paused the rule before this (ruleStateOf).
  const targetCal = await t.calendars.get(target);
  const caps = await targetCapabilities(deps, t, targetCal);
  const held = heldAs(caps);
  const targetZone = targetCal?.timeZone ?? 'UTC';
  const inOrder = caps?.keepsOccurrenceOrder === true;
  // Series the target cannot hold as series are copied as singles over this window (mirror-singles.ts).
  const hold = await targetHold(deps, t, targetCal);
  const window = singlesWindow(deps.store.now(), deps.store.busyCoverage().end);
  const asSingles = new Set<string>();
  const cap = deps.singlesCap ?? MAX_SINGLES;
  for (const [sourceUid, all] of groups) for (const part of rangeSegments(all, sourceZone)) {
    // A series with RANGE=THISANDFUTURE overrides is copied as the series they make (no provider
    // but CalDAV holds a range): each part from one of them on is a copy of its own.
    const uid = part.from === null ? sourceUid : `${sourceUid}\u0002${part.from}`;
    const events = part.events;
    const master = events.find((e) => e.originalStart === null);
    if (!master || !passes(master, cfg.filters)) continue;
    if (cfg.mode === 'busy-block' && busyStatusOf(master) === null) continue; // blocks no time
    // A series with every occurrence gone shows nothing, and Graph could not even list its copy
    // (calendarView delta yields occurrences only): the store would keep a copy Graph never names.
    if (!showsAnything(events, sourceZone)) continue;
    const copyUid = copyUidOf(rule.id, d, uid);
    const stamp = { tenantId, sourceEventId: `${source}/${sourceUid}`, ruleId: rule.id };
    // A busy block blocks the source's hours; a full copy is the same event, all-day stays all-day.
    const timed = cfg.mode === 'busy-block' && needsTimedCopy(master, sourceZone, targetZone);
    const copies = events.map((e) => {
      const copy = copyOf(e, cfg, stamp, copyUid);
      return held(timed ? asTimed(copy, sourceZone) : copy);
    });
    const unheld = seriesUnheld(hold, copies[events.indexOf(master)]!, targetZone);
    if (unheld) {
      asSingles.add(uid);
      const { singles, cutAt } = seriesAsSingles(copies, sourceZone, window, cap);
      for (const [occurrence, e] of singles) {
        const k = singleKey(uid, occurrence);
        const single = copyUidOf(rule.id, d, k);
        desired.set(k, { copyUid: single, events: [{ ...e, uid: single }] });
      }
      await noteSingles(t, target, rule.id, copyUid, refused.has(copyUid), cutAt ? { why: unheld, cutAt, cap } : null);
      continue;
    }
    const loose = caps && !caps.overridesInMasterObject ? orphansApart(events, copies, sourceZone) : { series: copies, orphans: [] };
    const { series, apart } = inOrder ? holdApart(loose.series, targetZone, (o) => links.has(apartKey(uid, o))) : { series: loose.series, apart: [] };
    desired.set(uid, { copyUid, events: series });
    for (const o of [...apart, ...loose.orphans]) {
      const k = apartKey(uid, o);
      const single = copyUidOf(rule.id, d, k);
      desired.set(k, { copyUid: single, events: [asSingle(o, single)] });
    }
  }

  // A cancelled instance keeps the spelling the copy has (Graph's store holds EXDATEs only), and
  // so does a plain occurrence (Google and Graph keep an override the source lost, written back plain).
  const wantedOver = (want: CanonicalEvent[], current: StoredEvent[]) => {
    const held = current.map((r) => r.event);
    return keepInertOverrides(respellCancellations(want, held), held, targetZone);
  };
  for await (const { uid, want, read } of withCopies(t, target, desired)) {
    const settled = read.length > 0 && sameCopy(read.map((r) => r.event), wantedOver(want.events, read));
    // A copy about to be written is read again: its chunk was read before the writes ahead of it.
    const current = settled ? read : await t.events.byUid(target, want.copyUid);
    const wanted = wantedOver(want.events, current);
    if (settled || (current.length && sameCopy(current.map((r) => r.event), wanted))) {
      if (links.get(uid) !== want.copyUid) await t.mirror.putLink(key, target, uid, want.copyUid);
      if (refused.has(want.copyUid)) await settledRefusals(t, target, want.copyUid);
      continue;
    }
    const remoteIds = new Map(current.map((r) => [keyOf(r.event), r.remoteId]));
    // Only a master falls back to a known remote id. A new override of a copy has none yet: on
    // Google and Graph it is an object of its own, and given the master's id the push wrote the
    // override onto the series master (Graph refused it, 400 range.startDate). The push finds
    // the resource of a CalDAV copy from any row of the UID. Where overrides are objects of their
    // own the reverse holds too: an override's id is an instance, and a master given it was
    // written over that instance, recurrence and all (Google moved the block to the series' start).
    const fallback = (caps?.overridesInMasterObject ?? true) ? (current.find((r) => r.remoteId)?.remoteId ?? null) : null;
    const events = wanted.map((e) => ({ ...e, providerEventId: remoteIds.get(keyOf(e)) ?? (e.originalStart === null ? fallback : null) }));
    const broken = ruleBroken(events);
    if (broken) {
      // The same rules as an API write: a copy no provider could honour is skipped, the rest of the rule still runs.
      deps.log.warn({ ruleId: rule.id, sourceUid: uid, code: broken.code, reason: broken.message }, 'mirror copy skipped: the source event breaks a write rule');
      continue;
    }
    // The link and the copy in one unit, and only while the rule stands: a DELETE of the rule that
    // began since this run read it would otherwise find no link and leave the copy behind.
    await writeUid(deps, tenantId, target, want.copyUid, events, async (tx) => {
      if (!(await tx.mirror.holdRule(rule.id))) throw new RuleGoneError();
      await tx.mirror.putLink(key, target, uid, want.copyUid);
    }, OWN_COPY);
    result.written += 1;
    if (current.length) result.updated += 1;
  }
  for (const [uid, copyUid] of links) {
    if (desired.has(uid)) continue;
    // A single of an occurrence that has passed out of the window stays as it was written.
    const single = singleOf(uid);
    if (single && asSingles.has(single.seriesKey) && passed(single.occurrenceKey, window.start.getTime())) continue;
    if (single && !asSingles.has(single.seriesKey)) {
      // Its series is no longer copied as singles: a COPY_SINGLES_CAPPED it showed goes with them.
      const series = copyUidOf(rule.id, d, single.seriesKey);
      if (refused.has(series) && !desired.has(single.seriesKey)) await t.refusals.clear(target, series);
    }
    if ((await t.events.byUid(target, copyUid)).length) {
      await writeUid(deps, tenantId, target, copyUid, [], undefined, OWN_COPY);
      result.removed += 1;
    } else if (refused.has(copyUid) && !asSingles.has(uid)) await t.refusals.clear(target, copyUid); // nothing of it is left to write (noteSingles keeps a series copied as singles)
    await t.mirror.deleteLink(key, uid);
  }
}

/** Copies read per query: a settled run of a series copied as 750 singles read each with a query of its own. */
const READ_CHUNK = 500;

/** Each wanted copy with its rows as stored in the target (`read`), read a chunk of copies at a time. */
async function* withCopies<W extends { copyUid: string }>(t: TenantRepos, target: string, desired: Map<string, W>): AsyncGenerator<{ uid: string; want: W; read: StoredEvent[] }> {
  const all = [...desired];
  for (let i = 0; i < all.length; i += READ_CHUNK) {
    const part = all.slice(i, i + READ_CHUNK);
    const rows = await t.events.byUids(target, part.map(([, w]) => w.copyUid));
    for (const [uid, want] of part) yield { uid, want, read: rows.get(want.copyUid) ?? [] };
  }
}

/**
 * A copy the rule finds as it wants it: a refused occurrence is no longer asked for (one the
 * provider could not bring back was dropped from the copy, and a source still holding it would make
 * the copy differ). A refusal of its whole write stands while that write waits in the outbox.
 */
async function settledRefusals(t: TenantRepos, target: string, copyUid: string): Promise<void> {
  const waiting = (await t.outbox.editedAt(target, [copyUid])).size > 0;
  await t.refusals.clear(target, copyUid, { occurrencesOnly: waiting });
}

/**
 * A series copied as singles is no refusal: one standing for its series copy (CONNECTOR_UNSUPPORTED
 * from before it was copied so) is cleared. Where the window held more than MAX_SINGLES
 * occurrences (its cap) the rule shows COPY_SINGLES_CAPPED on the series copy instead, said again only when
 * the first occurrence left out changes.
 */
async function noteSingles(t: TenantRepos, target: string, ruleId: string, copyUid: string, standing: boolean, cut: { why: string; cutAt: string; cap: number } | null): Promise<void> {
  const now = standing ? await t.refusals.standing(target, copyUid) : null;
  const message = cut && `the series cannot be written to this calendar as a series (${cut.why}), so its occurrences are copied as single events: the first ${cut.cap} from yesterday on; those from ${cut.cutAt} on are not copied until earlier ones have passed`;
  if (now && now.code === 'COPY_SINGLES_CAPPED' && now.message === message) return;
  if (standing) await t.refusals.clear(target, copyUid);
  if (message) await t.refusals.record(target, { ruleId, uid: copyUid, occurrence: '', code: 'COPY_SINGLES_CAPPED', message });
}

/** A copy is calhub's own: written over its item even while that is quarantined (another client broke it). */
const OWN_COPY = { ownCopy: true } as const;

function ruleBroken(events: CanonicalEvent[]): EventRuleError | null {
  try {
    for (const e of events) validateForWrite(e);
    return null;
  } catch (e) {
    if (e instanceof EventRuleError) return e;
    throw e;
  }
}

/**
 * Deleting a rule removes its copies (through the outbox) before the rule itself. `goneCalendars`:
 * calendars going away with the rule (deleted, or gone at the provider): the copies in them are
 * not written (they go with their calendar, and a push there could only fail); only their links go.
 * `goneCopy` learns each such copy first (read after the rule is marked: no copy is written after
 * it), so a caller can still delete it at the provider itself (an account's disconnect).
 */
export async function deleteRule(
  deps: EngineDeps,
  tenantId: string,
  ruleId: string,
  opts: { goneCalendars?: ReadonlySet<string>; goneCopy?: (calendarId: string, copyUid: string) => void } = {},
): Promise<number> {
  const t = deps.store.tenant(tenantId);
  const rule = await t.mirror.get(ruleId);
  // Marked first: a copy still being written under the rule commits before the mark, and none after it.
  if (!rule || !(await t.mirror.markDeleting(ruleId))) throw new NotFoundError(`mirror rule ${ruleId}`);
  let removed = 0;
  const quiet = quietWrites(deps);
  try {
    await removeCopies(quiet.deps, tenantId, rule, opts.goneCalendars ?? new Set(), (n) => (removed += n), opts.goneCopy);
  } finally {
    quiet.report(tenantId, ruleId);
  }
  await t.mirror.delete(ruleId);
  return removed;
}

async function removeCopies(
  deps: EngineDeps,
  tenantId: string,
  rule: MirrorRuleRow,
  gone: ReadonlySet<string>,
  count: (n: number) => void,
  goneCopy?: (calendarId: string, copyUid: string) => void,
): Promise<void> {
  const t = deps.store.tenant(tenantId);
  const ruleId = rule.id;
  for (const d of ['>', '<'] as const) {
    const target = d === '>' ? rule.targetCalendarId : rule.sourceCalendarId;
    for (const [uid, copyUid] of await t.mirror.links(linkKey(ruleId, d))) {
      if (gone.has(target)) goneCopy?.(target, copyUid);
      if (!gone.has(target) && (await t.events.byUid(target, copyUid)).length) {
        await writeUid(deps, tenantId, target, copyUid, [], undefined, OWN_COPY);
        count(1);
      }
      await t.mirror.deleteLink(linkKey(ruleId, d), uid);
    }
  }
}
