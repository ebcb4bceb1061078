/**
 * Under the `manual` conflict policy, a daily series whose 6th occurrence was retitled at the
 * provider, and whose 6th and 7th occurrences were then changed through the API (both 200), on the
 * Graph emulator, the Google emulator and real Radicale. Only the 6th is in conflict: it is parked
 * (the provider's title stands, the hub's is kept in the conflict); the 7th, changed only in the
 * hub, must be written to the provider. Resolving the conflict for the hub later writes its title
 * of the 6th as well; for the provider, it writes nothing.
 * Before the fix, a push that parked the 6th ended the whole series' outbox entry: at Graph and
 * Google (each occurrence an object of its own) the 7th was never written, while the hub listed it
 * and `calendars writes` said every change was at the provider; at Radicale, a 7th changed while
 * that push was under way was deleted from the hub (the provider's object was stored over the
 * series, its unsent override with it) and its change dropped, with no conflict recorded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CalendarConnector } from '../../connectors/index.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { resolveConflict } from '../../hub/index.ts';
import { eventTimeKey, parseEvent, type CanonicalEvent } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { pushCalendar, settle, writeUid } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { apiOver } from '../support/api-over.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { hasBinary, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { openTestStore } from '../support/test-store.ts';

type Provider = 'microsoft' | 'google' | 'radicale';
const utc = (day: number, hour: number) => ({ dateTime: `2027-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const key = (day: number) => `2027-03-${String(day).padStart(2, '0')}T09:00:00Z`;

/** Each occurrence's title that differs from the series', by original start. */
function titles(events: CanonicalEvent[]): Record<string, string> {
  const master = events.find((e) => e.originalStart === null)!;
  const out: Record<string, string> = { series: master.title ?? '' };
  for (const e of events) if (e.originalStart && e.title !== master.title) out[eventTimeKey(e.originalStart)] = e.title ?? '';
  return out;
}

/**
 * How the hub's changes meet the push:
 * - `push first`: both PATCHes, then the push the queue runs after an API write, then a sync;
 * - `pull first`: both PATCHes, then a sync (the provider's change is pulled first);
 * - `7th during the push`: the 6th is PATCHed, and the 7th while the push of the 6th is reading
 *   the provider's version (after its 412).
 */
type Order = 'push first' | 'pull first' | '7th during the push';

async function check(env: ModelEnv, provider: Provider, order: Order): Promise<void> {
  const cal = env.calendars[0]!;
  const t = env.store.tenant(env.tenantId);
  await t.sync.setPolicies(cal, { conflictPolicy: 'manual' });
  const uid = `manual-occ-${Math.random().toString(36).slice(2, 8)}@calhub.test`;
  const series = parseEvent({ uid, title: 'Daily', start: utc(1, 9), end: utc(1, 10), recurrence: { rrules: ['FREQ=DAILY;COUNT=10'] } });
  await writeUid(env.deps, env.tenantId, cal, uid, [series]);
  await settle(env.deps, env.tenantId, [cal]);

  // At the provider, another client retitles the 6th occurrence.
  const [held] = await env.driver.list(0);
  const sixth = { ...series, recurrence: null, originalStart: utc(6, 9), start: utc(6, 9), end: utc(6, 10), title: 'occ06 provider' };
  if (provider === 'radicale') await env.driver.put(0, held!.remoteId, [held!.events.find((e) => e.originalStart === null)!, sixth]);
  else await env.driver.put(0, null, [sixth]);

  // In the hub, through the API.
  let connect = env.deps.connect;
  const api = await apiOver<{ id: string; title: string }>(env, (...a) => connect(...a));
  try {
    const masterId = (await t.events.byUid(cal, uid)).find((r) => r.event.originalStart === null)!.id;
    const patch = async (day: number) => {
      const r = await api.call('PATCH', `/v1/events/${masterId}/occurrences/${key(day)}`, { title: `occ${String(day).padStart(2, '0')} API` });
      assert.equal(r.status, 200, JSON.stringify(r.json));
    };
    await patch(6);
    if (order === '7th during the push') {
      const inner = env.deps.connect;
      let patched = false;
      const during: typeof inner = async (...a) => {
        const c = await inner(...a);
        const getObject: CalendarConnector['getObject'] = async (...g) => {
          const o = await c.connector.getObject(...g);
          if (!patched) {
            patched = true;
            await patch(7);
          }
          return o;
        };
        return { ...c, connector: { ...c.connector, getObject } as CalendarConnector };
      };
      env.deps.connect = during;
      connect = during;
      try {
        await pushCalendar(env.deps, env.tenantId, cal, 'push-after-api');
      } finally {
        env.deps.connect = inner;
        connect = inner;
      }
      assert.ok(patched, 'the push read the provider\'s version of the 6th');
    } else {
      await patch(7);
      if (order === 'push first') await pushCalendar(env.deps, env.tenantId, cal, 'push-after-api');
    }
    const r = await settle(env.deps, env.tenantId, [cal]);
    assert.deepEqual([...r.failures.values()], []);

    const parkedWant = { series: 'Daily', [key(6)]: 'occ06 provider', [key(7)]: 'occ07 API' };
    const atProvider = async () => titles((await env.driver.list(0)).flatMap((o) => o.events));
    const inHub = async () => titles((await t.events.byUid(cal, uid)).map((row) => row.event));
    assert.deepEqual(await inHub(), parkedWant, 'the hub holds the provider\'s 6th and its own 7th');
    assert.deepEqual(await atProvider(), parkedWant, 'the provider got the 7th');
    const left = await env.store.db.query<{ uid: string }>('SELECT uid FROM outbox WHERE calendar_id = $1', [cal]);
    assert.deepEqual(left, [], 'nothing is left in the outbox');
    const open = await t.conflicts.list({ unresolvedOnly: true });
    assert.deepEqual(open.map((c) => `${c.policy} ${c.fields.join(',')} -> ${c.outcome}`), [`manual ${key(6)}:title -> parked`], 'only the 6th is parked');
    const all = await env.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conflicts WHERE calendar_id = $1', [cal]);
    assert.equal(all[0]!.n, 1, 'no other conflict was recorded');
    assert.equal((await settle(env.deps, env.tenantId, [cal])).written, 0, 'a second sync writes nothing');

    // Resolved for the hub, its title of the 6th is written; for the provider, nothing is. The 7th stays.
    const take = order === 'pull first' ? 'remote' : 'local';
    await resolveConflict(api.hub, env.tenantId, open[0]!.id, take);
    await settle(env.deps, env.tenantId, [cal]);
    const resolvedWant = take === 'local' ? { series: 'Daily', [key(6)]: 'occ06 API', [key(7)]: 'occ07 API' } : parkedWant;
    assert.deepEqual(await inHub(), resolvedWant, 'the hub after the resolution');
    assert.deepEqual(await atProvider(), resolvedWant, 'the provider after the resolution');
    assert.equal((await settle(env.deps, env.tenantId, [cal])).written, 0, 'and a second sync writes nothing');
  } finally {
    await api.app.close();
  }
}

/**
 * The same with the series' own title in conflict (Graph and Google keep the master apart): the
 * master is parked, the 7th occurrence is still written. Before, the master's park ended the push.
 */
async function checkSeries(env: ModelEnv): Promise<void> {
  const cal = env.calendars[0]!;
  const t = env.store.tenant(env.tenantId);
  await t.sync.setPolicies(cal, { conflictPolicy: 'manual' });
  const uid = `manual-series-${Math.random().toString(36).slice(2, 8)}@calhub.test`;
  const series = parseEvent({ uid, title: 'Daily', start: utc(1, 9), end: utc(1, 10), recurrence: { rrules: ['FREQ=DAILY;COUNT=10'] } });
  await writeUid(env.deps, env.tenantId, cal, uid, [series]);
  await settle(env.deps, env.tenantId, [cal]);
  const [held] = await env.driver.list(0);
  await env.driver.put(0, held!.remoteId, [{ ...held!.events[0]!, title: 'Daily (provider)' }]);

  const api = await apiOver<{ id: string }>(env);
  try {
    const masterId = (await t.events.byUid(cal, uid)).find((r) => r.event.originalStart === null)!.id;
    assert.equal((await api.call('PATCH', `/v1/events/${masterId}`, { title: 'Daily (API)' })).status, 200);
    assert.equal((await api.call('PATCH', `/v1/events/${masterId}/occurrences/${key(7)}`, { title: 'occ07 API' })).status, 200);
    await pushCalendar(env.deps, env.tenantId, cal, 'push-after-api');
    const r = await settle(env.deps, env.tenantId, [cal]);
    assert.deepEqual([...r.failures.values()], []);
    const want = { series: 'Daily (provider)', [key(7)]: 'occ07 API' };
    assert.deepEqual(titles((await t.events.byUid(cal, uid)).map((row) => row.event)), want, 'the hub');
    assert.deepEqual(titles((await env.driver.list(0)).flatMap((o) => o.events)), want, 'the provider got the 7th');
    const open = await t.conflicts.list({ unresolvedOnly: true });
    assert.deepEqual(open.map((c) => `${c.policy} ${c.fields.join(',')} -> ${c.outcome}`), ['manual :title -> parked']);
    assert.deepEqual(await env.store.db.query('SELECT uid FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left in the outbox');
  } finally {
    await api.app.close();
  }
}

const ORDERS: Order[] = ['push first', 'pull first', '7th during the push'];

describe('manual policy: one occurrence in conflict, another changed only in the hub', () => {
  let store: Store;
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  let dav: DavServer | undefined;
  before(async () => {
    store = await openTestStore();
    await store.migrate();
    google = await startGoogleEmulator();
    ms = await startMicrosoftEmulator();
    if (hasBinary('radicale')) dav = await startRadicale();
  });
  after(async () => {
    await store?.close();
    await google?.close();
    await ms?.close();
    await dav?.stop();
  });

  for (const order of ORDERS) {
    it(`Microsoft Graph, ${order}`, async () => check(await microsoftModelEnv(ms, store), 'microsoft', order));
    it(`Google, ${order}`, async () => check(await googleModelEnv(google, store), 'google', order));
    it(`Radicale, ${order}`, { skip: !hasBinary('radicale') && 'radicale is not installed' }, async () => check(await davModelEnv(dav!, store), 'radicale', order));
  }
  it('Microsoft Graph, the series\' title in conflict', async () => checkSeries(await microsoftModelEnv(ms, store)));
  it('Google, the series\' title in conflict', async () => checkSeries(await googleModelEnv(google, store)));
});
