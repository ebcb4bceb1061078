/**
 * An outside report: under latest-wins (the default) an API edit at T whose write reached Google
 * slowly met the user's edit of the same title made there at T+2 s. Google refused the hub's
 * If-Match, and push took the hub's side as the later edit without comparing times: API-EARLY was
 * written over USER-LATER at Google and in the hub, the conflict recorded `local`, and no webhook
 * went out. Now the push decides as the pull does, by the hub's edit time against the provider's
 * own modification time, and the conflict names both. Through the real push path, Google and Graph,
 * with the emulator's latency holding the hub's write back while the user edits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunningGoogleEmulator } from '../../emulators/google/index.ts';
import type { MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { parseEvent } from '../../shared/model/index.ts';
import { composeWebhooks, type Store } from '../../shared/store/index.ts';
import { pushCalendar, settle, writeUid } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { apiOver } from '../support/api-over.ts';
import { storeAndGoogle, storeAndGraph } from '../support/emulator-store.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';

const at = (hour: number) => ({ dateTime: `2027-02-03T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LATENCY = 1500;

interface Side {
  env: ModelEnv;
  /** The user's edit of the title at the provider, as its own app makes it (no latency: not through the hub's connection). */
  userEdit(remoteId: string, title: string): Promise<void>;
  latency(ms: number): void;
}

async function scenario(side: Side, store: Store, userFirst: boolean): Promise<void> {
  const { env } = side;
  const cal = env.calendars[0]!;
  const t = store.tenant(env.tenantId);
  await t.webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
  const uid = `latest-${userFirst ? 'user-first' : 'api-first'}-${Math.random().toString(36).slice(2, 8)}@calhub.test`;
  await writeUid(env.deps, env.tenantId, cal, uid, [parseEvent({ uid, title: 'Planning', start: at(9), end: at(10) })]);
  await settle(env.deps, env.tenantId, [cal]);
  const id = (await t.events.byUid(cal, uid))[0]!.id;
  const remoteId = (await env.driver.list(0)).find((o) => o.events[0]?.uid === uid)!.remoteId;
  await composeWebhooks(store.db, { now: new Date() });
  await store.db.query('DELETE FROM webhook_messages');
  const { call } = await apiOver<{ id: string }>(env);

  if (userFirst) {
    // The user's edit is the earlier one; the hub's write still meets Google's/Graph's refusal.
    await side.userEdit(remoteId, 'USER-EARLY');
    await sleep(50);
    assert.equal((await call('PATCH', `/v1/events/${id}`, { title: 'API-LATER' })).status, 200);
    await pushCalendar(env.deps, env.tenantId, cal, 'push');
  } else {
    assert.equal((await call('PATCH', `/v1/events/${id}`, { title: 'API-EARLY' })).status, 200);
    side.latency(LATENCY);
    const pushed = pushCalendar(env.deps, env.tenantId, cal, 'push');
    await sleep(LATENCY / 3);
    await side.userEdit(remoteId, 'USER-LATER'); // while the hub's If-Match write is on its way
    await pushed;
    side.latency(0);
  }
  const done = await settle(env.deps, env.tenantId, [cal]);
  assert.deepEqual([...done.failures.values()], []);

  const winner = userFirst ? 'API-LATER' : 'USER-LATER';
  const atProvider = (await env.driver.list(0)).find((o) => o.remoteId === remoteId)!;
  assert.equal(atProvider.events[0]!.title, winner, 'the later edit stands at the provider');
  assert.deepEqual((await t.events.byUid(cal, uid)).map((r) => r.event.title), [winner], 'and in the hub');

  const [c, ...more] = await t.conflicts.list();
  assert.deepEqual(more, [], 'one conflict');
  assert.deepEqual([c!.policy, c!.fields, c!.outcome], ['latest-wins', [':title'], userFirst ? 'local' : 'remote']);
  const [hubAt, providerAt] = [Date.parse(c!.localChangedAt!), Date.parse(c!.remoteChangedAt!)];
  assert.ok(Number.isFinite(hubAt) && Number.isFinite(providerAt), `both times recorded: ${c!.localChangedAt} ${c!.remoteChangedAt}`);
  assert.equal(hubAt > providerAt, userFirst, `hub ${c!.localChangedAt}, provider ${c!.remoteChangedAt}`);

  await composeWebhooks(store.db, { now: new Date() });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload fields are read loosely in assertions
  const sent = await store.db.query<{ type: string; payload: { data: Record<string, any> } }>('SELECT type, payload FROM webhook_messages WHERE tenant_id = $1 ORDER BY seq', [env.tenantId]);
  const told = sent.filter((m) => m.type === 'conflict.recorded').map((m) => m.payload.data);
  assert.equal(told.length, 1, `the app hears of the conflict whichever side lost: ${sent.map((m) => m.type).join(' ')}`);
  assert.deepEqual([told[0]!.conflictId, told[0]!.eventId, told[0]!.outcome, told[0]!.lost], [c!.id, id, c!.outcome, userFirst ? 'provider' : 'hub']);
  assert.deepEqual([told[0]!.localChangedAt, told[0]!.remoteChangedAt], [c!.localChangedAt, c!.remoteChangedAt]);
}

describe('latest-wins at push time: Google', () => {
  const h = storeAndGoogle();
  const side = async (emu: RunningGoogleEmulator, store: Store): Promise<Side> => {
    const env = await googleModelEnv(emu, store);
    const calId = (await store.tenant(env.tenantId).calendars.get(env.calendars[0]!))!.providerCalendarId;
    return { env, userEdit: async (remoteId, title) => void emu.control.patchEvent(calId, remoteId, { summary: title }), latency: (ms) => emu.control.setLatency(ms) };
  };
  it("a user's edit made at Google after the API edit, before its slow write landed, survives at both sides", async () => {
    await scenario(await side(h.emu, h.store), h.store, false);
  });
  it("an API edit made after the user's Google edit is written over it, and the app is told the user's edit was discarded", async () => {
    await scenario(await side(h.emu, h.store), h.store, true);
  });
});

describe('latest-wins at push time: Microsoft 365', () => {
  const h = storeAndGraph();
  const side = async (emu: MicrosoftEmulator, store: Store): Promise<Side> => {
    const env = await microsoftModelEnv(emu, store);
    return { env, userEdit: async (remoteId, title) => void emu.control.updateEvent({ userId: env.userId, id: remoteId, patch: { subject: title } }), latency: (ms) => emu.control.setLatency({ ms }) };
  };
  it("a user's edit made in Outlook after the API edit, before its slow write landed, survives at both sides", async () => {
    await scenario(await side(h.emu, h.store), h.store, false);
  });
  it("an API edit made after the user's Outlook edit is written over it", async () => {
    await scenario(await side(h.emu, h.store), h.store, true);
  });
});
