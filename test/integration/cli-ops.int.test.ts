/**
 * The operator's commands against a real hub (`calhub start` on PostgreSQL, its managed Redis, the
 * Google emulator for push channels, Radicale for CalDAV): `status`, `channels list`, `channels
 * renew`, silent-channel detection, and `resync --dry-run`, whose plan on calendars changed on both
 * sides must be what the next real sync carries out, item for item, while writing nothing.
 * Every command is driven as a table and as `--json`.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { KeyRing, type StoredGrant } from '../../oauth/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { writeUid } from '../../sync-engine/index.ts';
import { calhub, startHub, stopHub, type CliResult } from '../support/cli.ts';
import { deleteResource, putEvent, serverObjects, type SeedEvent } from '../support/dav-content.ts';
import { makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { freePort } from '../support/free-port.ts';

const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `t_cliops_${process.pid}_${randomBytes(3).toString('hex')}`;
const KEYS = `k1:${randomBytes(32).toString('base64')}`;
const EMAIL = 'ops@example.com';
const CLIENT = 'ops-client';
const SLOW = 300_000; // a shared 2-core machine: cold starts are slow under load

const ev = (uid: string, summary: string, day: string): SeedEvent => ({ uid, summary, start: `DTSTART:202612${day}T100000Z`, end: `DTEND:202612${day}T110000Z` });

let emu: RunningGoogleEmulator;
let dav: DavServer;
let workUrl = '';
let dataDir = '';
let env: Record<string, string>;
let hub: Awaited<ReturnType<typeof startHub>>;
let store: Store;
let tenantId = '';
let googleCal = '';
let caldavAccount = '';
const resources: Record<string, string> = {};

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = SLOW): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    // The hub's own log says why (it runs in another process): its last lines go with the failure.
    if (Date.now() > end) throw new Error(`${what}: not within ${ms / 1000} s; the hub's log ends:\n${hub?.log().slice(-6000) ?? '(no hub)'}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function run(args: string[]): Promise<CliResult> {
  return calhub(args, env, SLOW);
}

async function json<T>(args: string[], code = 0): Promise<T> {
  const r = await run([...args, '--json']);
  assert.equal(r.code, code, `calhub ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** What a sync could change, to prove a dry run changed none of it. */
async function snapshot(): Promise<unknown> {
  const q = (sql: string) => store.db.query(sql);
  return {
    events: await q('SELECT calendar_id, uid, original_start_key, content_hash, provider_version, remote_id FROM events ORDER BY 1, 2, 3'),
    ledger: await q('SELECT calendar_id, remote_id, base_hash, provider_version FROM sync_ledger ORDER BY 1, 2'),
    outbox: await q('SELECT calendar_id, uid, op, attempts FROM outbox ORDER BY 1, 2'),
    cursors: await q('SELECT id, sync_cursor, last_success_at FROM calendars ORDER BY 1'),
    journal: await q('SELECT count(*)::int AS n FROM write_journal'),
    conflicts: await q('SELECT count(*)::int AS n FROM conflicts'),
    server: (await serverObjects(dav, workUrl)).map((o) => [o.href, o.raw]).sort(),
  };
}

before(async () => {
  emu = await startGoogleEmulator({ allowHttpPush: true }); // the hub listens on loopback http; Google itself demands https
  emu.control.createUser({ email: EMAIL, timeZone: 'UTC' });
  emu.control.insertEvent(EMAIL, { summary: 'planning', start: { dateTime: '2026-12-09T10:00:00Z' }, end: { dateTime: '2026-12-09T11:00:00Z' } });
  const grant = emu.control.issueGrant({ email: EMAIL, clientId: CLIENT });
  dav = await startRadicale();
  workUrl = await makeCalendar(dav, 'Work');
  // Twelve events: the two provider-side deletes and rewrites of the dry-run test stay under the
  // mass-change guard's share (20 % of the objects known), so the real sync carries them out.
  const seeds = [['a', 'Alpha', '07'], ['b', 'Bravo', '08'], ['d', 'Delta', '10'], ['e', 'Echo', '11'], ['f', 'Foxtrot', '14'], ['g', 'Golf', '15'],
    ['h', 'Hotel', '16'], ['i', 'India', '17'], ['j', 'Juliett', '18'], ['k', 'Kilo', '19'], ['l', 'Lima', '21'], ['m', 'Mike', '22']] as const;
  for (const [uid, title, day] of seeds) {
    resources[uid] = await putEvent(dav, workUrl, ev(`${uid}@ops`, title, day));
  }
  dataDir = await mkdtemp(join(tmpdir(), 'calhub-cli-ops-'));
  const port = await freePort();
  const databaseUrl = `${PG}?options=${encodeURIComponent(`-c search_path=${SCHEMA},public`)}`;
  store = await Store.open({ databaseUrl, schema: SCHEMA });
  await store.migrate();
  env = {
    CALHUB_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: '',
    CALHUB_ENCRYPTION_KEYS: KEYS,
    CALDAV_ALLOW_PRIVATE_NETWORKS: 'true',
    CALHUB_PUBLIC_URL: `http://127.0.0.1:${port}`,
    CALHUB_PUBLIC_URL_ALLOW_HTTP: 'loopback',
    PORT: String(port),
    // The emulator is the deployment's Google app: tokens are refreshed at its /token.
    GOOGLE_CLIENT_ID: CLIENT,
    GOOGLE_OAUTH_BASE_URL: emu.url,
    GOOGLE_API_BASE_URL: emu.url,
    LOG_LEVEL: 'info',
  };
  // A Google account as the OAuth callback stores it: tokens encrypted with the deployment's keys.
  const created = await store.tenants.create('ops');
  tenantId = created.tenant.id;
  const t = store.tenant(tenantId);
  const account = await t.accounts.upsert({
    provider: 'google',
    externalId: EMAIL,
    config: { baseUrl: emu.url },
    credentials: KeyRing.parse(KEYS).encrypt(
      JSON.stringify({ accessToken: grant.accessToken, refreshToken: grant.refreshToken, expiresAt: Date.now() + 3_600_000, scope: '', app: 'default', access: 'readwrite' } satisfies StoredGrant),
    ),
  });
  googleCal = (await t.calendars.upsertMany(account.id, [{ providerCalendarId: EMAIL, name: 'Team', timeZone: 'UTC', color: null, readOnly: false }]))[0]!.id;
  // As the callback's listing leaves it (else status names it as a connect cut short).
  await t.accounts.markCalendarsListed(account.id);
  // The password through the environment: --password on the command line is refused (readable in /proc).
  const c = await calhub(['accounts', 'connect', 'caldav', '--tenant', tenantId, '--url', dav.url, '--username', dav.username, '--json'], { ...env, CALHUB_CALDAV_PASSWORD: dav.password }, SLOW);
  assert.equal(c.code, 0, c.stderr);
  caldavAccount = (JSON.parse(c.stdout) as { id: string }).id;
  hub = await startHub(env, SLOW);
  // The supervisor's first pass watches the Google calendar; the emulator's handshake reaches the hub.
  const channelRow = async () =>
    (await store.db.query<{ status: string; last_notification_at: Date | null }>('SELECT status, last_notification_at FROM push_channels WHERE calendar_id = $1', [googleCal]))[0];
  await until('a live Google channel', async () => (await channelRow())?.status === 'active');
  // The emulator's handshake can arrive while the supervisor is still saving the channel (it is
  // then answered as an unknown channel, as calhub does for Google's real handshake): a change
  // at the provider then makes the notification the listing shows.
  if ((await channelRow())?.last_notification_at == null) {
    emu.control.insertEvent(EMAIL, { summary: 'review', start: { dateTime: '2026-12-10T10:00:00Z' }, end: { dateTime: '2026-12-10T11:00:00Z' } });
  }
  await until('a notification recorded for the Google channel', async () => (await channelRow())?.last_notification_at != null);
  await until('first syncs', async () => (await store.db.query("SELECT 1 FROM calendars WHERE last_success_at IS NULL")).length === 0);
});

after(async () => {
  if (hub) await stopHub(hub.child, dataDir);
  await store?.db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
  await store?.close();
  await dav?.stop();
  await emu?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Channel {
  calendarId: string;
  tenantId: string;
  provider: string;
  state: string;
  channelId: string | null;
  expiresAt: string | null;
  expiresInSeconds: number | null;
  lastNotificationAt: string | null;
  lastPullAt: string | null;
  lagSeconds: number | null;
}

describe('calhub status', () => {
  it('shows store, Redis, workers, queue, accounts, failing calendars and the oldest unsynced calendar', async () => {
    const s = await json<{ store: { ok: boolean; driver: string }; redis: { ok: boolean }; workers: unknown[]; queue: { counts: Record<string, number> }; accounts: Array<{ provider: string; status: string; n: number }>; failingCalendars: { total: number }; oldestUnsynced: { id: string } | null; attention: string[] }>(['status']);
    assert.deepEqual([s.store.ok, s.store.driver, s.redis.ok], [true, 'postgres', true]);
    assert.ok(s.workers.length >= 1, 'the hub\'s worker is seen');
    assert.equal(typeof s.queue.counts.waiting, 'number');
    assert.deepEqual(s.accounts.map((a) => `${a.provider}:${a.status}:${a.n}`).sort(), ['caldav:active:1', 'google:active:1']);
    assert.equal(s.failingCalendars.total, 0);
    assert.ok(s.oldestUnsynced, 'every calendar has synced, the stalest one is named');
    assert.deepEqual(s.attention, []);
    const human = await run(['status']);
    assert.equal(human.code, 0, human.stderr);
    for (const heading of ['STORE', 'REDIS', 'WORKERS', 'OLDEST WAITING', 'Sync jobs delayed or retrying:', 'Accounts:', 'Calendars failing: 0', 'Channels expiring soon: 0', 'Rules with refused copies: 0', 'Outgoing webhooks: no endpoints', 'Oldest unsynced calendar:']) assert.ok(human.stdout.includes(heading), `${heading} in:\n${human.stdout}`);
    const more = await json<{ delayedJobs: { total: number; listCommand: string }; refusedCopies: { rules: number; copies: number }; channelsExpiringShown: number | null }>(['status']);
    assert.deepEqual([typeof more.delayedJobs.total, more.delayedJobs.listCommand], ['number', 'calhub queue list --state delayed']);
    assert.deepEqual([more.refusedCopies.rules, more.refusedCopies.copies, more.channelsExpiringShown], [0, 0, 10]);
    const soon = await json<{ channelsExpiringSoon: Channel[]; channelsExpiringTotal: number }>(['status', '--expiring-within', '8d']);
    // The Google calendar's channel and its account's calendar-list channel (keyed list:<accountId>).
    assert.deepEqual(soon.channelsExpiringSoon.map((c) => (c.calendarId.startsWith('list:') ? 'list' : c.calendarId)).sort(), [googleCal, 'list'].sort());
    assert.equal(soon.channelsExpiringTotal, 2);
    const all = await json<{ channelsExpiringSoon: Channel[]; channelsExpiringShown: number | null }>(['status', '--expiring-within', '8d', '--all']);
    assert.deepEqual([all.channelsExpiringSoon.length, all.channelsExpiringShown], [2, null]);
    assert.equal((await run(['status', '--expiring-within', 'soon'])).code, 2);
  });
});

describe('calhub channels', () => {
  it('lists push channels with expiry, last notification, last pull, lag and state; --tenant filters', async () => {
    const rows = await json<Channel[]>(['channels', 'list']);
    const google = rows.find((c) => c.calendarId === googleCal)!;
    assert.equal(google.provider, 'google');
    assert.equal(google.state, 'active');
    assert.ok(google.channelId);
    assert.ok(google.expiresInSeconds! > 6 * 86_400, `a 7-day Google channel, ${google.expiresInSeconds} s left`);
    assert.ok(google.lastNotificationAt && google.lastPullAt);
    assert.equal(typeof google.lagSeconds, 'number');
    assert.deepEqual(rows.filter((c) => c.provider === 'caldav').map((c) => c.state), ['polling'], 'CalDAV has no push: polled');
    assert.equal((await run(['channels', 'list', '--tenant', 'ten_nobody'])).code, 2, 'an unknown tenant is an error, not "no push channels"');
    const human = await run(['channels', 'list', '--tenant', tenantId]);
    assert.match(human.stdout, /^CALENDAR\s+TENANT\s+PROVIDER\s+NAME\s+STATE\s+EXPIRES IN\s+LAST NOTIFICATION\s+LAST PULL\s+LAG/m);
    assert.match(human.stdout, new RegExp(`^${googleCal}\\s+${tenantId}\\s+google\\s+Team\\s+active\\s+6d`, 'm'));
  });

  it('renews one calendar\'s channel (Google: replaced by a new one) and those expiring within a duration', async () => {
    const before = (await json<Channel[]>(['channels', 'list'])).find((c) => c.calendarId === googleCal)!;
    const [r] = await json<Array<{ calendarId: string; outcome: string; before: { channelId: string }; after: { channelId: string; expiresAt: string; state: string } }>>(['channels', 'renew', googleCal]);
    assert.equal(r!.outcome, 'replaced');
    assert.equal(r!.before.channelId, before.channelId);
    assert.notEqual(r!.after.channelId, before.channelId);
    assert.equal(r!.after.state, 'active');
    const live = emu.control.channels().filter((c) => !c.stopped && c.calendarId !== null).map((c) => c.id);
    assert.deepEqual(live, [r!.after.channelId], 'the old channel was stopped at the provider');
    assert.deepEqual(await json<unknown[]>(['channels', 'renew', '--expiring-within', '1h']), [], 'nothing lapses within the hour');
    const all = await json<Array<{ calendarId: string; outcome: string }>>(['channels', 'renew', '--expiring-within', '8d']);
    assert.deepEqual(all.map((o) => [o.calendarId.startsWith('list:') ? 'list' : o.calendarId, o.outcome]).sort(), [[googleCal, 'replaced'], ['list', 'replaced']].sort());
    const human = await run(['channels', 'renew', googleCal]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, new RegExp(`^${googleCal}\\s+google\\s+replaced`, 'm'));
    assert.equal((await run(['channels', 'renew'])).code, 2, 'neither an id nor --expiring-within');
    assert.equal((await run(['channels', 'renew', 'cal_nope'])).code, 2);
  });

  it('flags a channel silent for longer than its calendar usually goes without a change, polls it, and counts it', async () => {
    // The Google calendar changed once in the last 30 days (its one event), so by the rule
    // (hub/channels/channel-silence.ts: three usual gaps) its channel may stay quiet 90 days.
    // A hundred days without a notification is silence.
    await store.db.query("UPDATE push_channels SET last_notification_at = now() - interval '100 days', created_at = now() - interval '100 days' WHERE calendar_id = $1", [googleCal]);
    const at = (await store.db.query<{ at: Date }>('SELECT last_success_at AS at FROM calendars WHERE id = $1', [googleCal]))[0]!.at;
    // The maintenance tick (once a minute) finds it.
    const silent = await until('the channel flagged silent', async () => (await json<Channel[]>(['channels', 'list'])).find((c) => c.calendarId === googleCal && c.state === 'silent'));
    assert.ok(silent.lagSeconds! >= 0);
    await until('its calendar polled', async () => {
      const [r] = await store.db.query<{ at: Date }>('SELECT last_success_at AS at FROM calendars WHERE id = $1', [googleCal]);
      return r!.at.getTime() > at.getTime();
    });
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    assert.match(metrics, /^calhub_channels_silent_total\{provider="google"\} 1$/m);
    assert.match(metrics, /^calhub_push_channels\{provider="google",state="silent"\} 1$/m);
  });
});

describe('calhub resync --dry-run', () => {
  interface Plan {
    ok: boolean;
    calendars: Array<{ calendarId: string; name: string; error: string | null; guard: string | null; pull: Array<{ op: string; uid: string | null; title: string | null }>; push: Array<{ op: string; uid: string | null; title: string | null }> }>;
  }
  const items = (xs: Array<{ op: string; uid: string | null }>) => xs.map((x) => `${x.op} ${x.uid}`).sort();

  it('prints the plan of both directions, writes nothing, and the next real sync carries out exactly that plan', async () => {
    const t = store.tenant(tenantId);
    const [work] = await t.calendars.list({ accountId: caldavAccount });
    const deps = { store, log: createLogger({ level: 'silent' }), connect: () => Promise.reject(new Error('no provider here')) };
    const edit = async (uid: string, title: string | null) => {
      const rows = await t.events.byUid(work!.id, uid);
      await writeUid(deps, tenantId, work!.id, uid, title === null ? [] : rows.map((r) => ({ ...r.event, title })));
    };
    // The hub side: two edits and a delete, waiting in the outbox (as API writes leave them).
    await edit('a@ops', 'Alpha (hub)');
    await edit('e@ops', 'Echo (hub)');
    await edit('g@ops', null);
    // The provider side: an edit, a new event, a deletion, by another CalDAV client.
    await putEvent(dav, workUrl, ev('b@ops', 'Bravo (server)', '08'));
    await putEvent(dav, workUrl, ev('c@ops', 'Charlie (server)', '09'));
    await deleteResource(dav, resources.d!);

    const before = await snapshot();
    const plan = await json<Plan>(['resync', caldavAccount, '--dry-run']);
    assert.deepEqual(await snapshot(), before, 'the dry run wrote nothing, in the store or on the server');
    const cal = plan.calendars.find((c) => c.calendarId === work!.id)!;
    assert.equal(cal.error, null);
    assert.equal(cal.guard, null, 'the mass-change guard lets this run through');
    assert.deepEqual(items(cal.pull), ['create c@ops', 'delete d@ops', 'update b@ops']);
    assert.deepEqual(items(cal.push), ['delete g@ops', 'update a@ops', 'update e@ops']);
    const human = await run(['resync', caldavAccount, '--dry-run']);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^CALENDAR\s+NAME\s+SIDE\s+OP\s+UID\s+TITLE/m);
    assert.match(human.stdout, /\bhub\s+create\s+c@ops\s+Charlie \(server\)/);
    assert.match(human.stdout, /\bprovider\s+update\s+a@ops\s+Alpha \(hub\)/);
    // --tenant and --all plan every calendar of the tenant / deployment, still writing nothing.
    const tenantPlan = await json<Plan>(['resync', '--tenant', tenantId, '--dry-run']);
    assert.deepEqual(tenantPlan.calendars.map((c) => c.calendarId).sort(), [googleCal, work!.id].sort());
    assert.deepEqual((await json<Plan>(['resync', '--all', '--dry-run'])).calendars.length, 2);
    assert.deepEqual(await snapshot(), before, 'nor did --tenant and --all');

    // The real sync: the same items, no more, no fewer.
    const journalBefore = (await store.db.query<{ seq: string }>('SELECT coalesce(max(seq), 0)::text AS seq FROM write_journal'))[0]!.seq;
    const real = await run(['resync', caldavAccount, '--wait', '--json']);
    assert.equal(real.code, 0, real.stderr);
    const after = (await snapshot()) as { events: Array<{ uid: string; content_hash: string }> };
    const was = new Map((before as { events: Array<{ uid: string; content_hash: string }> }).events.map((e) => [e.uid, e.content_hash]));
    const now = new Map(after.events.map((e) => [e.uid, e.content_hash]));
    const pushedUids = new Set(cal.push.map((p) => p.uid));
    const pulled = [
      ...[...now.keys()].filter((u) => !was.has(u)).map((u) => `create ${u}`),
      ...[...was.keys()].filter((u) => !now.has(u) && !pushedUids.has(u)).map((u) => `delete ${u}`),
      ...[...now.keys()].filter((u) => was.has(u) && was.get(u) !== now.get(u) && !pushedUids.has(u)).map((u) => `update ${u}`),
    ].sort();
    assert.deepEqual(pulled, items(cal.pull), 'the store changed exactly as planned');
    const written = await store.db.query<{ op: string; uid: string }>('SELECT op, uid FROM write_journal WHERE seq > $1 AND calendar_id = $2', [journalBefore, work!.id]);
    assert.deepEqual(items(written), items(cal.push), 'the provider was written exactly as planned');
    const titles = (await serverObjects(dav, workUrl)).map((o) => o.events[0]?.title).sort();
    assert.deepEqual(titles, ['Alpha (hub)', 'Bravo (server)', 'Charlie (server)', 'Echo (hub)', 'Foxtrot', 'Hotel', 'India', 'Juliett', 'Kilo', 'Lima', 'Mike']);
    const next = await json<Plan>(['resync', caldavAccount, '--dry-run']);
    assert.deepEqual([next.calendars[0]!.pull, next.calendars[0]!.push], [[], []], 'nothing left to do');
  });
});

describe('calhub status in an outage', () => {
  it('names the failing calendar and the account that needs reauth after the provider revokes the grant', async () => {
    emu.control.revokeGrants({ email: EMAIL });
    emu.control.expireAccessTokens();
    const r = await run(['resync', '--tenant', tenantId, '--wait', '--json']);
    assert.equal(r.code, 1, 'a sync failed');
    const s = await json<{ accounts: Array<{ provider: string; status: string; n: number }>; failingCalendars: { total: number; shown: Array<{ id: string; lastError: string }> }; attention: string[] }>(['status']);
    assert.ok(s.accounts.some((a) => a.provider === 'google' && a.status === 'needs_reauth' && a.n === 1), `${JSON.stringify(s)}\nresync said: ${r.stdout}\n${r.stderr}`);
    assert.deepEqual(s.failingCalendars.shown.map((c) => c.id), [googleCal]);
    assert.match(s.failingCalendars.shown[0]!.lastError, /AUTH_GRANT_REVOKED/);
    assert.ok(s.attention.some((a) => /need to be reconnected/.test(a)), s.attention.join('\n'));
    const human = await run(['status']);
    assert.match(human.stdout, /Needs attention:/);
    assert.match(human.stdout, /Calendars failing: 1/);
  });
});
