/**
 * An update written into the object the server holds (RFC 5545 §3.8.8.2: X-properties are kept by
 * whoever does not understand them; other clients own their VALARMs, ATTACHs, CATEGORIES…).
 *
 * calhub models only some properties of a VEVENT. An update used to rewrite the whole object from
 * the canonical events, so any other client's data was lost on the first edit made through the
 * hub. Here the server's current text is the base: for each VEVENT the hub still has, only the
 * properties of a canonical field the hub changed are replaced by calhub's serialisation of them;
 * every other line (unknown properties, VALARM and other subcomponents, parameters, the way the
 * other client spelled a time or zone) is kept as it was, byte for byte after unfolding.
 *
 * - Fields and the properties they own: times DTSTART/DTEND/DURATION; recurrence RRULE/RDATE/EXDATE;
 *   STATUS; availability TRANSP/X-MICROSOFT-CDO-BUSYSTATUS; CLASS; SUMMARY; DESCRIPTION; LOCATION;
 *   conference CONFERENCE/X-GOOGLE-CONFERENCE; X-CALHUB-PROVENANCE. An unchanged field keeps its
 *   lines; a changed one has them replaced where the first of them stood.
 * - Conference: an object may hold several CONFERENCE lines (RFC 7986 §5.11: video, a dial-in, a
 *   chat); calhub models the one it reads (the first CONFERENCE, else X-GOOGLE-CONFERENCE). A new
 *   link replaces the lines carrying the old one; the others stay. A link removed removes them all,
 *   since the next one kept would be read as the event's link (the removal would not stick).
 * - ORGANIZER and ATTENDEE by address: an attendee still there keeps its line with the parameters
 *   calhub does not model (RSVP, CUTYPE, X-NUM-GUESTS, DELEGATED-FROM…); CN, ROLE and PARTSTAT are
 *   set only when the hub's reading of them changed (a CHAIR that stays required stays CHAIR).
 * - SCHEDULE-AGENT (RFC 6638 §7.1) another client set is theirs: it tells the server who schedules
 *   for that attendee and is kept whatever this write's sendUpdates. A quiet write sets CLIENT where
 *   the server would otherwise schedule (no parameter, or SERVER) and marks the line
 *   X-CALHUB-AGENT=CLIENT; a later write that asks the server to schedule removes only a
 *   SCHEDULE-AGENT so marked (and still as calhub set it).
 * - SEQUENCE is the hub's (the sequence logic has run); DTSTAMP and LAST-MODIFIED become `now` on
 *   a component whose content changed (RFC 5545 §3.8.7.2, §3.8.7.3); an unchanged one keeps both.
 * - A VEVENT the hub no longer has is removed; a new one (an override added) is calhub's
 *   serialisation of it, with LAST-MODIFIED. RECURRENCE-ID and UID are the key: kept.
 * - Everything outside the VEVENTs is kept (PRODID, CALSCALE, X-WR-*, VTODO, other components),
 *   except a VTIMEZONE the write left unreferenced (one nobody referenced before stays); a zone
 *   calhub's new lines use and the object lacks gets calhub's VTIMEZONE.
 *
 * Every kept line parses to the field the old event had and every replaced one to the hub's, so
 * reading the result gives the hub's events (content hashes equal: no echo change).
 */
import ICAL from 'ical.js';
import { eventTimeKey, normalizeRRule, type Attendee, type CanonicalEvent, type EventTime } from '../../../shared/model/index.ts';
import { readCalendarObject, type ParseOptions } from './parse.ts';
import { fold, serializeParts, utcStamp, type SerializeOptions } from './serialize.ts';

type Item = { prop: string; line: string } | { sub: string[] };
interface Block { name: string; lines: string[] }

/** Property name of an unfolded content line, upper case. */
const nameOf = (line: string) => (/^[^;:]*/.exec(line)?.[0] ?? '').toUpperCase();

/** Unfolded content lines (RFC 5545 §3.1), empty lines dropped. */
function contentLines(raw: string): string[] {
  return raw.replace(/\r?\n[ \t]/g, '').split(/\r?\n/).filter((l) => l.length > 0);
}

/** The top level of a VCALENDAR: its own property lines and its components, in order. */
function topLevel(lines: string[]): Array<{ line: string } | Block> | null {
  if (lines.length < 2 || lines[0]!.toUpperCase() !== 'BEGIN:VCALENDAR' || lines[lines.length - 1]!.toUpperCase() !== 'END:VCALENDAR') return null;
  const out: Array<{ line: string } | Block> = [];
  let cur: Block | null = null;
  let depth = 0;
  for (const line of lines.slice(1, -1)) {
    const up = line.toUpperCase();
    if (up.startsWith('BEGIN:')) {
      if (depth === 0) cur = { name: up.slice(6), lines: [] };
      depth += 1;
    }
    if (cur) cur.lines.push(line);
    else out.push({ line });
    if (up.startsWith('END:')) {
      depth -= 1;
      if (depth < 0) return null;
      if (depth === 0 && cur) {
        out.push(cur);
        cur = null;
      }
    }
  }
  return depth === 0 ? out : null;
}

/** A component's own properties and its subcomponents (VALARM…), in order, without BEGIN/END. */
function itemsOf(block: string[]): Item[] {
  const out: Item[] = [];
  let sub: string[] | null = null;
  let depth = 0;
  for (const line of block.slice(1, -1)) {
    const up = line.toUpperCase();
    if (up.startsWith('BEGIN:')) {
      if (depth === 0) sub = [];
      depth += 1;
    }
    if (sub) sub.push(line);
    else out.push({ prop: nameOf(line), line });
    if (up.startsWith('END:')) {
      depth -= 1;
      if (depth === 0 && sub) {
        out.push({ sub });
        sub = null;
      }
    }
  }
  return out;
}

const keyOf = (e: CanonicalEvent) => `${e.uid}\u0000${e.originalStart ? eventTimeKey(e.originalStart) : ''}`;
const timeEq = (a: EventTime, b: EventTime) =>
  eventTimeKey(a) === eventTimeKey(b) && ('date' in a) === ('date' in b) && ('local' in a) === ('local' in b) && ('timeZone' in a ? a.timeZone : null) === ('timeZone' in b ? b.timeZone : null);
const timeSet = (ts: EventTime[]) => JSON.stringify(ts.map((t) => `${eventTimeKey(t)}@${'timeZone' in t ? t.timeZone : ''}`).sort());
const recurrenceEq = (a: CanonicalEvent, b: CanonicalEvent) => {
  const ra = a.recurrence;
  const rb = b.recurrence;
  if (!ra || !rb) return ra === rb;
  return JSON.stringify(ra.rrules.map(normalizeRRule).sort()) === JSON.stringify(rb.rrules.map(normalizeRRule).sort())
    && timeSet(ra.exdates) === timeSet(rb.exdates) && timeSet(ra.rdates) === timeSet(rb.rdates);
};
const lower = (s: string) => s.toLowerCase();
const attendeeEq = (a: Attendee, b: Attendee) => a.name === b.name && a.response === b.response && a.optional === b.optional;
type JProp = [string, Record<string, unknown>, string, ...unknown[]];
const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].toUpperCase() : null);

/** Marks a SCHEDULE-AGENT calhub set for a quiet write, so a later write knows it is calhub's to take back. */
const MARK = 'x-calhub-agent';

/** The SCHEDULE-AGENT parameters a kept ORGANIZER/ATTENDEE line gets from this write (see the header). */
function agentParams(params: Record<string, unknown>, quiet: boolean): Record<string, string | null> {
  const agent = upper(params['schedule-agent']);
  const mark = upper(params[MARK]);
  const ours = mark !== null && mark === agent;
  if (quiet) {
    if (ours) return {};
    // CLIENT or NONE another client set: the server sends nothing for this attendee already.
    if (agent === 'CLIENT' || agent === 'NONE') return mark !== null ? { [MARK]: null } : {};
    return { [MARK]: 'CLIENT', 'schedule-agent': 'CLIENT' };
  }
  if (ours) return { [MARK]: null, 'schedule-agent': null };
  return mark !== null ? { [MARK]: null } : {};
}

/** A property's value as parse.ts reads it (`text`), null when ical.js cannot read the line alone. */
function valueOf(line: string): string | null {
  try {
    const v = (ICAL.parse.property(line) as unknown as JProp)[3];
    return typeof v === 'string' ? v : v === undefined || v === null ? null : String(v);
  } catch {
    return null;
  }
}

/** Each modeled field: the properties that carry it, and whether the hub left it as the server had it. */
const FIELDS: Array<{
  props: string[];
  same: (was: CanonicalEvent, now: CanonicalEvent) => boolean;
  /** Which of the field's lines a change replaces (default: all of them); the others are kept. */
  owns?: (line: string, was: CanonicalEvent, now: CanonicalEvent) => boolean;
}> = [
  { props: ['DTSTART', 'DTEND', 'DURATION'], same: (a, b) => timeEq(a.start, b.start) && timeEq(a.end, b.end) },
  { props: ['RRULE', 'RDATE', 'EXDATE'], same: recurrenceEq },
  { props: ['STATUS'], same: (a, b) => a.status === b.status },
  { props: ['TRANSP', 'X-MICROSOFT-CDO-BUSYSTATUS'], same: (a, b) => a.availability === b.availability },
  { props: ['CLASS'], same: (a, b) => a.visibility === b.visibility },
  { props: ['SUMMARY'], same: (a, b) => a.title === b.title },
  { props: ['DESCRIPTION'], same: (a, b) => a.description === b.description },
  { props: ['LOCATION'], same: (a, b) => a.location === b.location },
  {
    props: ['CONFERENCE', 'X-GOOGLE-CONFERENCE'],
    same: (a, b) => a.conferenceUrl === b.conferenceUrl,
    owns: (line, was, now) => now.conferenceUrl === null || valueOf(line) === was.conferenceUrl,
  },
  { props: ['X-CALHUB-PROVENANCE'], same: (a, b) => JSON.stringify(a.provenance) === JSON.stringify(b.provenance) },
];

/**
 * A content line's parameters rewritten with ical.js (quoting, escaping); `set` null removes one.
 * `quiet`: SCHEDULE-AGENT as this write has it (agentParams), after `set`.
 */
function withParams(line: string, set: Record<string, string | null>, quiet?: boolean): string {
  const p = ICAL.parse.property(line) as unknown as JProp;
  let changed = false;
  const all = quiet === undefined ? set : { ...set, ...agentParams(p[1], quiet) };
  for (const [k, v] of Object.entries(all)) {
    if (v === null) {
      if (k in p[1]) {
        delete p[1][k];
        changed = true;
      }
    } else if (p[1][k] !== v) {
      p[1][k] = v;
      changed = true;
    }
  }
  if (!changed) return line;
  return ICAL.stringify.property(p, ICAL.design.defaultSet, true);
}

const addressOf = (line: string) => {
  try {
    const v = (ICAL.parse.property(line) as unknown as unknown[])[3];
    return typeof v === 'string' ? lower(v.replace(/^mailto:/i, '').trim()) : '';
  } catch {
    return '';
  }
};

/** One VEVENT the server holds with the hub's version of it written in. */
function mergeVevent(old: string[], was: CanonicalEvent, now: CanonicalEvent, fresh: string[], stamp: string, opts: SerializeOptions): string[] {
  const items = itemsOf(old);
  const freshItems = itemsOf(fresh);
  const freshOf = (names: string[]) => freshItems.filter((i): i is { prop: string; line: string } => 'prop' in i && names.includes(i.prop)).map((i) => i.line);
  const quiet = opts.quiet === true;

  const replaced = new Map<string, string[]>(); // first property name of a replaced group → its new lines
  const dropped = new Map<string, (line: string) => boolean>(); // property of a replaced group → whether a line of it goes
  let changed = now.sequence !== was.sequence;
  for (const f of FIELDS) {
    if (f.same(was, now)) continue;
    changed = true;
    const owns = f.owns;
    for (const p of f.props) dropped.set(p, owns ? (line) => owns(line, was, now) : () => true);
    replaced.set(f.props.join('|'), freshOf(f.props));
  }

  // ORGANIZER: the same address keeps its line and parameters (SENT-BY, DIR…); CN follows the hub.
  const organizerSame = (was.organizer === null && now.organizer === null) || (was.organizer !== null && now.organizer !== null && lower(was.organizer.email) === lower(now.organizer.email));
  if (!organizerSame || was.organizer?.name !== now.organizer?.name) changed = true;
  const organizerLine = (line: string) => {
    if (!organizerSame) return null;
    return now.organizer ? withParams(line, { cn: now.organizer.name }, quiet) : line;
  };

  // ATTENDEE by address: a line for each attendee the hub has, the server's where it had one.
  const oldAttendees = new Map<string, string>();
  for (const i of items) if ('prop' in i && i.prop === 'ATTENDEE' && !oldAttendees.has(addressOf(i.line))) oldAttendees.set(addressOf(i.line), i.line);
  const wasBy = new Map(was.attendees.map((a) => [lower(a.email), a]));
  const freshAttendees = freshOf(['ATTENDEE']);
  const sameAttendees = was.attendees.length === now.attendees.length && now.attendees.every((a) => {
    const w = wasBy.get(lower(a.email));
    return w !== undefined && attendeeEq(w, a);
  });
  if (!sameAttendees) changed = true;
  const attendeeLines = now.attendees.map((a, n) => {
    const line = oldAttendees.get(lower(a.email));
    const w = wasBy.get(lower(a.email));
    if (line === undefined || w === undefined) return freshAttendees[n]!;
    return withParams(line, {
      ...(w.name !== a.name ? { cn: a.name } : {}),
      ...(w.optional !== a.optional ? { role: a.optional ? 'OPT-PARTICIPANT' : 'REQ-PARTICIPANT' } : {}),
      ...(w.response !== a.response ? { partstat: /PARTSTAT=([^;:]*)/.exec(freshAttendees[n]!)![1]! } : {}),
    }, quiet);
  });

  const out = ['BEGIN:VEVENT'];
  const written = new Set<string>();
  const emitGroup = (key: string) => {
    if (written.has(key)) return;
    written.add(key);
    out.push(...(replaced.get(key) ?? []));
  };
  let attendeesDone = false;
  let organizerDone = false;
  let sequenceDone = false;
  let stampDone = false;
  let modifiedDone = false;
  const pending = () => {
    // Groups with no line at the server yet, ORGANIZER/ATTENDEE/SEQUENCE not met: before the first subcomponent.
    for (const key of replaced.keys()) emitGroup(key);
    if (!organizerDone && now.organizer) out.push(...freshOf(['ORGANIZER']));
    organizerDone = true;
    if (!attendeesDone) out.push(...attendeeLines);
    attendeesDone = true;
    if (!sequenceDone && (changed || now.sequence !== 0)) out.push(`SEQUENCE:${now.sequence}`);
    sequenceDone = true;
    if (changed && !stampDone) out.push(`DTSTAMP:${stamp}`);
    stampDone = true;
    if (changed && !modifiedDone) out.push(`LAST-MODIFIED:${stamp}`);
    modifiedDone = true;
  };
  let inSubs = false;
  for (const i of items) {
    if ('sub' in i) {
      if (!inSubs) pending();
      inSubs = true;
      out.push(...i.sub);
      continue;
    }
    const { prop, line } = i;
    const drops = dropped.get(prop);
    if (drops) {
      if (drops(line)) emitGroup([...replaced.keys()].find((k) => k.split('|').includes(prop))!);
      else out.push(line);
    } else if (prop === 'ORGANIZER') {
      if (organizerDone) continue;
      organizerDone = true;
      const kept = organizerLine(line);
      if (kept !== null) out.push(kept);
      else if (now.organizer) out.push(...freshOf(['ORGANIZER']));
    } else if (prop === 'ATTENDEE') {
      if (attendeesDone) continue;
      attendeesDone = true;
      if (sameAttendees) {
        // Unchanged: every line as it was (duplicates, empty addresses too), SCHEDULE-AGENT as this write says.
        for (const j of items) if ('prop' in j && j.prop === 'ATTENDEE') out.push(addressOf(j.line) ? withParams(j.line, {}, quiet) : j.line);
      } else out.push(...attendeeLines);
    } else if (prop === 'SEQUENCE') {
      if (!sequenceDone) out.push(`SEQUENCE:${now.sequence}`);
      sequenceDone = true;
    } else if (prop === 'DTSTAMP' && changed) {
      if (!stampDone) out.push(`DTSTAMP:${stamp}`);
      stampDone = true;
    } else if (prop === 'LAST-MODIFIED' && changed) {
      if (!modifiedDone) out.push(`LAST-MODIFIED:${stamp}`);
      modifiedDone = true;
    } else out.push(line);
  }
  if (!inSubs) pending();
  out.push('END:VEVENT');
  return out;
}

const tzidsOf = (lines: string[]) => {
  const out = new Set<string>();
  for (const line of lines) {
    const head = /^[^:"]*(?:"[^"]*"[^:"]*)*/.exec(line)?.[0] ?? '';
    if (!/;TZID=/i.test(head) || nameOf(line) === 'TZID') continue;
    try {
      const tzid = (ICAL.parse.property(line) as unknown as [string, Record<string, unknown>])[1]['tzid'];
      if (typeof tzid === 'string') out.add(tzid);
    } catch {
      // Not a property ical.js reads: it references nothing.
    }
  }
  return out;
};
const tzidOfZone = (b: Block) => {
  const line = itemsOf(b.lines).find((i): i is { prop: string; line: string } => 'prop' in i && i.prop === 'TZID')?.line;
  return line ? line.slice(line.indexOf(':') + 1) : null;
};

/**
 * `events` (the hub's, SEQUENCE already numbered) written into `raw`, the object the server holds.
 * Null when `raw` cannot be read as one calendar object (the whole object is then serialised anew).
 */
export function mergeIntoStored(raw: string, events: CanonicalEvent[], now: Date, opts: SerializeOptions & Pick<ParseOptions, 'selfAddresses'> = {}): string | null {
  let components: CanonicalEvent[];
  try {
    components = readCalendarObject(raw, { selfAddresses: opts.selfAddresses }).components;
  } catch {
    return null;
  }
  const top = topLevel(contentLines(raw));
  if (!top) return null;
  if (top.filter((t) => 'name' in t && t.name === 'VEVENT').length !== components.length) return null;
  try {
    return mergeBlocks(top, components, events, now, opts);
  } catch {
    // A line ical.js reads in the whole object but not on its own: written whole, as before.
    return null;
  }
}

function mergeBlocks(top: Array<{ line: string } | Block>, components: CanonicalEvent[], events: CanonicalEvent[], now: Date, opts: SerializeOptions): string {
  const vevents = top.filter((t): t is Block => 'name' in t && t.name === 'VEVENT');
  const held = new Map<string, { block: Block; event: CanonicalEvent }>();
  vevents.forEach((block, n) => {
    const k = keyOf(components[n]!);
    if (!held.has(k)) held.set(k, { block, event: components[n]! });
  });

  const stamp = utcStamp(now);
  const parts = serializeParts(events, now, opts);
  const merged = new Map<Block, string[]>();
  const added: string[][] = [];
  for (const { event, lines } of parts.vevents) {
    const h = held.get(keyOf(event));
    if (!h || merged.has(h.block)) {
      const at = lines.findIndex((l) => l.startsWith('DTSTAMP:'));
      added.push([...lines.slice(0, at + 1), `LAST-MODIFIED:${stamp}`, ...lines.slice(at + 1)]);
    } else merged.set(h.block, mergeVevent(h.block.lines, h.event, event, lines, stamp, opts));
  }

  // The body without zones first, to know which zones it references.
  const body: Array<{ line: string } | Block> = [];
  const lastVevent = top.findLastIndex((t) => 'name' in t && t.name === 'VEVENT');
  top.forEach((t, n) => {
    if ('name' in t && t.name === 'VEVENT') {
      const m = merged.get(t);
      if (m) body.push({ name: 'VEVENT', lines: m });
    } else body.push(t);
    if (n === lastVevent) for (const a of added) body.push({ name: 'VEVENT', lines: a });
  });
  if (lastVevent < 0) for (const a of added) body.push({ name: 'VEVENT', lines: a });
  const nonZone = (list: Array<{ line: string } | Block>) => list.flatMap((t) => ('name' in t ? (t.name === 'VTIMEZONE' ? [] : t.lines) : []));
  const usedBefore = tzidsOf(nonZone(top));
  const usedNow = tzidsOf(nonZone(body));
  // Unreferenced since this write: dropped. One nobody referenced before is not calhub's to clean.
  const dropsZone = (t: { line: string } | Block) => {
    if (!('name' in t) || t.name !== 'VTIMEZONE') return false;
    const tzid = tzidOfZone(t);
    return tzid !== null && !usedNow.has(tzid) && usedBefore.has(tzid);
  };
  const kept = body.filter((t) => !dropsZone(t));
  const present = new Set(kept.flatMap((t) => ('name' in t && t.name === 'VTIMEZONE' ? [tzidOfZone(t)] : [])));
  const out: string[] = ['BEGIN:VCALENDAR'];
  let zonesPlaced = false;
  const placeZones = () => {
    if (zonesPlaced) return;
    zonesPlaced = true;
    for (const [zone, lines] of parts.vtimezones) if (usedNow.has(zone) && !present.has(zone)) out.push(...lines);
  };
  for (const t of kept) {
    if (!('name' in t)) out.push(t.line);
    else {
      if (t.name !== 'VTIMEZONE') placeZones();
      out.push(...t.lines);
    }
  }
  placeZones();
  out.push('END:VCALENDAR');
  return out.map(fold).join('\r\n') + '\r\n';
}
