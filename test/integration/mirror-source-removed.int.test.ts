/**
 * A mirror rule's source calendar removed on a real Radicale (found by an outside user, 2 of 2):
 * deleted through `DELETE /v1/calendars/:id`, or deleted at the server and removed by the calendar
 * list's second reading. The rule goes as a rule DELETE goes: its copies are deleted from the
 * target collection on the server, not only in calhub's store (they stayed there as busy time for
 * good, and a store-only removal comes back with the next pull). A rule from another source into
 * the same target keeps its copy.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { refreshCalendarList } from '../../hub/accounts/refresh-calendars.ts';
import type { Store } from '../../shared/store/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { settle } from '../../sync-engine/index.ts';
import { apiOver, type ApiOver } from '../support/api-over.ts';
import { putEvent, serverObjects, type ServerObject } from '../support/dav-content.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { authHeader, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { openTestStore } from '../support/test-store.ts';

type Reply = { id: string; deletedAtProvider: boolean; mirrorRulesRemoved: number };

let server: DavServer;
let store: Store;
let env: ModelEnv;
let api: ApiOver<Reply>;
const cal = { a: { id: '', url: '' }, b: { id: '', url: '' }, c: { id: '', url: '' } };

const copiesIn = (objs: ServerObject[]) => objs.filter((o) => o.lines.some((l) => l.startsWith('X-CALHUB-PROVENANCE')));
/** The source event's UID each copy on the server names in its provenance stamp. */
const copiedFrom = async (url: string) => copiesIn(await serverObjects(server, url)).map((o) => o.events[0]!.provenance?.sourceEventId ?? '?').sort();

async function busyOfB(): Promise<string> {
  const r = await api.call('POST', '/v1/freebusy', { calendarIds: [cal.b.id], timeMin: '2026-12-01T00:00:00Z', timeMax: '2026-12-31T00:00:00Z' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return JSON.stringify(r.json);
}

before(async () => {
  server = await startRadicale();
  store = await openTestStore();
  await store.migrate();
  env = await davModelEnv(server, store);
  const t = store.tenant(env.tenantId);
  for (const [k, id] of [['a', env.calendars[0]!], ['b', env.calendars[1]!], ['c', env.calendars[2]!]] as const) cal[k] = { id, url: (await t.calendars.get(id))!.providerCalendarId };
  await putEvent(server, cal.a.url, { uid: 'from-a@other-client', summary: 'Planning', start: 'DTSTART:20261209T100000Z', end: 'DTEND:20261209T110000Z' });
  await putEvent(server, cal.c.url, { uid: 'from-c@other-client', summary: 'Review', start: 'DTSTART:20261210T100000Z', end: 'DTEND:20261210T110000Z' });
  api = await apiOver<Reply>(env);
  await settle(env.deps, env.tenantId, env.calendars);
  for (const source of [cal.a.id, cal.c.id]) {
    const r = await api.call('POST', '/v1/rules', { sourceCalendarId: source, targetCalendarId: cal.b.id, mode: 'busy-block' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  await settle(env.deps, env.tenantId, env.calendars);
  assert.match(await busyOfB(), /2026-12-09T10.*2026-12-10T10/, 'both copies block their time in B');
  assert.deepEqual(await copiedFrom(cal.b.url), [`${cal.a.id}/from-a@other-client`, `${cal.c.id}/from-c@other-client`].sort(), 'a copy of each source in B on the server');
});

after(async () => {
  await api?.app.close();
  await store?.close();
  await server?.stop();
});

it('(b) the source deleted through DELETE /v1/calendars/:id: its copy leaves the target on the server; the other rule keeps its own', async () => {
  const r = await api.call('DELETE', `/v1/calendars/${cal.a.id}`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.deepEqual(r.json, { id: cal.a.id, deletedAtProvider: true, mirrorRulesRemoved: 1 });
  await settle(env.deps, env.tenantId, [cal.b.id]);
  assert.deepEqual(await copiedFrom(cal.b.url), [`${cal.c.id}/from-c@other-client`], 'only the copy of C is left on the server');
  const t = store.tenant(env.tenantId);
  assert.deepEqual((await t.events.list(cal.b.id)).map((e) => e.event.provenance?.sourceEventId), [`${cal.c.id}/from-c@other-client`]);
  // Read again from the server: nothing comes back.
  await settle(env.deps, env.tenantId, [cal.b.id]);
  assert.equal((await t.events.list(cal.b.id)).length, 1);
});

it('(a) the source deleted at the server: once the calendar list removes it, its copy leaves the target on the server', async () => {
  const del = await fetch(cal.c.url, { method: 'DELETE', headers: authHeader(server) });
  assert.ok(del.ok, `DELETE ${cal.c.url} → ${del.status}`);
  const first = await refreshCalendarList(api.hub, env.tenantId, (await store.tenant(env.tenantId).accounts.list())[0]!.id, { goneAfterMs: 0 });
  assert.deepEqual(first.missing.map((c) => c.id), [cal.c.id]);
  const second = await refreshCalendarList(api.hub, env.tenantId, (await store.tenant(env.tenantId).accounts.list())[0]!.id, { goneAfterMs: 0 });
  assert.deepEqual(second.removed.map((c) => c.id), [cal.c.id]);
  const t = store.tenant(env.tenantId);
  assert.deepEqual(await t.mirror.list(), [], 'the rule went with its source');
  await settle(env.deps, env.tenantId, [cal.b.id]);
  assert.deepEqual(await copiedFrom(cal.b.url), [], 'no copy left on the server');
  assert.deepEqual(await t.events.list(cal.b.id), []);
  assert.doesNotMatch(await busyOfB(), /2026-12-10T10/, 'no busy time left from the copy');
});
