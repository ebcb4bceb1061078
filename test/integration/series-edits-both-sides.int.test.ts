/**
 * One series changed on both sides before the hub's next pull, at a provider that keeps each
 * instance as an object of its own (Google, Graph): at the provider an occurrence is moved and the
 * series renamed; in the hub another occurrence is cancelled and a third moved. Every change
 * survives, whichever of pull and push runs first, and nothing is left in the outbox.
 * Before the fix the pull merged each provider object with all of the UID's local events, so the
 * master's object came to hold the hub's override too (the store refused the page: "ON CONFLICT
 * DO UPDATE command cannot affect row a second time", and the series stopped syncing), and a
 * merge that kept the provider's side of one instance dropped the UID's other local changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { parseEvent, type CanonicalEvent } from '../../shared/model/index.ts';
import { Store } from '../../shared/store/index.ts';
import { cancelRegular, findOccurrence, pushCalendar, settle, writeOccurrence, writeUid } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';

const UID = 'both-sides@calhub.test';
const utc = (day: number, hour: number) => ({ dateTime: `2027-01-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const master = parseEvent({ uid: UID, title: 'Weekly', start: utc(4, 9), end: utc(4, 10), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=6'] } });
const startOf = (e: CanonicalEvent) => ('dateTime' in e.start ? new Date(e.start.dateTime).toISOString().slice(0, 13) : '');

/** Each standing instance as `original day -> start hour`, and the series' title, as `events` hold them. */
function shape(events: CanonicalEvent[]): { title: string; moved: string[]; cancelled: string[] } {
  const m = events.find((e) => e.originalStart === null)!;
  const moved = events.filter((e) => e.originalStart && e.status !== 'cancelled').map(startOf).sort();
  const cancelled = [...(m.recurrence?.exdates ?? []), ...events.filter((e) => e.originalStart && e.status === 'cancelled').map((e) => e.originalStart!)]
    .map((x) => ('dateTime' in x ? new Date(x.dateTime).toISOString().slice(0, 13) : '')).sort();
  return { title: m.title!, moved, cancelled };
}

async function check(env: ModelEnv, pushFirst: boolean): Promise<void> {
  const cal = env.calendars[0]!;
  await writeUid(env.deps, env.tenantId, cal, UID, [master]);
  await settle(env.deps, env.tenantId, [cal]);
  const [series] = await env.driver.list(0);
  // At the provider: the 01-18 occurrence moved to 15:00, then the series renamed.
  await env.driver.put(0, null, [{ ...master, recurrence: null, originalStart: utc(18, 9), start: utc(18, 15), end: utc(18, 16) }]);
  const held = (await env.driver.list(0)).find((o) => o.remoteId === series!.remoteId)!;
  await env.driver.put(0, series!.remoteId, [{ ...held.events[0]!, title: 'Weekly (renamed there)' }]);
  // In the hub, before it has heard of either: 01-11 cancelled, 01-25 moved to 13:00.
  const t = env.store.tenant(env.tenantId);
  const id = (await t.events.byUid(cal, UID)).find((r) => r.event.originalStart === null)!.id;
  const first = await findOccurrence(env.store, env.tenantId, id, '2027-01-11T09:00:00Z');
  assert.equal(first.override, null);
  await cancelRegular(env.deps, env.tenantId, first as Extract<typeof first, { override: null }>);
  const second = await findOccurrence(env.store, env.tenantId, id, '2027-01-25T09:00:00Z');
  assert.equal(second.override, null);
  if (second.override === null) await writeOccurrence(env.deps, env.tenantId, second, { ...second.base, start: utc(25, 13), end: utc(25, 14) });

  if (pushFirst) await pushCalendar(env.deps, env.tenantId, cal, 'push-first');
  const r = await settle(env.deps, env.tenantId, [cal]);
  assert.deepEqual([...r.failures.values()], []);
  const left = await env.store.db.query<{ uid: string; last_error: string | null }>('SELECT uid, last_error FROM outbox WHERE calendar_id = $1', [cal]);
  assert.deepEqual(left, [], 'nothing is left in the outbox');
  const want = { title: 'Weekly (renamed there)', moved: ['2027-01-18T15', '2027-01-25T13'], cancelled: ['2027-01-11T09'] };
  assert.deepEqual(shape((await t.events.byUid(cal, UID)).map((row) => row.event)), want, 'the hub holds every change');
  assert.deepEqual(shape((await env.driver.list(0)).flatMap((o) => o.events)), want, 'the provider holds every change');
  assert.equal((await settle(env.deps, env.tenantId, [cal])).written, 0, 'and a second sync writes nothing');
}

describe('a series changed at the provider and in the hub before the next pull', () => {
  let store: Store;
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    google = await startGoogleEmulator();
    ms = await startMicrosoftEmulator();
  });
  after(async () => {
    await store.close();
    await google.close();
    await ms.close();
  });

  for (const pushFirst of [false, true]) {
    const order = pushFirst ? 'push first' : 'pull first';
    it(`Microsoft Graph, ${order}`, async () => check(await microsoftModelEnv(ms, store), pushFirst));
    it(`Google, ${order}`, async () => check(await googleModelEnv(google, store), pushFirst));
  }
});
