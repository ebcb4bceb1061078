/**
 * iCalendar calendar object resource → canonical events. ical.js does the lexing (RFC 5545
 * unfolding, escaping, parameters); we walk its jCal arrays directly and index each component's
 * properties once, because ical.js's Component lookups scan every property on each call
 * (quadratic over a resource with many overrides). Recurrence is not expanded here.
 */
import ICAL from 'ical.js';
import { parseEvent, type CanonicalEvent, type CanonicalEventInput, type EventTime } from '../../../shared/model/index.ts';
import { parseRRule } from '../../../shared/time/index.ts';
import { readTime, TimeReader, endFromDuration } from './read-time.ts';
import { recurToString } from './recur.ts';
import type { InvalidRemoteDataError } from '../../errors.ts';
import { BadValueError, invalid, type JComp, type JProp } from './jcal.ts';

/** Larger resources are refused before parsing: a calendar object is one event series. */
export const MAX_RESOURCE_BYTES = 2 * 1024 * 1024;
const MAX_COMPONENTS = 5000;
const DEFAULT_BUDGET_MS = 2000;

export interface ParseOptions {
  /** CalDAV href of the resource, copied to providerEventId. */
  remoteId?: string | null;
  /** ETag of the resource, copied to providerVersion. */
  version?: string | null;
  /** The account's own addresses (email or mailto:); a matching attendee gets `self: true`. */
  selfAddresses?: string[];
  /** Wall-clock budget for one resource; exceeding it makes the item invalid. */
  budgetMs?: number;
}

function indexProps(props: JProp[]): Map<string, JProp[]> {
  const m = new Map<string, JProp[]>();
  for (const p of props) {
    const list = m.get(p[0]);
    if (list) list.push(p);
    else m.set(p[0], [p]);
  }
  return m;
}

const text = (p: JProp | undefined): string | null => {
  if (!p) return null;
  const v = p[3];
  return typeof v === 'string' ? v : v === undefined || v === null ? null : String(v);
};
const param = (p: JProp, name: string): string | null => {
  const v = p[1][name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
};
const address = (v: string) => v.replace(/^mailto:/i, '').trim();

const PARTSTAT: Record<string, 'needsAction' | 'accepted' | 'declined' | 'tentative'> = {
  'NEEDS-ACTION': 'needsAction', ACCEPTED: 'accepted', DECLINED: 'declined', TENTATIVE: 'tentative',
};
const CLASS: Record<string, 'public' | 'private' | 'confidential'> = { PUBLIC: 'public', PRIVATE: 'private', CONFIDENTIAL: 'confidential' };
/** Outlook/Exchange write their free/busy kind here; it is finer than TRANSP. */
const CDO_BUSY: Record<string, 'busy' | 'free' | 'tentative' | 'oof' | 'workingElsewhere'> = {
  BUSY: 'busy', FREE: 'free', TENTATIVE: 'tentative', OOF: 'oof', WORKINGELSEWHERE: 'workingElsewhere',
};

/**
 * TRANSP with X-MICROSOFT-CDO-BUSYSTATUS, the finer kind Outlook/Exchange write (they write working
 * elsewhere OPAQUE, and so it reads). calhub's own copies (X-CALHUB-PROVENANCE) say working
 * elsewhere TRANSPARENT (serialize.ts); one that says it OPAQUE was written by an earlier calhub
 * and blocks the time for every other client and the server's free-busy: it reads as the busy
 * block it is, so the mirror sees it differ from what its rule wants and writes it again.
 */
function availabilityOf(cdo: string | undefined, transparent: boolean, calhubCopy: boolean): CanonicalEventInput['availability'] {
  const kind = (cdo && CDO_BUSY[cdo]) || (transparent ? 'free' : 'busy');
  return kind === 'workingElsewhere' && !transparent && calhubCopy ? 'busy' : kind;
}

/**
 * `warnings` name the fallbacks taken for data RFC 5545 forbids but clients meet (a DTEND before
 * DTSTART, an unknown TZID): the item is kept, read as well-behaved clients read it.
 */
export function parseCalendarObject(raw: string, opts: ParseOptions = {}): { events: CanonicalEvent[]; warnings: string[] } {
  const { events, warnings } = readCalendarObject(raw, opts);
  return { events, warnings };
}

/**
 * As parseCalendarObject, with `components`: each top-level VEVENT's event in the order the
 * VEVENTs appear in the text (the merge of an update into the stored object goes by it).
 */
export function readCalendarObject(raw: string, opts: ParseOptions = {}): { events: CanonicalEvent[]; components: CanonicalEvent[]; warnings: string[] } {
  const started = Date.now();
  const budget = opts.budgetMs ?? DEFAULT_BUDGET_MS;
  const checkBudget = () => {
    if (Date.now() - started > budget) throw invalid(`parsing took longer than ${budget} ms; item skipped`);
  };
  if (raw.length > MAX_RESOURCE_BYTES) throw invalid(`calendar object is larger than ${MAX_RESOURCE_BYTES} bytes`);
  let jcal: unknown;
  try {
    jcal = ICAL.parse(raw);
  } catch (e) {
    throw invalid(`unparsable iCalendar: ${(e as Error).message}`);
  }
  const root = (Array.isArray(jcal) && Array.isArray(jcal[0]) ? jcal[0] : jcal) as JComp;
  if (!Array.isArray(root) || root[0] !== 'vcalendar') throw invalid('not a VCALENDAR object');
  const subs = root[2] ?? [];
  if (subs.length > MAX_COMPONENTS) throw invalid(`more than ${MAX_COMPONENTS} components in one object`);
  checkBudget();

  const vtimezones = new Map<string, JComp>();
  for (const c of subs) {
    if (c[0] !== 'vtimezone') continue;
    const tzid = text(c[1].find((p) => p[0] === 'tzid'));
    if (tzid) vtimezones.set(tzid, c);
  }
  const times = new TimeReader(vtimezones, checkBudget);
  const self = new Set((opts.selfAddresses ?? []).map((a) => address(a).toLowerCase()));

  const warnings: string[] = [];
  const byUid = new Map<string, CanonicalEvent[]>();
  const periodsOf = new Map<string, Period[]>();
  const components: CanonicalEvent[] = [];
  let n = -1;
  for (const c of subs) {
    if (c[0] !== 'vevent') continue;
    n += 1;
    const periods: Period[] = [];
    let ev: CanonicalEvent;
    try {
      ev = mapVevent(indexProps(c[1]), times, self, opts, warnings, periods);
    } catch (e) {
      throw e instanceof BadValueError ? quoteRaw(e, raw, n) : e;
    }
    components.push(ev);
    const list = byUid.get(ev.uid);
    if (!list) byUid.set(ev.uid, [ev]);
    else if (ev.originalStart === null) list.unshift(ev);
    else list.push(ev);
    if (periods.length && ev.originalStart === null) periodsOf.set(ev.uid, periods);
    checkBudget();
  }
  const events: CanonicalEvent[] = [];
  for (const list of byUid.values()) {
    if (list.filter((e) => e.originalStart === null).length > 1) throw invalid(`UID ${list[0]!.uid} has more than one master component`);
    events.push(...list, ...periodOverrides(list, periodsOf.get(list[0]!.uid) ?? []));
  }
  return { events, components, warnings: [...warnings, ...times.warnings] };
}

type Period = { start: EventTime; end: EventTime };

/** Longest quote of an object's line in a message (a quarantine reason, a log line). */
const QUOTE_MAX = 100;

/**
 * A bad value's message with the line as the object has it (unfolded), found in the n-th
 * top-level VEVENT: among that property's lines the one ical.js reads to the bad value, else the
 * first. Only a time property's line is quoted, cut at QUOTE_MAX characters, control characters
 * escaped. Not found (the text is not shaped as ical.js read it): the message as it was.
 */
function quoteRaw(e: BadValueError, raw: string, n: number): InvalidRemoteDataError {
  const lines = raw.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const candidates: string[] = [];
  let depth = 0;
  let vevent = -1;
  let inside = false;
  for (const line of lines) {
    const up = line.toUpperCase();
    if (up.startsWith('BEGIN:')) {
      depth += 1;
      if (depth === 2 && up === 'BEGIN:VEVENT') {
        vevent += 1;
        inside = vevent === n;
      }
      continue;
    }
    if (up.startsWith('END:')) {
      if (depth === 2) inside = false;
      depth -= 1;
      continue;
    }
    if (inside && depth === 2 && (/^[^;:]*/.exec(up)?.[0] ?? '') === e.property) candidates.push(line);
  }
  if (candidates.length === 0) return e;
  const readsTo = (line: string) => {
    try {
      const values = (ICAL.parse.property(line) as unknown as unknown[]).slice(3);
      return values.some((v) => v === e.value || (Array.isArray(v) && v.includes(e.value)));
    } catch {
      return false;
    }
  };
  const line = candidates.find(readsTo) ?? candidates[0]!;
  const shown = line.length > QUOTE_MAX ? `${line.slice(0, QUOTE_MAX)}…` : line;
  const escaped = shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return invalid(`${e.where}: ${e.problem}: the object has ${escaped}`);
}

const msOf = (t: EventTime): number => ('dateTime' in t ? Date.parse(t.dateTime) : 'local' in t ? Date.parse(`${t.local}Z`) : Date.parse(`${t.date}T00:00:00Z`));

/**
 * An RDATE PERIOD (RFC 5545 §3.8.5.2) gives its occurrence a length of its own, which the model's
 * rdates (starts) do not hold: such an occurrence is read as an override of the series at that
 * start with the period's end, the same meaning in the form calhub keeps, unless the object has
 * an override there already. Written back, it is an RDATE and a RECURRENCE-ID component.
 */
function periodOverrides(list: CanonicalEvent[], periods: Period[]): CanonicalEvent[] {
  const master = list[0];
  if (!master || master.originalStart !== null || !master.recurrence) return [];
  const length = msOf(master.end) - msOf(master.start);
  const taken = new Set(list.flatMap((e) => (e.originalStart ? [msOf(e.originalStart)] : [])));
  const out: CanonicalEvent[] = [];
  for (const p of periods) {
    const at = msOf(p.start);
    if (msOf(p.end) - at === length || taken.has(at)) continue;
    taken.add(at);
    out.push(parseEvent({ ...master, originalStart: p.start, start: p.start, end: p.end, recurrence: null }));
  }
  return out;
}

function mapVevent(props: Map<string, JProp[]>, times: TimeReader, self: Set<string>, opts: ParseOptions, warnings: string[], periods: Period[]): CanonicalEvent {
  const one = (name: string) => props.get(name)?.[0];
  const uid = text(one('uid'));
  if (!uid) throw invalid('VEVENT without UID');
  const where = `VEVENT ${uid}`;
  const dtstart = one('dtstart');
  if (!dtstart) throw invalid(`${where}: no DTSTART`);
  const start = readTime(dtstart, times, `${where} DTSTART`);
  let end: EventTime;
  const dtend = one('dtend');
  const duration = one('duration');
  if (dtend) end = readTime(dtend, times, `${where} DTEND`);
  else if (duration) end = endFromDuration(start, text(duration) ?? '', `${where} DURATION`);
  else end = endFromDuration(start, 'date' in start ? 'P1D' : 'PT0S', where);
  const clamped = times.clampEnd(start, end);
  if (dtend && clamped !== end && 'date' in start === 'date' in end) {
    warnings.push(`${where}: DTEND is not after DTSTART (RFC 5545 §3.6.1); read as if it had none: ${'date' in start ? 'one day' : 'ends when it starts'}`);
  }
  end = clamped;

  const recurrenceId = one('recurrence-id');
  const originalStart = recurrenceId ? readTime(recurrenceId, times, `${where} RECURRENCE-ID`) : null;
  // RFC 5545 §3.2.13: the override's changes (and its move) apply to the later occurrences too;
  // the expander applies them (shared/time/expand.ts) and a write keeps RANGE (serialize.ts).
  const thisAndFuture = recurrenceId !== undefined && param(recurrenceId, 'range')?.toUpperCase() === 'THISANDFUTURE';
  const rrules = (props.get('rrule') ?? []).map((p) => checkedRule(recurToString(p[3], `${where} RRULE`), `${where} RRULE`));
  const exdates = (props.get('exdate') ?? []).flatMap((p) => times.readAll(p, `${where} EXDATE`));
  const rdates = (props.get('rdate') ?? []).flatMap((p) => times.readAll(p, `${where} RDATE`));
  for (const p of props.get('rdate') ?? []) periods.push(...times.readPeriods(p, `${where} RDATE`));
  const recurring = !originalStart && rrules.length + rdates.length + exdates.length > 0;

  const cdo = text(one('x-microsoft-cdo-busystatus'))?.toUpperCase();
  const transparent = text(one('transp'))?.toUpperCase() === 'TRANSPARENT';
  const status = text(one('status'))?.toUpperCase();
  const organizer = one('organizer');
  const seq = Number(text(one('sequence')) ?? 0);
  const input: CanonicalEventInput = {
    uid,
    providerEventId: opts.remoteId ?? null,
    providerVersion: opts.version ?? null,
    originalStart,
    start,
    end,
    recurrence: recurring ? { rrules, exdates, rdates } : null,
    status: status === 'CANCELLED' ? 'cancelled' : status === 'TENTATIVE' ? 'tentative' : 'confirmed',
    availability: availabilityOf(cdo, transparent, one('x-calhub-provenance') !== undefined),
    visibility: CLASS[text(one('class'))?.toUpperCase() ?? ''] ?? 'default',
    title: text(one('summary')),
    description: text(one('description')),
    location: text(one('location')),
    organizer: organizer && text(organizer) ? { email: address(text(organizer)!), name: param(organizer, 'cn') } : null,
    attendees: (props.get('attendee') ?? []).filter((p) => text(p)).map((p) => {
      const email = address(text(p)!);
      const role = param(p, 'role')?.toUpperCase();
      return {
        email,
        name: param(p, 'cn'),
        response: PARTSTAT[param(p, 'partstat')?.toUpperCase() ?? ''] ?? 'needsAction',
        optional: role === 'OPT-PARTICIPANT' || role === 'NON-PARTICIPANT',
        self: self.has(email.toLowerCase()),
      };
    }),
    conferenceUrl: text(one('conference')) ?? text(one('x-google-conference')),
    sequence: Number.isInteger(seq) && seq >= 0 ? seq : 0,
    // DTSTAMP stands in for LAST-MODIFIED where a client wrote none: in a stored object (no METHOD)
    // it is when the event was last revised (RFC 5545 §3.8.7.2). latest-wins compares it.
    providerUpdatedAt: lastModified(one('last-modified')) ?? lastModified(one('dtstamp')),
    provenance: readProvenance(one('x-calhub-provenance'), where),
    ...(thisAndFuture ? { thisAndFuture: true as const } : {}),
  };
  try {
    return parseEvent(input);
  } catch (e) {
    throw invalid(`${where}: ${(e as Error).message}`);
  }
}

/**
 * ical.js lexes any `NAME=VALUE` as a rule part; a rule the expander refuses (an unknown part, an
 * out-of-range BYxxx) would be stored and then never count as busy. Refused here, it quarantines
 * the item with the expander's reason (found by the fuzzer, test/soak/ical-fuzz.ts).
 */
function checkedRule(rule: string, where: string): string {
  try {
    parseRRule(rule);
  } catch (e) {
    throw invalid(`${where}: ${(e as Error).message}`);
  }
  return rule;
}

function lastModified(p: JProp | undefined): string | null {
  const v = text(p);
  if (!v) return null;
  const ms = Date.parse(v.endsWith('Z') ? v : `${v}Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** `X-CALHUB-PROVENANCE:{"tenantId":…,"sourceEventId":…,"ruleId":…}` or the same as parameters. */
function readProvenance(p: JProp | undefined, where: string): CanonicalEventInput['provenance'] {
  if (!p) return null;
  const v = text(p) ?? '';
  let data: Record<string, unknown>;
  if (v.trim().startsWith('{')) {
    try {
      data = JSON.parse(v) as Record<string, unknown>;
    } catch {
      throw invalid(`${where}: X-CALHUB-PROVENANCE is not valid JSON`);
    }
  } else {
    data = { tenantId: param(p, 'x-tenant'), sourceEventId: param(p, 'x-source'), ruleId: param(p, 'x-rule') };
  }
  const { tenantId, sourceEventId, ruleId } = data;
  if (typeof tenantId !== 'string' || typeof sourceEventId !== 'string' || !tenantId || !sourceEventId) {
    throw invalid(`${where}: X-CALHUB-PROVENANCE lacks tenantId/sourceEventId`);
  }
  return { hub: 'calhub', tenantId, sourceEventId, ruleId: typeof ruleId === 'string' ? ruleId : null };
}
