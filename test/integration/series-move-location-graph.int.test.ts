/**
 * The flow of series-move-location-google.int.test.ts at Microsoft Graph: a weekly series with one
 * occurrence moved, then the whole series changed in location and time through the API. Graph
 * discards a series' exceptions when its time changes (emulators/microsoft/README.md, MS-OXOCAL's
 * StartTimeOffset) and the push writes the moved occurrence again after the master: the moved
 * occurrence must show once, at its new time, at Graph and in the hub.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import type { CanonicalEvent } from '../../shared/model/index.ts';
import { Store } from '../../shared/store/index.ts';
import { expandSeries } from '../../shared/time/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { apiOver } from '../support/api-over.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';

type Reply = { id: string; uid: string; items: Array<{ start: string; end: string; location: string | null; uid: string }>; calendars: Array<{ busy: Array<{ start: string; end: string }> }> };
const utc = (iso: string) => ({ dateTime: iso, timeZone: 'UTC' });
const SPAN = { start: new Date('2027-02-01T00:00:00Z'), end: new Date('2027-03-01T00:00:00Z') };

function providerInstances(objects: Array<{ events: CanonicalEvent[] }>, uid: string): string[] {
  const events = objects.flatMap((o) => o.events).filter((e) => e.uid === uid);
  const master = events.find((e) => e.originalStart === null) ?? null;
  const occ = expandSeries({ master, overrides: events.filter((e) => e !== master), calendarTimeZone: 'UTC', window: SPAN });
  return occ.map((o) => `${new Date(o.startMs).toISOString()} ${o.event.location}`);
}

describe('Microsoft Graph: a series changed in location and time keeps one copy of its moved occurrence', () => {
  let store: Store;
  let ms: MicrosoftEmulator;
  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    ms = await startMicrosoftEmulator();
  });
  after(async () => {
    await store.close();
    await ms.close();
  });

  it('the moved occurrence is written again once, at its new time', async () => {
    const env = await microsoftModelEnv(ms, store);
    const cal = env.calendars[0]!;
    const { app, call } = await apiOver<Reply>(env);
    const push = () => settle(env.deps, env.tenantId, [cal]);
    const made = await call('POST', `/v1/calendars/${cal}/events`, { title: 'Standup', start: utc('2027-02-02T14:00:00Z'), end: utc('2027-02-02T15:00:00Z'), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const { id, uid } = made.json;
    await push();
    const moved = await call('PATCH', `/v1/events/${id}/occurrences/2027-02-09T14:00:00Z`, { start: utc('2027-02-09T18:00:00Z'), end: utc('2027-02-09T19:00:00Z') });
    assert.equal(moved.status, 200, JSON.stringify(moved.json));
    await push();
    const series = await call('PATCH', `/v1/events/${id}`, { location: 'Room 9', start: utc('2027-02-02T15:00:00Z'), end: utc('2027-02-02T16:00:00Z') });
    assert.equal(series.status, 200, JSON.stringify(series.json));
    await push();
    await push();

    const want = ['2027-02-02T15:00:00.000Z Room 9', '2027-02-09T19:00:00.000Z Room 9', '2027-02-16T15:00:00.000Z Room 9', '2027-02-23T15:00:00.000Z Room 9'];
    assert.deepEqual(providerInstances(await env.driver.list(0), uid), want, 'Graph shows the moved occurrence once, moved with the series');
    const listed = await call('GET', `/v1/calendars/${cal}/events?timeMin=${SPAN.start.toISOString()}&timeMax=${SPAN.end.toISOString()}`);
    assert.deepEqual(listed.json.items.filter((i) => i.uid === uid).map((i) => `${new Date(i.start).toISOString()} ${i.location}`), want, 'the hub lists the same');
    const fb = await call('POST', '/v1/freebusy', { calendarIds: [cal], timeMin: '2027-02-09T00:00:00Z', timeMax: '2027-02-10T00:00:00Z' });
    assert.deepEqual(fb.json.calendars[0]!.busy.map((b) => new Date(b.start).toISOString()), ['2027-02-09T19:00:00.000Z'], 'busy once on Feb 9');
    assert.deepEqual(await env.store.db.query('SELECT uid, last_error FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left to push');
    await app.close();
  });
});
