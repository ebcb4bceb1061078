/**
 * One flow run against each provider that keeps series as objects (series-move-location-google
 * and -graph.int.test.ts): a weekly series with one occurrence moved, then the whole series changed
 * in location and time through the API. Each provider rewrites the moved occurrence its own way
 * (Google carries the location into it and changes its etag; Graph discards it); either way the
 * moved occurrence must show once, at its new time, at the provider, in the hub's listing and in
 * free/busy, with nothing left to push.
 */
import assert from 'node:assert/strict';
import { settle } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { apiOver } from './api-over.ts';
import { seriesInstances, startAnd } from './series-instances.ts';

type Reply = { id: string; uid: string; items: Array<{ start: string; end: string; location: string | null; uid: string }>; calendars: Array<{ busy: Array<{ start: string; end: string }> }> };
const utc = (iso: string) => ({ dateTime: iso, timeZone: 'UTC' });
const SPAN = { start: new Date('2027-02-01T00:00:00Z'), end: new Date('2027-03-01T00:00:00Z') };

export async function seriesMoveLocation(env: ModelEnv, provider: string): Promise<void> {
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
  assert.deepEqual(seriesInstances(await env.driver.list(0), uid, SPAN, startAnd('location')), want, `${provider} shows the moved occurrence once, moved with the series`);
  const listed = await call('GET', `/v1/calendars/${cal}/events?timeMin=${SPAN.start.toISOString()}&timeMax=${SPAN.end.toISOString()}`);
  assert.deepEqual(listed.json.items.filter((i) => i.uid === uid).map((i) => `${new Date(i.start).toISOString()} ${i.location}`), want, 'the hub lists the same');
  const fb = await call('POST', '/v1/freebusy', { calendarIds: [cal], timeMin: '2027-02-09T00:00:00Z', timeMax: '2027-02-10T00:00:00Z' });
  assert.deepEqual(fb.json.calendars[0]!.busy.map((b) => new Date(b.start).toISOString()), ['2027-02-09T19:00:00.000Z'], 'busy once on Feb 9');
  assert.deepEqual(await env.store.db.query('SELECT uid, last_error FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left to push');
  await app.close();
}
