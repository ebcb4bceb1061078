/**
 * A weekly series on Google with one occurrence moved, then the whole series changed in location
 * and time through the API. Google copies the master's new location into the exception and so
 * changes its etag (A.8, series-fields.ts in the emulator): the push's delete of the old exception,
 * conditional on the etag it knew, met a 412 and was dropped unretried, so Google showed the moved
 * occurrence twice while calhub said every change was at the provider.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import type { CanonicalEvent } from '../../shared/model/index.ts';
import { Store } from '../../shared/store/index.ts';
import { expandSeries } from '../../shared/time/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { apiOver } from '../support/api-over.ts';
import { googleModelEnv } from '../support/google-model-env.ts';

type Reply = { id: string; uid: string; items: Array<{ start: string; end: string; location: string | null; uid: string }>; calendars: Array<{ busy: Array<{ start: string; end: string }> }> };
const utc = (iso: string) => ({ dateTime: iso, timeZone: 'UTC' });
const SPAN = { start: new Date('2027-02-01T00:00:00Z'), end: new Date('2027-03-01T00:00:00Z') };

function providerInstances(objects: Array<{ events: CanonicalEvent[] }>, uid: string): string[] {
  const events = objects.flatMap((o) => o.events).filter((e) => e.uid === uid);
  const master = events.find((e) => e.originalStart === null) ?? null;
  const occ = expandSeries({ master, overrides: events.filter((e) => e !== master), calendarTimeZone: 'UTC', window: SPAN });
  return occ.map((o) => `${new Date(o.startMs).toISOString()} ${o.event.location}`);
}

describe('Google: a series changed in location and time keeps one copy of its moved occurrence', () => {
  let store: Store;
  let google: RunningGoogleEmulator;
  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    google = await startGoogleEmulator();
  });
  after(async () => {
    await store.close();
    await google.close();
  });

  it('the old exception is cancelled although the master write changed its etag', async () => {
    const env = await googleModelEnv(google, store);
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
    assert.deepEqual(providerInstances(await env.driver.list(0), uid), want, 'Google shows the moved occurrence once, moved with the series');
    const listed = await call('GET', `/v1/calendars/${cal}/events?timeMin=${SPAN.start.toISOString()}&timeMax=${SPAN.end.toISOString()}`);
    assert.deepEqual(listed.json.items.filter((i) => i.uid === uid).map((i) => `${new Date(i.start).toISOString()} ${i.location}`), want, 'the hub lists the same');
    const fb = await call('POST', '/v1/freebusy', { calendarIds: [cal], timeMin: '2027-02-09T00:00:00Z', timeMax: '2027-02-10T00:00:00Z' });
    assert.deepEqual(fb.json.calendars[0]!.busy.map((b) => new Date(b.start).toISOString()), ['2027-02-09T19:00:00.000Z'], 'busy once on Feb 9');
    assert.deepEqual(await env.store.db.query('SELECT uid, last_error FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left to push');
    await app.close();
  });
});
