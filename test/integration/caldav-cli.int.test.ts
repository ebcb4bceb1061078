/**
 * The CalDAV part of the `calhub` command against a real Radicale on loopback: connect an account,
 * list it, resync in-process and through the queue of a running hub, and pick up changes another
 * client made on the server. The password must never show up in output or in the data dir.
 */
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Store } from '../../shared/store/index.ts';
import { calhub, ROOT, startHub, stopHub, type CliResult } from '../support/cli.ts';
import { deleteResource, putEvent, type SeedEvent } from '../support/dav-content.ts';
import { authHeader, makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';

const standup: SeedEvent = {
  uid: 'standup-1@other-client',
  summary: 'Standup',
  start: 'DTSTART;TZID=Europe/Berlin:20261207T093000',
  end: 'DTEND;TZID=Europe/Berlin:20261207T094500',
  extra: ['RRULE:FREQ=WEEKLY;COUNT=6'],
  overrides: [['RECURRENCE-ID;TZID=Europe/Berlin:20261214T093000', 'DTSTART;TZID=Europe/Berlin:20261214T110000', 'DTEND;TZID=Europe/Berlin:20261214T111500', 'SUMMARY:Standup (moved)']],
};
const offsite: SeedEvent = { uid: 'offsite-1@other-client', summary: 'Offsite', start: 'DTSTART;VALUE=DATE:20261216', end: 'DTEND;VALUE=DATE:20261218' };
const dentist: SeedEvent = { uid: 'dentist-1@other-client', summary: 'Dentist', start: 'DTSTART:20261210T140000Z', end: 'DTEND:20261210T150000Z' };
const review: SeedEvent = { uid: 'review-1@other-client', summary: 'Review', start: 'DTSTART:20261211T100000Z', end: 'DTEND:20261211T110000Z' };
const late: SeedEvent = { uid: 'late-1@other-client', summary: 'Added while the hub runs', start: 'DTSTART:20261212T100000Z', end: 'DTEND:20261212T110000Z' };

interface Report {
  accountId: string;
  mode: 'queue' | 'in-process';
  waited: boolean;
  calendars: Array<{ id: string; name: string; stage: string; lastError: string | null; flagged: string | null; outcome: string; events: number; quarantined: number }>;
  calendarList: { added: Array<{ name: string }> } | null;
}

let server: DavServer;
let dataDir: string;
let env: Record<string, string>;
let workUrl: string;
let homeUrl: string;
let dentistUrl: string;
const outputs: CliResult[] = [];

async function run(args: string[]): Promise<CliResult> {
  const r = await calhub(args, env);
  outputs.push(r);
  return r;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Titles per calendar name, read from the store after the CLI has exited. */
async function storedTitles(tenantId: string, calendarIds: Record<string, string>): Promise<Record<string, string[]>> {
  const store = await Store.open({ dataDir });
  try {
    const out: Record<string, string[]> = {};
    for (const [name, id] of Object.entries(calendarIds)) {
      out[name] = (await store.tenant(tenantId).events.list(id)).map((r) => r.event.title ?? '').sort();
    }
    return out;
  } finally {
    await store.close();
  }
}

before(async () => {
  server = await startRadicale();
  workUrl = await makeCalendar(server, 'Work');
  homeUrl = await makeCalendar(server, 'Home');
  await putEvent(server, workUrl, standup);
  await putEvent(server, workUrl, offsite);
  dentistUrl = await putEvent(server, homeUrl, dentist);
  dataDir = await mkdtemp(join(tmpdir(), 'calhub-caldav-cli-'));
  env = { CALHUB_DATA_DIR: dataDir, CALDAV_ALLOW_PRIVATE_NETWORKS: 'true', REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'info' };
});

after(async () => {
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('calhub accounts/resync with a CalDAV server (Radicale)', () => {
  let tenantId = '';
  let accountId = '';
  const cal: Record<string, string> = {};

  it('connects the account, lists it, and keeps the password out of output and data dir', async () => {
    const t = await run(['tenants', 'create', 'caldav-cli', '--json']);
    assert.equal(t.code, 0, t.stderr);
    tenantId = (JSON.parse(t.stdout) as { id: string }).id;

    // Issue 18: never on the command line (readable in /proc/<pid>/cmdline by any local user).
    const argv = await run(['accounts', 'connect', 'caldav', '--tenant', tenantId, '--url', server.url, '--username', server.username, '--password', server.password, '--json']);
    assert.equal(argv.code, 2, argv.stderr);
    assert.match(argv.stderr, /--password is refused.*--password-stdin, --password-file/);
    const passwordFile = join(dataDir, '..', `caldav-password-${process.pid}`);
    await writeFile(passwordFile, `${server.password}\n`, { mode: 0o600 });
    const c = await run(['accounts', 'connect', 'caldav', '--tenant', tenantId, '--url', server.url, '--username', server.username, '--password-file', passwordFile, '--json']);
    await rm(passwordFile, { force: true });
    assert.equal(c.code, 0, c.stderr);
    const connected = JSON.parse(c.stdout) as { id: string; calendars: Array<{ id: string; name: string; providerCalendarId: string }> };
    assert.match(connected.id, /^acc_/);
    assert.deepEqual(connected.calendars.map((x) => x.name).sort(), ['Home', 'Work']);
    for (const x of connected.calendars) cal[x.name] = x.id;
    accountId = connected.id;

    const l = await run(['accounts', 'list', '--json']);
    assert.equal(l.code, 0, l.stderr);
    const rows = JSON.parse(l.stdout) as Array<{ id: string; tenantId: string; provider: string; status: string; calendars: number }>;
    assert.deepEqual(rows.map((r) => ({ id: r.id, tenantId: r.tenantId, provider: r.provider, status: r.status, calendars: r.calendars })), [
      { id: accountId, tenantId, provider: 'caldav', status: 'active', calendars: 2 },
    ]);

    const wrong = await calhub(['accounts', 'connect', 'caldav', '--tenant', tenantId, '--url', server.url, '--username', server.username, '--password-stdin', '--json'], env, 120_000, 'not-the-password\n');
    outputs.push(wrong);
    assert.notEqual(wrong.code, 0, 'a wrong password is refused');
    assert.match(wrong.stderr, /"code":"CREDENTIALS_REJECTED","message":"the CalDAV server rejected the username or password \(HTTP 401\)"/);

    // --access as on the API: checked, kept, shown; back to readwrite for what follows.
    const login = ['accounts', 'connect', 'caldav', '--tenant', tenantId, '--url', server.url, '--username', server.username, '--password-stdin', '--json'];
    // --email: checked; the address written as ORGANIZER of meetings (caldav-organizer.int.test.ts).
    const badEmail = await calhub([...login, '--email', 'not an address'], env, 120_000, `${server.password}\n`);
    assert.notEqual(badEmail.code, 0);
    assert.match(badEmail.stderr, /the email must be an email address/);
    const withEmail = await calhub([...login, '--email', 'alice@example.com'], env, 120_000, `${server.password}\n`);
    outputs.push(withEmail);
    assert.equal(withEmail.code, 0, withEmail.stderr);
    assert.equal((JSON.parse(withEmail.stdout) as { id: string }).id, accountId, 'the same account');
    const bad = await calhub([...login, '--access', 'everything'], env, 120_000, `${server.password}\n`);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--access: expected one of freebusy, read, readwrite/);
    for (const access of ['read', 'readwrite']) {
      const c2 = await calhub([...login, '--access', access], env, 120_000, `${server.password}\n`);
      outputs.push(c2);
      assert.equal(c2.code, 0, c2.stderr);
      const shown = await run(['accounts', 'show', accountId, '--json']);
      assert.equal((JSON.parse(shown.stdout) as { access: string }).access, access);
      const listed = await run(['accounts', 'list', '--json']);
      assert.deepEqual((JSON.parse(listed.stdout) as Array<{ id: string; access: string }>).map((r) => [r.id, r.access]), [[accountId, access]]);
      assert.match((await run(['accounts', 'list'])).stdout, new RegExp(`^ACCOUNT +TENANT +PROVIDER +STATUS +ACCESS .*\\n${accountId} +${tenantId} \\(caldav-cli\\) +caldav +active +${access} `, 's'));
    }
    assert.match((await run(['accounts', 'show', accountId])).stdout, /: active, access readwrite\n/);

    const resynced = await run(['resync', accountId, '--wait', '--json']); // writes the ledger, cursors, events
    assert.equal(resynced.code, 0, resynced.stderr);
    for (const o of outputs) assert.ok(!`${o.stdout}${o.stderr}`.includes(server.password), 'the password reached the output');
    const needle = Buffer.from(server.password);
    const leaks: string[] = [];
    for (const f of await filesUnder(dataDir)) if ((await readFile(f)).includes(needle)) leaks.push(f);
    assert.deepEqual(leaks, [], 'the password is stored in plain text');
  });

  it('resync --wait syncs both calendars in this process and reports their events', async () => {
    const r = await run(['resync', accountId, '--wait', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.mode, 'in-process');
    assert.equal(report.waited, true);
    const byName = Object.fromEntries(report.calendars.map((c) => [c.name, c]));
    // Work: the series master, its override and the all-day event; Home: one event.
    assert.deepEqual({ work: byName.Work?.events, home: byName.Home?.events }, { work: 3, home: 1 });
    for (const c of report.calendars) assert.deepEqual([c.stage, c.flagged, c.quarantined], ['idle', null, 0], JSON.stringify(c));
    assert.deepEqual(await storedTitles(tenantId, cal), { Work: ['Offsite', 'Standup', 'Standup (moved)'], Home: ['Dentist'] });
  });

  it('picks up a PUT and a DELETE made by another client', async () => {
    await putEvent(server, homeUrl, review);
    await deleteResource(server, dentistUrl);
    const r = await run(['resync', accountId, '--wait', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.calendars.find((c) => c.name === 'Home')?.events, 1);
    assert.deepEqual(await storedTitles(tenantId, cal), { Work: ['Offsite', 'Standup', 'Standup (moved)'], Home: ['Review'] });
  });

  it('an unknown account id fails with a message naming it', async () => {
    const r = await run(['resync', 'acc_doesnotexist', '--wait', '--json']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /no account acc_doesnotexist/);
    assert.equal(r.stdout, '');
  });

  it('calendars create makes a calendar on the server with its name and zone, which then syncs with the others', async () => {
    const r = await run(['calendars', 'create', accountId, 'Bookings', '--tenant', tenantId, '--time-zone', 'Europe/Berlin', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const made = JSON.parse(r.stdout) as { id: string; name: string; timeZone: string; providerCalendarId: string };
    assert.deepEqual([made.name, made.timeZone], ['Bookings', 'Europe/Berlin']);
    assert.ok(made.providerCalendarId.startsWith(server.homeUrl), made.providerCalendarId);
    const listed = await run(['resync', accountId, '--wait', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const report = JSON.parse(listed.stdout) as Report;
    assert.deepEqual(report.calendars.map((c) => c.name).sort(), ['Bookings', 'Home', 'Work']);
    assert.equal(report.calendars.find((c) => c.name === 'Bookings')?.stage, 'idle');
    const bad = await run(['calendars', 'create', accountId, 'Nope', '--tenant', tenantId, '--time-zone', 'Mars/Olympus']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown time zone "Mars\/Olympus"/);

    const unsure = await run(['calendars', 'delete', made.id, '--tenant', tenantId]);
    assert.equal(unsure.code, 2);
    assert.match(unsure.stderr, /deletes calendar .* at the provider.*--yes/);
    const gone = await run(['calendars', 'delete', made.id, '--tenant', tenantId, '--yes']);
    assert.equal(gone.code, 0, gone.stderr);
    assert.match(gone.stdout, /deleted at the provider and in calhub/);
    assert.equal((await fetch(made.providerCalendarId, { method: 'PROPFIND', headers: { depth: '0', ...authHeader(server) } })).status, 404);
    const left = JSON.parse((await run(['resync', accountId, '--wait', '--json'])).stdout) as Report;
    assert.deepEqual(left.calendars.map((c) => c.name).sort(), ['Home', 'Work']);
  });

  it("calendars sync off drops calhub's copy of a calendar (the server keeps it) and resync leaves it out; on brings it back", async () => {
    const before = await storedTitles(tenantId, { Home: cal.Home! });
    const off = await run(['calendars', 'sync', cal.Home!, 'off', '--tenant', tenantId]);
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stdout, /no longer synced: calhub removed its copy \(the calendar and its events stay at the provider\)/);
    assert.deepEqual(await storedTitles(tenantId, { Home: cal.Home! }), { Home: [] });
    const shown = await run(['accounts', 'show', accountId, '--tenant', tenantId]);
    assert.match(shown.stdout, new RegExp(`${cal.Home}\\s+Home\\s+\\S+\\s+ignored\\s+sync off`));
    const skipped = JSON.parse((await run(['resync', accountId, '--wait', '--json'])).stdout) as Report;
    assert.ok(!skipped.calendars.some((c) => c.name === 'Home'), JSON.stringify(skipped));
    assert.equal((await run(['calendars', 'sync', cal.Home!, 'maybe', '--tenant', tenantId])).code, 2);

    const on = await run(['calendars', 'sync', cal.Home!, 'on', '--tenant', tenantId, '--json']);
    assert.equal(on.code, 0, on.stderr);
    assert.equal((JSON.parse(on.stdout) as { syncEnabled: boolean }).syncEnabled, true);
    const back = await run(['resync', accountId, '--wait', '--json']);
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual(await storedTitles(tenantId, { Home: cal.Home! }), before);
  });

  // One `calhub start` for the three cases below: each start and stop cost seconds (it migrates, starts
  // its Redis, workers and server). What needs the hub stopped (its exit code, the socket removed,
  // what is stored, the same commands in their own process) is checked in the last case, once stopped.
  describe('while `calhub start` runs', () => {
    let hub: Awaited<ReturnType<typeof startHub>> | undefined;
    let exitCode: number | null = null;
    const socket = () => join(dataDir, 'run', 'calhub-ops.sock');
    let socketMode: number | null = null;
    // The second case's results and the third's, compared after the stop with the same commands run on their own.
    let viaHub2: CliResult[] = [];
    let viaHub3: CliResult[] = [];
    let badUsage: CliResult;
    const storeCommands = () => [
      ['tenants', 'list', '--json'],
      ['accounts', 'list', '--tenant', tenantId],
      ['accounts', 'show', 'acc_doesnotexist'],
      ['accounts', 'show', 'acc_doesnotexist', '--json'],
      ['rules', 'list', '--tenant', tenantId, '--json'],
      ['webhooks', 'list', '--tenant', tenantId],
    ];
    const connect = (e: Record<string, string>, password: string) =>
      calhub(['accounts', 'connect', 'caldav', '--tenant', tenantId, '--url', server.url, '--username', server.username, '--password-stdin', '--json'], e, 120_000, `${password}\n`);
    const errorDoc = (r: CliResult) => JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { error: { code: string; message: string; exitCode: number } };
    const running = () => {
      assert.ok(hub && exitCode === null && hub.child.exitCode === null, 'calhub start is not running');
      return hub;
    };

    before(async () => {
      hub = await startHub(env);
      // Served before the hub says it listens: a script that waits for that line then runs a command finds it.
      socketMode = existsSync(socket()) ? statSync(socket()).mode & 0o777 : null;
    });
    after(async () => {
      if (hub && hub.child.exitCode === null) await stopHub(hub.child, dataDir);
    });

    it('resync goes through the queue and --wait returns once synced', async () => {
      const hub = running();
      await putEvent(server, homeUrl, late);
      // A calendar made at the server meanwhile: the resync reads the list, and waits for its first sync too.
      const later = await makeCalendar(server, 'Later');
      await putEvent(server, later, { ...late, uid: 'in-later', summary: 'In the later calendar' });
      const r = await run(['resync', accountId, '--wait', '--json']);
      assert.equal(r.code, 0, `${r.stderr}\n${hub.log()}`);
      const report = JSON.parse(r.stdout) as Report;
      assert.equal(report.mode, 'queue');
      assert.equal(report.waited, true);
      // The report is read after the wait: the new event is already stored.
      assert.equal(report.calendars.find((c) => c.name === 'Home')?.events, 2, JSON.stringify(report));
      assert.deepEqual(report.calendarList?.added.map((c) => c.name), ['Later']);
      assert.deepEqual(report.calendars.filter((c) => c.name === 'Later').map((c) => [c.outcome, c.events]), [['ok', 1]], JSON.stringify(report));
      assert.match(r.stderr, /calendar "Later" \(cal_[^)]+\) is new at the provider; syncing it/);
      assert.ok(!hub.log().includes(server.password), 'the password reached the hub log');
    });
    it('connect and resync hand it their work and load none of the hub; the same answers as in their own process (issue 15)', async () => {
      running();
      const loadedFile = join(dataDir, '..', `caldav-cli-loaded-${process.pid}.txt`);
      // From the sources, so that the modules a command loads are named by their paths.
      const traced = { ...env, CALHUB_FROM_SOURCES: '1', CALHUB_TEST_LOADED_MODULES: loadedFile, NODE_OPTIONS: `--import ${join(ROOT, 'test', 'support', 'loaded-modules.mjs')}` };
      const viaHub: CliResult[] = (viaHub2 = []);
      assert.ok(socketMode !== null, 'no operations socket when the hub says it listens');
      assert.equal(socketMode, 0o600, 'the operations socket is not the owner\'s alone');
      for (const r of [await connect(traced, server.password), await calhub(['resync', accountId, '--wait', '--json'], traced), await connect(traced, 'not-the-password'), await calhub(['resync', 'acc_doesnotexist', '--wait', '--json'], traced)]) viaHub.push(r);
      // Run with another CalDAV network policy than the hub's, the connect is refused naming the
      // setting: made with the command's policy, the account would be one the hub's syncs refuse.
      const other = await connect({ ...env, CALDAV_ALLOW_PRIVATE_NETWORKS: 'false' }, server.password);
      assert.equal(other.code, 2, other.stderr);
      assert.equal(errorDoc(other).error.code, 'CONFIG_INVALID');
      assert.match(errorDoc(other).error.message, /CALDAV_ALLOW_PRIVATE_NETWORKS: .*running calhub's value/);
      // A resync, dry or not, depends only on the hub's settings: the hub does it with its own policy
      // (it declined, and the command ran with its own, or was refused). Another store's is refused:
      // run here it would reach the servers by this process's settings while the hub syncs the same calendars.
      for (const args of [['resync', accountId, '--wait', '--json'], ['resync', accountId, '--dry-run', '--json']]) {
        const byHub = await calhub(args, { ...env, CALDAV_ALLOW_PRIVATE_NETWORKS: 'false' });
        assert.equal(byHub.code, 0, byHub.stderr);
        assert.equal((JSON.parse(byHub.stdout) as { ok: boolean }).ok, true, byHub.stdout);
        const refused = await calhub(args, { ...env, REDIS_PREFIX: '{elsewhere}' });
        assert.equal(refused.code, 2, refused.stderr);
        assert.equal(errorDoc(refused).error.code, 'CONFIG_INVALID');
        assert.match(errorDoc(refused).error.message, /REDIS_PREFIX: .*running calhub's value/);
      }
      // A listing is the same whatever the CalDAV policy: no warning about it.
      const listed = await calhub(['accounts', 'list', '--tenant', tenantId, '--json'], { ...env, CALDAV_ALLOW_PRIVATE_NETWORKS: 'false' });
      assert.equal(listed.code, 0, listed.stderr);
      assert.doesNotMatch(listed.stderr, /other settings/);

      const [connected, resynced] = viaHub as [CliResult, CliResult, CliResult, CliResult];
      assert.equal(connected.code, 0, connected.stderr);
      assert.equal((JSON.parse(connected.stdout) as { id: string }).id, accountId, 'connecting again re-links the same account');
      assert.equal(resynced.code, 0, resynced.stderr);
      const report = JSON.parse(resynced.stdout) as Report;
      assert.deepEqual([report.mode, report.waited], ['queue', true]);
      const urls = (await readFile(loadedFile, 'utf8')).split('\n');
      const modules = urls.filter((u) => u.startsWith('file:') && !u.includes('/node_modules/'));
      assert.deepEqual([...new Set(urls.flatMap((u) => /\/node_modules\/(ioredis|bullmq|pg|@electric-sql\/pglite)\//.exec(u)?.[1] ?? []))], [], 'the store or queue client was loaded');
      await rm(loadedFile, { force: true });
      assert.ok(modules.some((u) => u.endsWith('/cli/operations-client.ts')), 'the module trace saw nothing');
      assert.deepEqual(modules.filter((u) => /\/(hub|sync-engine|connectors|shared\/store)\//.test(u)), [], 'a command that handed its work to the hub loaded the hub');
    });
    it('the commands that only use the store and the queue are run by it: the same output and exit codes, none of the hub loaded', async () => {
      running();
      const loadedFile = join(dataDir, '..', `caldav-cli-loaded-store-${process.pid}.txt`);
      const traced = { ...env, CALHUB_FROM_SOURCES: '1', CALHUB_TEST_LOADED_MODULES: loadedFile, NODE_OPTIONS: `--import ${join(ROOT, 'test', 'support', 'loaded-modules.mjs')}` };
      const viaHub: CliResult[] = (viaHub3 = []);
      for (const c of storeCommands()) viaHub.push(await calhub(c, traced));
      // Bad usage: the hub declines it, and the command reports it with its help as on its own.
      badUsage = await calhub(['accounts', 'list', '--bogus'], env);
      // The hub's queue answers: in a process of its own, without REDIS_URL, there is none to reach.
      const queue = await calhub(['queue', 'list', '--json'], traced);
      assert.equal(queue.code, 0, queue.stderr);
      assert.ok(Array.isArray(JSON.parse(queue.stdout)));
      const urls = (await readFile(loadedFile, 'utf8')).split('\n');
      await rm(loadedFile, { force: true });
      const modules = urls.filter((u) => u.startsWith('file:') && !u.includes('/node_modules/'));
      assert.ok(modules.some((u) => u.endsWith('/cli/operations-client.ts')), 'the module trace saw nothing');
      assert.deepEqual([...new Set(urls.flatMap((u) => /\/node_modules\/(ioredis|bullmq|pg|@electric-sql\/pglite)\//.exec(u)?.[1] ?? []))], [], 'the store or queue client was loaded');
      assert.deepEqual(modules.filter((u) => /\/(hub|sync-engine|connectors|shared\/store)\//.test(u)), [], 'a command the hub ran loaded the hub');
      assert.equal(viaHub[2]!.code, 2);
      assert.match(viaHub[2]!.stderr, /no account acc_doesnotexist \[NOT_FOUND\]/);
      assert.match(badUsage.stderr, /Usage: calhub accounts list/);
    });
    it('stopped, it exits cleanly on SIGTERM, its socket gone, what it synced stored; the commands it ran answer the same in their own process', async () => {
      const hub = running();
      exitCode = await stopHub(hub.child, dataDir);
      assert.equal(exitCode, 0, `calhub start did not exit cleanly on SIGTERM (null = still running after 30 s):\n${hub.log().slice(-3000)}`);
      assert.equal(existsSync(socket()), false, 'the operations socket outlived the hub');
      // Through the queue (the first case):
      assert.deepEqual((await storedTitles(tenantId, cal)).Home, ['Added while the hub runs', 'Review']);

      // The store-and-queue commands (the third case), first: nothing has run since but the hub's stop.
      const commands = storeCommands();
      assert.equal(viaHub3.length, commands.length, 'the third case did not run its commands by the hub');
      for (const [i, c] of [...commands, ['accounts', 'list', '--bogus']].entries()) {
        const own = await calhub(c, env);
        assert.deepEqual(viaHub3[i] ?? badUsage, own, `calhub ${c.join(' ')}: by the hub, then in its own process`);
      }

      // Connect and resync (the second case): the same commands in their own process, the same outcomes.
      assert.equal(viaHub2.length, 4, 'the second case did not run its commands by the hub');
      const [, resynced, wrong, unknown] = viaHub2 as [CliResult, CliResult, CliResult, CliResult];
      const report = JSON.parse(resynced.stdout) as Report;
      const here = await calhub(['resync', accountId, '--wait', '--json'], env);
      assert.equal(here.code, 0, here.stderr);
      const local = JSON.parse(here.stdout) as Report;
      assert.equal(local.mode, 'in-process');
      const counts = (r: Report) => Object.fromEntries(r.calendars.map((c) => [c.name, [c.events, c.stage, c.quarantined]]));
      assert.deepEqual(counts(report), counts(local));
      for (const [remote, own] of [[wrong, await connect(env, 'not-the-password')], [unknown, await calhub(['resync', 'acc_doesnotexist', '--wait', '--json'], env)]] as const) {
        assert.deepEqual([remote.code, remote.stdout, errorDoc(remote)], [own.code, own.stdout, errorDoc(own)]);
      }
      assert.equal(errorDoc(unknown).error.code, 'NOT_FOUND');
      for (const o of [...viaHub2, here]) assert.ok(!`${o.stdout}${o.stderr}`.includes(server.password), 'the password reached the output');
    });
  });
});
