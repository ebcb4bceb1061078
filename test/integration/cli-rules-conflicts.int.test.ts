/**
 * `calhub rules …`, `calhub calendars policy` and `calhub conflicts …` end to end against a real
 * Radicale, checked against what the server holds: a two-way busy-block rule with a filter makes
 * its copies and deleting it removes them; a manual policy parks a real conflict (both sides
 * edited) with base, local and remote, and resolving it either way reaches the server.
 *
 * Most commands run in this process (calhubInProcess: the same exit codes and output, a quarter of
 * the CPU); each command family also runs at least once as the process a user starts (`proc`) on
 * the embedded default store: set-up's tenants create, accounts connect and resync, a refusal, rules
 * create/list/show, calendars policy and conflicts resolve.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CanonicalEvent } from '../../shared/model/index.ts';
import { calhub, calhubInProcess, editInHub, withStore, type CliResult } from '../support/cli.ts';
import { putEvent, serverObjects, type SeedEvent, type ServerObject } from '../support/dav-content.ts';
import { makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';

const meeting: SeedEvent = { uid: 'meeting-1@other-client', summary: 'Board meeting', start: 'DTSTART:20261209T100000Z', end: 'DTEND:20261209T110000Z', extra: ['LOCATION:Room 4'] };
const offsite: SeedEvent = { uid: 'offsite-1@other-client', summary: 'Offsite', start: 'DTSTART;VALUE=DATE:20261216', end: 'DTEND;VALUE=DATE:20261218' };
const dentist: SeedEvent = { uid: 'dentist-1@other-client', summary: 'Dentist', start: 'DTSTART:20261210T140000Z', end: 'DTEND:20261210T150000Z' };
const planning: SeedEvent = { uid: 'planning-1@other-client', summary: 'Planning', start: 'DTSTART:20261214T090000Z', end: 'DTEND:20261214T100000Z' };

interface Conflict {
  id: string;
  calendarId: string;
  uid: string;
  fields: string[];
  policy: string;
  outcome: string;
  resolvedAt: string | null;
  base: CanonicalEvent[] | null;
  local: CanonicalEvent[] | null;
  remote: CanonicalEvent[] | null;
}

let server: DavServer;
let dataDir: string;
let env: Record<string, string>;
const url: Record<string, string> = {};
const cal: Record<string, string> = {};
let tenantId = '';
let accountId = '';

const run = (args: string[]): Promise<CliResult> => calhubInProcess(args, env);
/** In a process of its own, as a user runs it. */
const proc = (args: string[]): Promise<CliResult> => calhub(args, env);
async function ok(args: string[], runner = run): Promise<unknown> {
  const r = await runner([...args, '--json']);
  assert.equal(r.code, 0, `calhub ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
async function refused(args: string[], message: RegExp, runner = run): Promise<void> {
  const r = await runner(args);
  assert.equal(r.code, 2, `calhub ${args.join(' ')} should be refused: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, message);
  assert.equal(r.stdout, '');
}

const isCopy = (o: ServerObject) => o.lines.some((l) => l.startsWith('X-CALHUB-PROVENANCE'));
const titlesOf = (objs: ServerObject[]) => objs.flatMap((o) => o.events.map((e) => e.title ?? '')).sort();
const onServer = async (name: string) => serverObjects(server, url[name]!);
const storedTitle = (uid: string) =>
  withStore(dataDir, async (store) => (await store.tenant(tenantId).events.byUid(cal.Team!, uid)).map((r) => r.event.title));
const resync = (runner = run) => ok(['resync', accountId, '--wait'], runner);

before(async () => {
  server = await startRadicale();
  for (const name of ['Work', 'Home', 'Team']) url[name] = await makeCalendar(server, name);
  await putEvent(server, url.Work!, meeting);
  await putEvent(server, url.Work!, offsite);
  await putEvent(server, url.Home!, dentist);
  await putEvent(server, url.Team!, planning);
  dataDir = await mkdtemp(join(tmpdir(), 'calhub-cli-rules-'));
  // The password travels in the environment, never in argv (issue 18).
  env = { CALHUB_DATA_DIR: dataDir, CALDAV_ALLOW_PRIVATE_NETWORKS: 'true', REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'info', CALHUB_CALDAV_PASSWORD: server.password };
  tenantId = ((await ok(['tenants', 'create', 'rules'], proc)) as { id: string }).id;
  const connected = (await ok(['accounts', 'connect', 'caldav', '--tenant', tenantId, '--url', server.url, '--username', server.username], proc)) as {
    id: string;
    calendars: Array<{ id: string; name: string }>;
  };
  accountId = connected.id;
  for (const c of connected.calendars) cal[c.name] = c.id;
  await resync(proc);
});

after(async () => {
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('calhub rules', () => {
  it('refuses invalid rules with exit 2 and a message naming the problem', async () => {
    const base = ['rules', 'create', '--tenant', tenantId, '--from', cal.Work!, '--to', cal.Home!];
    await refused([...base, '--mode', 'mirror'], /--mode must be busy-block or full-copy \(got "mirror"\)/, proc);
    await refused([...base.slice(0, 2), '--from', cal.Work!, '--to', cal.Home!, '--mode', 'busy-block'], /missing --tenant/);
    await refused(['rules', 'create', '--tenant', tenantId, '--from', cal.Work!, '--to', cal.Work!, '--mode', 'busy-block'], /--from and --to must be different calendars/);
    await refused(['rules', 'create', '--tenant', tenantId, '--from', cal.Work!, '--to', 'cal_nope', '--mode', 'busy-block'], /no calendar cal_nope/);
    await refused([...base, '--mode', 'busy-block', '--working-hours', '9-17'], /--working-hours must look like 09:00-17:00/);
    await refused([...base, '--mode', 'busy-block', '--working-hours', '09:00-17:00', '--time-zone', 'Mars/Olympus'], /--time-zone must be an IANA time zone/);
    // Hours that match nothing: refused as the API refuses them.
    await refused([...base, '--mode', 'busy-block', '--working-hours', '09:00-09:00'], /start and end are both 09:00.*\[WORKING_HOURS_INVALID\]/);
    await refused([...base, '--mode', 'busy-block', '--working-hours', '17:00-09:00'], /end 09:00 is before start 17:00.*\[WORKING_HOURS_INVALID\]/);
    await refused([...base, '--mode', 'busy-block', '--every-hour'], /unknown option --every-hour \[USAGE\]/);
    assert.deepEqual(await ok(['rules', 'list', '--tenant', tenantId]), []);
  });

  it('a two-way busy-block rule with a filter: copies on the server, listed, repeatable, and gone with the rule', async () => {
    const rule = (await ok(['rules', 'create', '--tenant', tenantId, '--from', cal.Work!, '--to', cal.Home!, '--mode', 'busy-block', '--two-way', '--skip-all-day'], proc)) as {
      id: string;
      config: { mode: string; twoWay: boolean; filters: { skipAllDay: boolean; skipFree: boolean } };
      problems: unknown[];
    };
    assert.deepEqual([rule.config.mode, rule.config.twoWay, rule.config.filters.skipAllDay, rule.config.filters.skipFree, rule.problems], ['busy-block', true, true, true, []]);

    const listed = (await ok(['rules', 'list', '--tenant', tenantId])) as Array<{ id: string; sourceCalendarId: string; targetCalendarId: string; config: { twoWay: boolean } }>;
    assert.deepEqual(listed.map((r) => [r.id, r.sourceCalendarId, r.targetCalendarId, r.config.twoWay]), [[rule.id, cal.Work, cal.Home, true]]);
    // Without --tenant: every tenant's rules, each naming its tenant (an operator with several tenants).
    const other = ((await ok(['tenants', 'create', 'no-rules'])) as { id: string }).id;
    const everyTenant = (await ok(['rules', 'list'])) as Array<{ id: string; tenantId: string }>;
    assert.deepEqual(everyTenant.map((r) => [r.id, r.tenantId]), [[rule.id, tenantId]], `no rule of tenant ${other}`);
    const table = await proc(['rules', 'list']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^RULE +TENANT +FROM/);
    assert.match(table.stdout, new RegExp(`${rule.id} +${tenantId} \\(rules\\) +${cal.Work}`));

    const check = async () => {
      const home = await onServer('Home');
      const work = await onServer('Work');
      // Work -> Home: the meeting as a busy block; the all-day offsite is filtered out. Home -> Work: the dentist.
      assert.deepEqual([titlesOf(home.filter(isCopy)), titlesOf(work.filter(isCopy))], [['Busy'], ['Busy']]);
      const block = home.find(isCopy)!;
      const source = work.find((o) => o.events[0]?.uid === meeting.uid)!;
      assert.deepEqual([block.events[0]!.start, block.events[0]!.end], [source.events[0]!.start, source.events[0]!.end]);
      assert.ok(!block.lines.some((l) => l.startsWith('LOCATION')), 'a busy block carries no location');
      assert.deepEqual(titlesOf(work.filter((o) => !isCopy(o))), ['Board meeting', 'Offsite']);
    };
    await check();
    await resync();
    await check(); // a second sync neither duplicates nor loses copies

    // rules show says when the rule last ran and what it wrote.
    const shown = await proc(['rules', 'show', rule.id, '--tenant', tenantId]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^last checked: \d{4}-\d\d-\d\dT[\d:.]+Z, ok$/m);
    assert.match(shown.stdout, /^last change: \d{4}-\d\d-\d\dT[\d:.]+Z: \d+ created, \d+ updated, \d+ deleted$/m);

    // rules update changes one filter through PATCH, the others stay, and the copies follow.
    await refused(['rules', 'update', rule.id, '--tenant', tenantId, '--skip-all-day', '--keep-all-day'], /--skip-all-day and --keep-all-day contradict each other/);
    await refused(['rules', 'update', rule.id, '--tenant', tenantId], /rules update needs a filter to change/);
    const updated = (await ok(['rules', 'update', rule.id, '--tenant', tenantId, '--keep-all-day'])) as { filters: { skipAllDay: boolean; skipFree: boolean }; problems: unknown[] };
    assert.deepEqual([updated.filters.skipAllDay, updated.filters.skipFree, updated.problems], [false, true, []]);
    assert.deepEqual(titlesOf((await onServer('Home')).filter(isCopy)), ['Busy', 'Busy'], 'the all-day offsite is copied now');

    const deleted = (await ok(['rules', 'delete', rule.id, '--tenant', tenantId])) as { copiesRemoved: number; problems: unknown[] };
    assert.deepEqual([deleted.copiesRemoved, deleted.problems], [3, []]);
    assert.deepEqual([(await onServer('Home')).filter(isCopy).length, (await onServer('Work')).filter(isCopy).length], [0, 0]);
    assert.deepEqual([titlesOf(await onServer('Work')), titlesOf(await onServer('Home'))], [['Board meeting', 'Offsite'], ['Dentist']]);
    assert.deepEqual(await ok(['rules', 'list', '--tenant', tenantId]), []);
    await refused(['rules', 'delete', rule.id, '--tenant', tenantId], new RegExp(`no rule ${rule.id}`));
  });
});

describe('calhub calendars policy and conflicts', () => {
  it('calendars policy shows and sets the policies, refusing unknown ones', async () => {
    const policy = ['calendars', 'policy', cal.Team!, '--tenant', tenantId];
    assert.deepEqual(await ok(policy), { id: cal.Team, conflictPolicy: 'latest-wins', deletePolicy: 'modify-wins' }); // the defaults
    await refused([...policy, '--conflict', 'sometimes'], /--conflict must be one of hub-wins, provider-wins, latest-wins, manual \(got "sometimes"\)/);
    await refused([...policy, '--delete', 'never'], /--delete must be one of modify-wins, delete-wins/);
    await refused(['calendars', 'policy', 'cal_nope', '--tenant', tenantId, '--conflict', 'manual'], /no calendar cal_nope/);
    assert.deepEqual(await ok([...policy, '--conflict', 'manual', '--delete', 'delete-wins']), { id: cal.Team, conflictPolicy: 'manual', deletePolicy: 'delete-wins' });
    assert.deepEqual(await ok([...policy, '--delete', 'modify-wins']), { id: cal.Team, conflictPolicy: 'manual', deletePolicy: 'modify-wins' });
    const human = await proc(policy);
    assert.match(human.stdout, /conflicts manual, delete vs\. edit modify-wins/);
  });

  /** Edits the planning event on both sides, syncs, and returns the conflict that was parked. */
  async function conflictOver(hubTitle: string, serverTitle: string, serverLocation?: string): Promise<Conflict> {
    await editInHub(dataDir, tenantId, cal.Team!, planning.uid, (e) => ({ ...e, title: hubTitle }));
    await putEvent(server, url.Team!, { ...planning, summary: serverTitle, ...(serverLocation ? { extra: [...(planning.extra ?? []), `LOCATION:${serverLocation}`] } : {}) });
    await resync(); // a parked conflict is not a failure
    const open = (await ok(['conflicts', 'list', '--tenant', tenantId, '--open'])) as Conflict[];
    assert.equal(open.length, 1, JSON.stringify(open));
    return open[0]!;
  }

  it('a manual policy parks a real conflict with base, local and remote; --take local writes the hub side of the conflicting field to the server, keeping its other changes', async () => {
    const c = await conflictOver('Planning (hub)', 'Planning (server)', 'Room B');
    assert.deepEqual([c.calendarId, c.uid, c.policy, c.outcome, c.resolvedAt], [cal.Team, planning.uid, 'manual', 'parked', null]);
    assert.ok(c.fields.some((f) => f.endsWith(':title')), c.fields.join());
    assert.deepEqual([c.base?.[0]?.title, c.local?.[0]?.title, c.remote?.[0]?.title], ['Planning', 'Planning (hub)', 'Planning (server)']);
    assert.deepEqual(titlesOf(await onServer('Team')), ['Planning (server)'], 'while parked, the server side stands');
    assert.deepEqual(await storedTitle(planning.uid), ['Planning (server)']);

    const resolved = (await ok(['conflicts', 'resolve', c.id, '--tenant', tenantId, '--take', 'local'], proc)) as { outcome: string; problems: unknown[] };
    assert.deepEqual([resolved.outcome, resolved.problems], ['local', []]);
    assert.deepEqual(titlesOf(await onServer('Team')), ['Planning (hub)']);
    assert.deepEqual(await storedTitle(planning.uid), ['Planning (hub)']);
    // Only the title was in conflict: the server's new location stays.
    assert.deepEqual((await onServer('Team')).flatMap((o) => o.events.map((e) => e.location)), ['Room B']);
    assert.deepEqual(await ok(['conflicts', 'list', '--tenant', tenantId, '--open']), []);
    const all = (await ok(['conflicts', 'list', '--tenant', tenantId])) as Conflict[];
    assert.deepEqual(all.map((x) => [x.id, x.outcome, x.resolvedAt !== null]), [[c.id, 'local', true]]);
    await refused(['conflicts', 'resolve', c.id, '--tenant', tenantId, '--take', 'local'], /already resolved/);
  });

  it('--take remote keeps the server side, and later syncs leave it alone', async () => {
    const c = await conflictOver('Planning v2 (hub)', 'Planning v2 (server)');
    await refused(['conflicts', 'resolve', c.id, '--tenant', tenantId, '--take', 'both'], /--take must be local or remote/);
    // Another tenant's id is refused as not found: the conflict is not in it.
    const other = ((await ok(['tenants', 'create', 'not-the-conflicts'])) as { id: string }).id;
    await refused(['conflicts', 'resolve', c.id, '--tenant', other, '--take', 'remote'], new RegExp(`no conflict ${c.id} in tenant ${other}`));
    // The spelling older READMEs gave, without --tenant: conflict ids are unique, the tenant is the conflict's.
    const resolved = (await ok(['conflicts', 'resolve', c.id, '--take', 'remote'])) as { outcome: string };
    assert.equal(resolved.outcome, 'remote');
    await refused(['conflicts', 'resolve', 'cfl_nope', '--take', 'remote'], /no conflict cfl_nope/);
    await resync();
    assert.deepEqual(titlesOf(await onServer('Team')), ['Planning v2 (server)']);
    assert.deepEqual(await storedTitle(planning.uid), ['Planning v2 (server)']);
    assert.deepEqual(await ok(['conflicts', 'list', '--tenant', tenantId, '--open']), []);
  });

  it('--take local with --if-free-calendars refuses a slot taken meanwhile (SLOT_TAKEN, still parked); --if-free --send-updates none writes it without telling the guests', async () => {
    // A meeting the owner organises, moved on both sides: to 14:00 in the hub, to 11:00 at the server.
    const review: SeedEvent = { uid: 'review-1@other-client', summary: 'Review', start: 'DTSTART:20261215T090000Z', end: 'DTEND:20261215T100000Z', extra: ['ORGANIZER:mailto:owner@example.com', 'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@outside.test'] };
    await ok(['calendars', 'policy', cal.Team!, '--tenant', tenantId, '--conflict', 'manual']);
    await putEvent(server, url.Team!, review);
    // Home is busy at 14:00 that day.
    await putEvent(server, url.Home!, { uid: 'lunch-1@other-client', summary: 'Lunch', start: 'DTSTART:20261215T140000Z', end: 'DTEND:20261215T150000Z' });
    await resync();
    await editInHub(dataDir, tenantId, cal.Team!, review.uid, (e) => ({ ...e, start: { dateTime: '2026-12-15T14:00:00.000Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-15T15:00:00.000Z', timeZone: 'UTC' } }));
    await putEvent(server, url.Team!, { ...review, start: 'DTSTART:20261215T110000Z', end: 'DTEND:20261215T120000Z' });
    await resync();
    const open = (await ok(['conflicts', 'list', '--tenant', tenantId, '--open'])) as Conflict[];
    assert.equal(open.length, 1, JSON.stringify(open));
    const c = open[0]!;
    const startsAt = async () => (await onServer('Team')).filter((o) => o.events[0]?.uid === review.uid).flatMap((o) => o.events.map((e) => ('dateTime' in e.start ? new Date(e.start.dateTime).toISOString() : JSON.stringify(e.start))));
    const resolve = ['conflicts', 'resolve', c.id, '--tenant', tenantId, '--take', 'local'];

    await refused([...resolve, '--send-updates', 'loud'], /--send-updates must be one of none, externalOnly, all \(got "loud"\)/);
    await refused([...resolve, '--if-free-calendars', ','], /--if-free-calendars names no calendar id/);
    await refused([...resolve, '--if-free-calendars', cal.Home!], /\[SLOT_TAKEN\]/);
    assert.deepEqual(((await ok(['conflicts', 'list', '--tenant', tenantId, '--open'])) as Conflict[]).map((x) => x.id), [c.id], 'still parked');
    assert.deepEqual(await startsAt(), ['2026-12-15T11:00:00.000Z'], 'nothing written');

    // The Team calendar itself is free at 14:00: taken, written quietly (SCHEDULE-AGENT=CLIENT).
    const resolved = (await ok([...resolve, '--if-free', '--send-updates', 'none'])) as { outcome: string; problems: unknown[] };
    assert.deepEqual([resolved.outcome, resolved.problems], ['local', []]);
    assert.deepEqual(await startsAt(), ['2026-12-15T14:00:00.000Z']);
    const written = (await onServer('Team')).find((o) => o.events[0]?.uid === review.uid)!;
    assert.ok(written.lines.some((l) => /^ATTENDEE[^:]*;SCHEDULE-AGENT=CLIENT[;:]/.test(l)), written.lines.join('\n'));
  });
});
