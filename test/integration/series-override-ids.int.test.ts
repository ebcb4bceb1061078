/**
 * An edited occurrence keeps its event id when its series moves (the outside user's report): a
 * daily series in Berlin, one occurrence retitled through the occurrence PATCH, the series retitled
 * and then moved half an hour later. The override follows the series to its new original start
 * (hub/carry-overrides.ts) and is still the same event: GET answers it under the id the occurrence
 * PATCH gave, with a new etag, an If-Match PATCH with that etag succeeds, and the tenant's webhook
 * reports the instance as `updated`, never deleted and created again. So on Google, Microsoft
 * Graph and Radicale, after the provider's answer (a new instance id at Google and Graph, a new
 * RECURRENCE-ID on CalDAV) and the next pull.
 *
 * Google keeps the old exception at its old original start (originalStartTime is immutable) and
 * the push cancels it there: that cancelled exception is off the moved rule and cancels nothing,
 * so the hub keeps no row for it (before, GET answered it and later webhooks listed it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { composeWebhooks } from '../../shared/store/webhook-compose.ts';
import { settle } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { apiOver } from '../support/api-over.ts';
import { startRadicale, type DavServer } from '../support/dav-servers.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { openTestStore } from '../support/test-store.ts';

type Reply = { id: string; uid: string; etag: string; title: string | null; status: string; originalStart: unknown; start: unknown; items: Array<{ id: string; originalStart: unknown; status: string; title: string | null }>; nextCursor?: string | null };
const berlin = (dateTime: string) => ({ dateTime, timeZone: 'Europe/Berlin' });
type Instance = { eventId: string; change: string; originalStart: unknown; event: { status: string } };
type Msg = { type: string; payload: { data: { uid: string; series: { instances: Instance[] } | null } } };

async function check(env: ModelEnv): Promise<void> {
  const cal = env.calendars[0]!;
  await env.store.tenant(env.tenantId).webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
  const { app, call } = await apiOver<Reply>(env);
  const apiKey = await env.store.tenants.createApiKey(env.tenantId);
  const push = () => settle(env.deps, env.tenantId, [cal]);
  const messages = async (uid: string): Promise<Msg[]> => {
    const [{ m } = { m: '0' }] = await env.store.db.query<{ m: string }>('SELECT COALESCE(max(seq), 0)::text AS m FROM webhook_messages');
    await composeWebhooks(env.store.db, { now: new Date() });
    const rows = await env.store.db.query<Msg>('SELECT type, payload FROM webhook_messages WHERE seq > $1 ORDER BY seq', [m]);
    return rows.filter((r) => r.payload.data.uid === uid);
  };

  const made = await call('POST', `/v1/calendars/${cal}/events`, { title: 'T series', start: berlin('2027-01-04T09:00:00'), end: berlin('2027-01-04T10:00:00'), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  const { id: S, uid } = made.json;
  await push();
  const o = await call('PATCH', `/v1/events/${S}/occurrences/2027-01-05T08:00:00Z`, { title: 'T override' });
  assert.equal(o.status, 200, JSON.stringify(o.json));
  const O = o.json.id;
  await push();
  assert.equal((await call('PATCH', `/v1/events/${S}`, { title: 'T series renamed' })).status, 200);
  await push();
  const renamed = await call('GET', `/v1/events/${O}`);
  assert.equal(renamed.status, 200, 'a retitled series keeps its override');
  await messages(uid);

  const moved = await call('PATCH', `/v1/events/${S}`, { start: berlin('2027-01-04T09:30:00'), end: berlin('2027-01-04T10:30:00') });
  assert.equal(moved.status, 200, JSON.stringify(moved.json));
  const right = await call('GET', `/v1/events/${O}`);
  assert.equal(right.status, 200, `the override keeps its id when the series moves: ${JSON.stringify(right.json)}`);
  assert.equal(right.json.title, 'T override');
  assert.deepEqual(right.json.originalStart, { dateTime: '2027-01-05T09:30:00+01:00', timeZone: 'Europe/Berlin' });
  assert.notEqual(right.json.etag, renamed.json.etag, 'a new etag');
  const hooks = await messages(uid);
  const instances = hooks.flatMap((h) => h.payload.data.series?.instances ?? []);
  assert.deepEqual(instances.filter((i) => i.eventId === O).map((i) => i.change), ['updated'], `the webhook reports the override as updated: ${JSON.stringify(instances)}`);
  assert.ok(!instances.some((i) => i.change !== 'updated'), `no instance is created or deleted: ${JSON.stringify(instances.map((i) => [i.eventId, i.change]))}`);

  await push();
  await push(); // the provider's answer and echo come back under the new original start
  const after = await call('GET', `/v1/events/${O}`);
  assert.equal(after.status, 200, 'still the same event once the provider answered');
  assert.equal(after.json.title, 'T override');
  assert.equal((after.json.start as { dateTime: string }).dateTime, '2027-01-05T09:30:00+01:00');
  // The product that stored the override's id and the etag of the move's answer edits it with If-Match.
  const app2 = await app.inject({ method: 'PATCH', url: `/v1/events/${O}`, headers: { authorization: `Bearer ${apiKey}`, 'if-match': right.json.etag }, payload: { title: 'T override 2' } });
  assert.equal(app2.statusCode, 200, `an If-Match PATCH of the stored id: ${app2.body}`);
  await push();
  await push();

  // No row of the series is a cancelled override off the moved rule (Google's old exception).
  const rows = await env.store.db.query<{ id: string; k: string; status: string }>("SELECT id, original_start_key AS k, data->>'status' AS status FROM events WHERE calendar_id = $1 AND uid = $2 ORDER BY original_start_key", [cal, uid]);
  assert.deepEqual(rows.map((r) => [r.id === S ? 'S' : r.id === O ? 'O' : r.id, r.status]), [['S', 'confirmed'], ['O', 'confirmed']], `the series' rows: ${JSON.stringify(rows)}`);
  const later = await messages(uid);
  const named = later.flatMap((h) => h.payload.data.series?.instances ?? []).filter((i) => i.eventId !== O);
  assert.deepEqual(named, [], 'later webhooks name no other instance');
  assert.deepEqual(await env.store.db.query('SELECT uid, last_error FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left to push');
  await app.close();
}

/**
 * The outside user's second report: the series moved by whole days, twice. The override's old
 * original start is then another occurrence of the moved rule, so Google's exception left there is
 * written back as the plain occurrence, not cancelled. That plain occurrence is no override: the
 * hub kept it as a row (a new id, "created" at the series' title), carried it with the next move
 * and took the override's title into it, while Google showed the override one day off.
 */
async function checkWholeDays(env: ModelEnv): Promise<void> {
  const cal = env.calendars[0]!;
  const { app, call } = await apiOver<Reply>(env);
  const push = async () => {
    await settle(env.deps, env.tenantId, [cal]);
    await settle(env.deps, env.tenantId, [cal]);
  };
  const made = await call('POST', `/v1/calendars/${cal}/events`, { title: 'I series', start: berlin('2027-01-11T09:00:00'), end: berlin('2027-01-11T09:30:00'), recurrence: { rrules: ['FREQ=DAILY;COUNT=6'] } });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  const { id: S, uid } = made.json;
  await push();
  const o = await call('PATCH', `/v1/events/${S}/occurrences/2027-01-13T08:00:00Z`, { title: 'I ovr' });
  assert.equal(o.status, 200, JSON.stringify(o.json));
  const O = o.json.id;
  await push();
  for (const [d, slot] of [['12', '2027-01-14T08:00:00.000Z'], ['13', '2027-01-15T08:00:00.000Z']] as const) {
    const moved = await call('PATCH', `/v1/events/${S}`, { start: berlin(`2027-01-${d}T09:00:00`), end: berlin(`2027-01-${d}T09:30:00`) });
    assert.equal(moved.status, 200, JSON.stringify(moved.json));
    await push();
    await push();
    const rows = await env.store.db.query<{ id: string; title: string; status: string; os: string | null }>(
      "SELECT id, data->>'title' AS title, data->>'status' AS status, data->'originalStart'->>'dateTime' AS os FROM events WHERE calendar_id = $1 AND uid = $2 ORDER BY original_start_key",
      [cal, uid],
    );
    const at = (os: string | null) => (os === null ? null : new Date(os).toISOString());
    assert.deepEqual(
      rows.map((r) => [r.id === S ? 'S' : r.id === O ? 'O' : r.id, r.title, at(r.os)]),
      [['S', 'I series', null], ['O', 'I ovr', slot]],
      `after the move to the ${d}th the hub holds the series and the user's override at its carried slot`,
    );
    // Google shows the same: the override at that slot, every other exception the plain occurrence or cancelled.
    const objects = (await env.driver.list(0)).filter((x) => x.events.some((e) => e.uid === uid));
    const exceptions = objects.flatMap((x) => x.events).filter((e) => e.originalStart !== null && e.status !== 'cancelled');
    const msOf = (t: unknown) => new Date((t as { dateTime: string }).dateTime).toISOString();
    const titled = exceptions.filter((e) => e.title === 'I ovr').map((e) => [msOf(e.originalStart), msOf(e.start)]);
    assert.deepEqual(titled, [[slot, slot]], `Google's override after the move to the ${d}th: ${JSON.stringify(exceptions.map((e) => [e.title, e.originalStart, e.start]))}`);
    for (const e of exceptions.filter((x) => x.title !== 'I ovr')) assert.equal(msOf(e.start), msOf(e.originalStart), `a leftover exception shows its plain occurrence: ${JSON.stringify(e)}`);
    assert.deepEqual(await env.store.db.query('SELECT uid, last_error FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left to push');
  }
  await app.close();
}

/**
 * A rule change (not a time shift): the override whose original start the new rule still has is
 * kept by the hub (hub/carry-overrides.ts) and keeps its id through the push and the provider's
 * answer; the one the new rule lacks goes.
 */
async function checkRuleChange(env: ModelEnv): Promise<void> {
  const cal = env.calendars[0]!;
  await env.store.tenant(env.tenantId).webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
  const { app, call } = await apiOver<Reply>(env);
  const push = async () => {
    await settle(env.deps, env.tenantId, [cal]);
    await settle(env.deps, env.tenantId, [cal]);
  };
  const made = await call('POST', `/v1/calendars/${cal}/events`, { title: 'R series', start: berlin('2027-01-04T09:00:00'), end: berlin('2027-01-04T10:00:00'), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  const { id: S, uid } = made.json;
  await push();
  const w = await call('PATCH', `/v1/events/${S}/occurrences/2027-01-06T08:00:00Z`, { title: 'R wed' });
  assert.equal(w.status, 200, JSON.stringify(w.json));
  const W = w.json.id;
  assert.equal((await call('PATCH', `/v1/events/${S}/occurrences/2027-01-05T08:00:00Z`, { title: 'R tue' })).status, 200);
  await push();
  // Every other day from Monday: the 4th, 6th and 8th.
  const changed = await call('PATCH', `/v1/events/${S}`, { recurrence: { rrules: ['FREQ=DAILY;INTERVAL=2;COUNT=3'] } });
  assert.equal(changed.status, 200, JSON.stringify(changed.json));
  assert.equal((await call('GET', `/v1/events/${W}`)).status, 200, 'the kept override keeps its id at once');
  await push();
  await push();
  const rows = await env.store.db.query<{ id: string; title: string; status: string }>("SELECT id, data->>'title' AS title, data->>'status' AS status FROM events WHERE calendar_id = $1 AND uid = $2 ORDER BY original_start_key", [cal, uid]);
  assert.deepEqual(rows.map((r) => [r.id === S ? 'S' : r.id === W ? 'W' : r.id, r.title, r.status]), [['S', 'R series', 'confirmed'], ['W', 'R wed', 'confirmed']], `after the provider answered: ${JSON.stringify(rows)}`);
  const got = await call('GET', `/v1/events/${W}`);
  assert.equal(got.status, 200);
  assert.equal(got.json.title, 'R wed');
  await app.close();
}

describe('an override keeps its id when its series moves', () => {
  let store: Store;
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  let radicale: DavServer;
  before(async () => {
    store = await openTestStore();
    await store.migrate();
    google = await startGoogleEmulator();
    ms = await startMicrosoftEmulator();
    radicale = await startRadicale();
  });
  after(async () => {
    await store.close();
    await google.close();
    await ms.close();
    await radicale.stop();
  });

  it('Google', async () => check(await googleModelEnv(google, store)));
  it('Microsoft Graph', async () => check(await microsoftModelEnv(ms, store)));
  it('Radicale', async () => check(await davModelEnv(radicale, store)));
  it('Google, a series moved by whole days twice', async () => checkWholeDays(await googleModelEnv(google, store)));
  it('Google, a rule change', async () => checkRuleChange(await googleModelEnv(google, store)));
  it('Microsoft Graph, a rule change', async () => checkRuleChange(await microsoftModelEnv(ms, store)));
  it('Radicale, a rule change', async () => checkRuleChange(await davModelEnv(radicale, store)));
});
