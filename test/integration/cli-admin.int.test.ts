/**
 * The operator commands no other test drives, each as a table and as `--json`, against a real hub
 * (the embedded store of a data dir, Radicale for CalDAV):
 * `tenants list`, `migrate`, `runs list|revert`, `calendars unflag`, `calendars quarantine` and `calendars writes`. Issue 14: every command's
 * table and --json.
 *
 * Most commands run in this process (calhubInProcess: the same exit codes and output, a quarter of
 * the CPU); each command family also runs at least once as the process a user starts (`proc`) on
 * the embedded default store: tenants create, migrate, accounts connect, resync, and one table each
 * of runs list, calendars unflag, calendars quarantine and calendars writes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { calhub, calhubInProcess, editInHub, withStore, type CliResult } from '../support/cli.ts';
import { putEvent, serverObjects, type SeedEvent } from '../support/dav-content.ts';
import { makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';

const SLOW = 180_000; // one process per command on a shared 2-core machine
const dataDir = mkdtempSync(join(tmpdir(), 'calhub-cli-admin-'));
const env = { CALHUB_DATA_DIR: dataDir, LOG_LEVEL: 'silent', REDIS_URL: '', DATABASE_URL: '', CALDAV_ALLOW_PRIVATE_NETWORKS: 'true' };
const ev = (uid: string, summary: string, day: string): SeedEvent => ({ uid, summary, start: `DTSTART:202612${day}T100000Z`, end: `DTEND:202612${day}T110000Z` });

let dav: DavServer;
let workUrl = '';
let tenantId = '';
let accountId = '';
let calendarId = '';

const run = (args: string[]): Promise<CliResult> => calhubInProcess(args, env);
/** In a process of its own, as a user runs it. */
const proc = (args: string[]): Promise<CliResult> => calhub(args, env, SLOW);
async function json<T>(args: string[], runner = run): Promise<T> {
  const r = await runner([...args, '--json']);
  assert.equal(r.code, 0, `calhub ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
async function human(args: string[], runner = run): Promise<string> {
  const r = await runner(args);
  assert.equal(r.code, 0, `calhub ${args.join(' ')}: ${r.stderr}`);
  assert.doesNotMatch(r.stdout, /^[[{]/, 'a table or sentence, not JSON');
  return r.stdout;
}
const titles = async () => (await serverObjects(dav, workUrl)).map((o) => o.events[0]?.title).sort();

before(async () => {
  dav = await startRadicale();
  workUrl = await makeCalendar(dav, 'Work');
  for (const [uid, title, day] of [['a', 'Alpha', '07'], ['b', 'Bravo', '08'], ['c', 'Charlie', '09']] as const) await putEvent(dav, workUrl, ev(`${uid}@admin`, title, day));
  tenantId = (await json<{ id: string }>(['tenants', 'create', 'admin'], proc)).id;
});

after(async () => {
  await dav?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('calhub tenants list and migrate', () => {
  it('lists tenants and the schema state, as tables and as JSON', async () => {
    const list = await json<Array<{ id: string; name: string; createdAt: string }>>(['tenants', 'list']);
    assert.deepEqual(list.map((t) => [t.id, t.name]), [[tenantId, 'admin']]);
    assert.match(await human(['tenants', 'list']), new RegExp(`^ID\\s+NAME\\s+CREATED\\n${tenantId}\\s+admin\\s+\\d{4}-`, 'm'));
    const m = await json<{ appliedNow: string[]; applied: string[]; available: string[] }>(['migrate']);
    assert.ok(m.applied.length > 0);
    assert.deepEqual(m.applied, m.available, 'every migration applied');
    assert.deepEqual(m.appliedNow, [], 'tenants create migrated the data dir already');
    assert.equal(await human(['migrate'], proc), `migrations applied: none; schema is current at ${m.available.at(-1)!.slice(0, 4)}\n`);
  });
});

describe('calhub accounts connect caldav', () => {
  it('connects the account, and the first sync stores its events', async () => {
    // The password through the environment: --password on the command line is refused (readable in /proc).
    const c = await calhub(['accounts', 'connect', 'caldav', '--tenant', tenantId, '--url', dav.url, '--username', dav.username, '--json'], { ...env, CALHUB_CALDAV_PASSWORD: dav.password }, SLOW);
    assert.equal(c.code, 0, c.stderr);
    const connected = JSON.parse(c.stdout) as { id: string; calendars: Array<{ id: string; name: string }> };
    accountId = connected.id;
    calendarId = connected.calendars.find((c) => c.name === 'Work')!.id;
    const synced = await proc(['resync', accountId, '--wait', '--json']);
    assert.equal(synced.code, 0, synced.stderr);
  });
});

describe('calhub runs list|revert', () => {
  it('lists the runs that wrote to the provider and reverts one as a table and one as JSON', async () => {
    await editInHub(dataDir, tenantId, calendarId, 'a@admin', (e) => ({ ...e, title: 'Alpha (hub)' }));
    assert.equal((await run(['resync', accountId, '--wait', '--json'])).code, 0);
    await editInHub(dataDir, tenantId, calendarId, 'b@admin', (e) => ({ ...e, title: 'Bravo (hub)' }));
    assert.equal((await run(['resync', accountId, '--wait', '--json'])).code, 0);
    assert.deepEqual(await titles(), ['Alpha (hub)', 'Bravo (hub)', 'Charlie']);

    type Run = { runId: string; writes: number; created: number; updated: number; deleted: number; calendars: Array<{ id: string; name: string | null }>; firstAt: string; lastAt: string };
    const runs = await json<Run[]>(['runs', 'list', '--tenant', tenantId]);
    assert.equal(runs.length, 2, JSON.stringify(runs));
    assert.deepEqual(runs.map((r) => [r.writes, r.created, r.updated, r.deleted, r.calendars]), [[1, 0, 1, 0, [{ id: calendarId, name: 'Work' }]], [1, 0, 1, 0, [{ id: calendarId, name: 'Work' }]]]);
    const [newest, older] = runs as [Run, Run];
    const table = await human(['runs', 'list', '--tenant', tenantId], proc);
    assert.match(table, /^RUN\s+WRITES\s+CREATED\s+UPDATED\s+DELETED\s+FIRST\s+LAST\s+CALENDARS$/m);
    assert.match(table, new RegExp(`^${newest.runId}\\s+1\\s+0\\s+1\\s+0\\s+\\S+\\s+\\S+\\s+Work \\(${calendarId}\\)$`, 'm'));

    const reverted = await json<{ runId: string; queued: Array<{ action: string; uid: string; title: string; fields: string[] }>; skipped: unknown[]; calendars: Record<string, string> }>(['runs', 'revert', newest.runId, '--tenant', tenantId]);
    assert.deepEqual([reverted.runId, reverted.queued.map((q) => [q.action, q.uid, q.title, q.fields]), reverted.skipped], [newest.runId, [['update', 'b@admin', 'Bravo (hub)', ['title']]], []]);
    assert.deepEqual(reverted.calendars, { [calendarId]: 'Work' });
    assert.equal(
      await human(['runs', 'revert', older.runId, '--tenant', tenantId]),
      `run ${older.runId}: 1 change queued to undo what the run wrote\n  put back title of Work: "Alpha (hub)" (a@admin)\n`,
    );
    assert.equal((await run(['resync', accountId, '--wait', '--json'])).code, 0);
    assert.deepEqual(await titles(), ['Alpha', 'Bravo', 'Charlie'], 'both runs undone on the server');
    assert.equal(await human(['runs', 'revert', older.runId, '--tenant', tenantId]), `run ${older.runId}: nothing to revert, nothing queued (1 event is already as before the run)\n`);
    assert.equal((await run(['runs', 'revert', 'run-nope', '--tenant', tenantId])).code, 2);
  });
});

describe('calhub calendars unflag', () => {
  it('a flagged calendar does not sync until it is unflagged (JSON and table)', async () => {
    const flag = (counts: { removed: number; rewritten: number } | null = null) => withStore(dataDir, (s) => s.tenant(tenantId).sync.flag(calendarId, 'checked by the test', counts));
    await flag();
    // Nothing is queued or run for it: the resync says it is flagged, with its code and the way out.
    const stopped = await run(['resync', accountId, '--wait']);
    assert.equal(stopped.code, 1);
    assert.match(stopped.stderr, new RegExp(`calendar "Work" \\(${calendarId}\\): CALENDAR_FLAGGED: not synced: stopped by the mass-change guard: checked by the test .*calhub calendars unflag ${calendarId} --tenant ${tenantId}`));
    const report = JSON.parse((await run(['resync', accountId, '--json'])).stdout) as { ok: boolean; calendars: Array<{ id: string; outcome: string; lastError: string | null }> };
    assert.deepEqual([report.ok, report.calendars.map((c) => [c.id, c.outcome])], [false, [[calendarId, 'flagged']]]);
    assert.equal(report.calendars[0]!.lastError, null, 'no run of it failed');
    assert.deepEqual(await json(['calendars', 'unflag', calendarId, '--tenant', tenantId]), { id: calendarId, flagged: null, approved: null });
    assert.equal((await run(['resync', accountId, '--wait', '--json'])).code, 0);
    // The unflag approves the change the guard stopped, and says so.
    await flag({ removed: 3, rewritten: 1 });
    assert.equal(
      await human(['calendars', 'unflag', calendarId, '--tenant', tenantId], proc),
      `calendar ${calendarId} unflagged; its next sync may remove 3 and rewrite 1 objects (the change the guard stopped), then the guard is whole again\n`,
    );
    assert.equal((await run(['resync', accountId, '--wait', '--json'])).code, 0);
    assert.equal((await run(['calendars', 'unflag', 'cal_nope', '--tenant', tenantId])).code, 2);
  });
});

describe('calhub calendars quarantine', () => {
  it('lists the items set aside with remote id, reason code, message and first/last seen, never their content (JSON and table)', async () => {
    await withStore(dataDir, (s) =>
      s.tenant(tenantId).events.applyRemoteChanges(calendarId, [
        { kind: 'invalid', remoteId: `${workUrl}bad.ics`, version: null, error: 'unstorable text: event.0.title contains a NUL character', raw: 'SUMMARY:password hunter2' },
      ]),
    );
    const items = await json<Array<Record<string, string>>>(['calendars', 'quarantine', calendarId, '--tenant', tenantId]);
    assert.deepEqual(items.map((i) => [i.remoteId, i.eventId, i.reason, i.message]), [[`${workUrl}bad.ics`, null, 'UNSTORABLE_TEXT', 'unstorable text: event.0.title contains a NUL character']]);
    assert.ok(items[0]!.firstSeen && items[0]!.lastSeen);
    const out = await human(['calendars', 'quarantine', calendarId, '--tenant', tenantId], proc);
    assert.match(out, /^REMOTE ID\s+EVENT\s+REASON\s+FIRST SEEN\s+LAST SEEN\s+MESSAGE\n.*bad\.ics\s+-\s+UNSTORABLE_TEXT\s+\d{4}-/);
    assert.doesNotMatch(out + JSON.stringify(items), /hunter2/);
    assert.equal((await run(['calendars', 'quarantine', 'cal_nope', '--tenant', tenantId])).code, 2);
    // `accounts show` names it too, as `resync` does (its PROBLEM column was empty).
    const shown = await human(['accounts', 'show', accountId, '--tenant', tenantId]);
    assert.match(shown, new RegExp(`${calendarId}.*warning: 1 item\\(s\\) quarantined: .*bad\\.ics`));
  });
});

describe('calhub calendars writes', () => {
  it("lists the local changes not yet at the provider with state, refusals and the provider's answer (JSON and table)", async () => {
    await withStore(dataDir, async (s) => {
      const o = s.tenant(tenantId).outbox;
      await o.upsert(calendarId, 'w-cli', 'put', 'externalOnly');
      for (let i = 0; i < 3; i++) await o.failed(calendarId, 'w-cli', 'CONNECTOR_INVALID_DATA: 400 the event ends before it starts', true);
      // Two occurrences of a series changed, one loudly, one quietly.
      await o.upsert(calendarId, 'w-series', 'put', 'all', false, ['2026-11-10T09:00:00Z']);
      await o.upsert(calendarId, 'w-series', 'put', 'none', false, ['2026-11-11T09:00:00Z']);
    });
    try {
      const items = await json<Array<Record<string, unknown>>>(['calendars', 'writes', calendarId, '--tenant', tenantId]);
      assert.deepEqual(items.map((w) => [w.uid, w.op, w.state, w.refusals, w.sendUpdates, w.message]), [
        ['w-cli', 'put', 'parked', 3, 'externalOnly', 'CONNECTOR_INVALID_DATA: 400 the event ends before it starts'],
        ['w-series', 'put', 'pending', 0, 'all', null],
      ]);
      assert.deepEqual(items[1]!.sendUpdatesByOccurrence, [{ occurrence: '2026-11-10T09:00:00Z', sendUpdates: 'all' }, { occurrence: '2026-11-11T09:00:00Z', sendUpdates: 'none' }]);
      const out = await human(['calendars', 'writes', calendarId, '--tenant', tenantId], proc);
      assert.match(out, /^UID\s+OP\s+STATE\s+REFUSALS\s+TELLS\s+CONFERENCE\s+UPDATED\s+MESSAGE\nw-cli\s+put\s+parked\s+3\s+externalOnly\s+\d{4}-.*ends before it starts/);
      assert.match(out, /\nw-series\s+put\s+pending\s+0\s+all; 2026-11-11T09:00:00Z: none\s+\d{4}-/, 'the widest, then each occurrence that asked for less');
      assert.equal((await run(['calendars', 'writes', 'cal_nope', '--tenant', tenantId])).code, 2);
    } finally {
      await withStore(dataDir, (s) => s.db.query("DELETE FROM outbox WHERE calendar_id = $1 AND uid IN ('w-cli', 'w-series')", [calendarId]));
    }
    assert.equal(await human(['calendars', 'writes', calendarId, '--tenant', tenantId]), `calendar ${calendarId}: every change is at the provider\n`);
  });
});
