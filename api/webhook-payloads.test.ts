/**
 * Webhook event payloads are the API's events: the same fields, times and etag as GET /v1/events/:id,
 * but `quarantined` (answers only: a message is sent for a change, and a quarantined event does not change).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { composeWebhooks } from '../shared/store/index.ts';
import { call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type Ev = Record<string, unknown> & { id: string; etag: string };
type Data = { eventId: string | null; event: Ev | null; series: { masterId: string | null; instances: Array<{ eventId: string; originalStart: unknown; change: string; event: Ev }> } | null };
type Msg = { type: string; payload: { data: Data } };

describe('webhook event payloads', () => {
  let api: TestApi;
  const cal = () => api.a.calendarId;

  /** The messages composed from what the outbox holds now, in order. */
  const messages = async (): Promise<Msg[]> => {
    const [m] = await api.store.db.query<{ m: string }>('SELECT COALESCE(max(seq), 0)::text AS m FROM webhook_messages');
    await composeWebhooks(api.store.db, { now: new Date() });
    return api.store.db.query<Msg>('SELECT type, payload FROM webhook_messages WHERE seq > $1 ORDER BY seq', [m!.m]);
  };
  const only = async (): Promise<Msg> => {
    const m = await messages();
    assert.equal(m.length, 1, JSON.stringify(m.map((x) => x.type)));
    return m[0]!;
  };
  const get = async (id: string): Promise<Ev> => {
    const r = await call(api, 'GET', `/v1/events/${id}`);
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(json<Ev>(r).etag, r.headers.etag);
    const { quarantined, ...shown } = json<Ev>(r);
    assert.equal(quarantined, false);
    return shown as Ev;
  };
  const create = async (body: Record<string, unknown>): Promise<Ev> => {
    const r = await call(api, 'POST', `/v1/calendars/${cal()}/events`, { body });
    assert.equal(r.statusCode, 201, r.body);
    return json<Ev>(r);
  };

  before(async () => {
    api = await startTestApi();
    const r = await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['*'] } });
    assert.equal(r.statusCode, 201, r.body);
    await messages();
  });
  after(async () => api.close());

  it('a single zoned event: the payload is GET /v1/events/:id (wall clock with offset, etag)', async () => {
    const made = await create({ title: 'Standup', start: { dateTime: '2026-11-10T09:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-11-10T09:30:00', timeZone: 'Europe/Berlin' } });
    const m = await only();
    assert.equal(m.type, 'event.created');
    assert.deepEqual(m.payload.data.event, await get(made.id));
    assert.equal((m.payload.data.event!.start as { dateTime: string }).dateTime, '2026-11-10T09:00:00+01:00');
  });

  it('an all-day event', async () => {
    const made = await create({ title: 'Holiday', start: { date: '2026-12-24' }, end: { date: '2026-12-25' } });
    const m = await only();
    assert.deepEqual(m.payload.data.event, await get(made.id));
  });

  it('a zoned series with an override: the master and the instance are what GET answers for each', async () => {
    const tz = 'America/New_York';
    const master = await create({ title: 'Weekly', start: { dateTime: '2026-11-02T09:00:00', timeZone: tz }, end: { dateTime: '2026-11-02T10:00:00', timeZone: tz }, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'], exdates: [{ dateTime: '2026-11-23T09:00:00', timeZone: tz }] } });
    const created = await only();
    assert.deepEqual(created.payload.data.event, await get(master.id));
    const r = await call(api, 'PATCH', `/v1/events/${master.id}/occurrences/2026-11-09T14:00:00Z`, { body: { title: 'Moved', start: { dateTime: '2026-11-09T11:00:00', timeZone: tz }, end: { dateTime: '2026-11-09T12:00:00', timeZone: tz } } });
    assert.equal(r.statusCode, 200, r.body);
    const override = json<Ev>(r);
    const m = await only();
    assert.equal(m.type, 'event.updated');
    assert.deepEqual(m.payload.data.event, await get(master.id));
    assert.equal(m.payload.data.series!.masterId, master.id);
    const [inst] = m.payload.data.series!.instances;
    assert.deepEqual(inst!.event, await get(override.id));
    assert.deepEqual(inst!.originalStart, inst!.event.originalStart);
    assert.deepEqual(inst!.originalStart, { dateTime: '2026-11-09T09:00:00-05:00', timeZone: tz });
  });

  it('a deleted event: the payload is the event as GET answered it before the delete', async () => {
    const made = await create({ title: 'Gone soon', start: { dateTime: '2026-11-12T15:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-11-12T16:00:00', timeZone: 'Europe/Berlin' } });
    await messages();
    const shown = await get(made.id);
    assert.equal((await call(api, 'DELETE', `/v1/events/${made.id}`)).statusCode, 204);
    const m = await only();
    assert.equal(m.type, 'event.deleted');
    assert.deepEqual(m.payload.data.event, shown);
  });

  it("a mirror copy's provenance is its rule and source event, the same in the payload and the API; the provider's version is in neither", async () => {
    await seed(api.store, api.a.id, cal(), ev({ uid: 'copy', providerVersion: '"p7"', provenance: { hub: 'calhub', tenantId: api.a.id, sourceEventId: 'evt_src', ruleId: 'rul_1' } }));
    const m = await only();
    const e = m.payload.data.event!;
    // Only the two ids: the tenant and the hub marker are calhub's bookkeeping.
    assert.deepEqual(e.provenance, { ruleId: 'rul_1', sourceEventId: 'evt_src' });
    assert.equal('providerVersion' in e, false);
    assert.deepEqual(e, await get(e.id));
    // The instance listing shows it too (its schema named none, so the answer dropped it).
    const listed = await call(api, 'GET', `/v1/calendars/${cal()}/events?timeMin=2026-11-10T00:00:00Z&timeMax=2026-11-11T00:00:00Z`);
    assert.equal(listed.statusCode, 200, listed.body);
    const items = json<{ items: Array<{ eventId: string; provenance: unknown }> }>(listed).items;
    assert.deepEqual(items.find((i) => i.eventId === e.id)?.provenance, { ruleId: 'rul_1', sourceEventId: 'evt_src' });
    assert.ok(items.filter((i) => i.eventId !== e.id).every((i) => i.provenance === null), JSON.stringify(items));
  });

  it('an event that is not a mirror copy shows provenance null', async () => {
    const made = await create({ title: 'Mine', start: { dateTime: '2026-11-14T09:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-11-14T10:00:00', timeZone: 'Europe/Berlin' } });
    assert.equal(made.provenance, null);
    assert.equal((await only()).payload.data.event!.provenance, null);
  });

  it("the payload's etag works as If-Match while the event is unchanged, and not after a later change", async () => {
    const made = await create({ title: 'v1', start: { dateTime: '2026-11-13T09:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-11-13T10:00:00', timeZone: 'Europe/Berlin' } });
    const etag1 = (await only()).payload.data.event!.etag;
    const patch = (title: string, etag: string) => call(api, 'PATCH', `/v1/events/${made.id}`, { body: { title }, headers: { 'if-match': etag } });
    assert.equal((await patch('v2', etag1)).statusCode, 200);
    // Two changes committed before the composer runs: each message carries its own version's etag.
    const v2 = await get(made.id);
    assert.equal((await patch('v3', v2.etag)).statusCode, 200);
    const [m2, m3] = await messages();
    assert.equal(m2!.payload.data.event!.etag, v2.etag);
    assert.equal(m2!.payload.data.event!.title, 'v2');
    assert.equal((await patch('v4', m2!.payload.data.event!.etag)).statusCode, 412, 'the v2 etag after v3');
    assert.equal((await patch('v4', m3!.payload.data.event!.etag)).statusCode, 200, 'the v3 etag while v3 is stored');
    assert.equal((await patch('v5', etag1)).statusCode, 412);
  });

  it('the OpenAPI payload schemas name exactly the fields the payload event carries', async () => {
    const made = await create({ title: 'Schema', start: { dateTime: '2026-11-14T09:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-11-14T10:00:00', timeZone: 'Europe/Berlin' } });
    const e = (await messages()).find((m) => m.payload.data.eventId === made.id)!.payload.data.event!;
    type Obj = { properties: Record<string, Obj>; required?: string[]; items?: Obj };
    const doc = json<{ components: { schemas: Record<string, Obj> } }>(await call(api, 'GET', '/openapi.json', { key: null }));
    for (const type of ['event.created', 'event.updated', 'event.deleted']) {
      const data = doc.components.schemas[`Webhook_${type.replace('.', '_')}`]!.properties['data']!;
      const shapes = [data.properties['event']!, data.properties['series']!.properties['instances']!.items!.properties['event']!];
      for (const s of shapes) {
        // thisAndFuture is there only on a range override (RECURRENCE-ID;RANGE=THISANDFUTURE), which this event is not.
        assert.deepEqual(Object.keys(s.properties).filter((k) => k !== 'thisAndFuture').sort(), Object.keys(e).sort(), type);
        assert.ok('thisAndFuture' in s.properties, type);
        for (const r of s.required ?? []) assert.ok(r in e, `${type}: ${r}`);
      }
    }
  });
  it('conflict.recorded: a conflict that lost a hub change, with its event, occurrence, policy and fields (schema fields exactly)', async () => {
    const made = await create({ title: 'Series', start: { dateTime: '2026-11-16T09:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-11-16T10:00:00', timeZone: 'Europe/Berlin' }, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=3'] } });
    await messages();
    const row = (await api.store.tenant(api.a.id).events.get(made.id))!;
    const occ = { ...row.event, recurrence: null, title: 'Lost', originalStart: row.event.start };
    const t = api.store.tenant(api.a.id);
    const rec = (policy: string, outcome: 'remote' | 'local' | 'deleted' | 'parked', local: typeof occ[] | null) =>
      t.conflicts.record(cal(), [{ uid: row.event.uid, remoteId: 'r-1', policy, fields: ['2026-11-16T08:00:00Z:series-changed'], base: null, local, remote: null, outcome }]);
    await rec('provider-reset-exceptions', 'remote', [occ]);
    await rec('hub-wins', 'local', [occ]);
    await rec('manual', 'parked', [occ]);
    await rec('delete-wins', 'deleted', null);
    const sent = await messages();
    assert.deepEqual(sent.map((m) => m.type), ['conflict.recorded', 'conflict.recorded', 'conflict.parked'], 'every settled conflict is recorded (the hub-wins one lost the provider\'s change); a parked one stays conflict.parked');
    assert.deepEqual(sent.slice(0, 2).map((m) => { const d = m.payload.data as unknown as Record<string, unknown>; return [d['outcome'], d['lost']]; }), [['remote', 'hub'], ['local', 'provider']]);
    const data = sent[0]!.payload.data as unknown as Record<string, unknown>;
    const [conflict] = (await t.conflicts.list()).filter((c) => c.policy === 'provider-reset-exceptions');
    assert.deepEqual(data, {
      tenantId: api.a.id, accountId: data['accountId'], calendarId: cal(), conflictId: conflict!.id, uid: row.event.uid, eventId: made.id,
      occurrence: { dateTime: '2026-11-16T09:00:00+01:00', timeZone: 'Europe/Berlin' }, policy: 'provider-reset-exceptions', fields: ['2026-11-16T08:00:00Z:series-changed'], outcome: 'remote', remoteId: 'r-1',
      lost: 'hub', localChangedAt: null, remoteChangedAt: null,
    });
    type Obj = { properties: Record<string, unknown>; required: string[] };
    const doc = json<{ components: { schemas: Record<string, { properties: { data: Obj } }> } }>(await call(api, 'GET', '/openapi.json', { key: null }));
    const schema = doc.components.schemas['Webhook_conflict_recorded']!.properties.data;
    assert.deepEqual(Object.keys(schema.properties).sort(), Object.keys(data).sort());
    for (const r of schema.required) assert.ok(r in data, r);

    // conflict.parked names the event and occurrence too (migration 0092), not only the UID.
    const parked = sent[2]!.payload.data as unknown as Record<string, unknown>;
    const [kept] = (await t.conflicts.list()).filter((c) => c.policy === 'manual');
    assert.deepEqual(parked, {
      tenantId: api.a.id, accountId: data['accountId'], calendarId: cal(), conflictId: kept!.id, uid: row.event.uid, eventId: made.id,
      occurrence: { dateTime: '2026-11-16T09:00:00+01:00', timeZone: 'Europe/Berlin' }, policy: 'manual', fields: ['2026-11-16T08:00:00Z:series-changed'], remoteId: 'r-1',
    });
    const parkedSchema = doc.components.schemas['Webhook_conflict_parked']!.properties.data;
    assert.deepEqual(Object.keys(parkedSchema.properties).sort(), Object.keys(parked).sort());
    for (const r of parkedSchema.required) assert.ok(r in parked, r);
  });
});
