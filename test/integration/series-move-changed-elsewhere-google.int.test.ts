/**
 * A weekly series on Google with one occurrence moved, then the whole series changed in location
 * and time through the API, while another client retitles that moved occurrence at Google just
 * before the hub's write of the series lands. The push's cancel of the old exception meets a 412;
 * the exception's new version is not only the series' carried location (series-move-location-
 * google.int.test.ts) but someone else's change. The calendar's delete policy settles it, as any
 * delete against a modification: under modify-wins that change stands, under delete-wins the old
 * exception is cancelled. Before, the change stood whatever the policy, and nothing was recorded:
 * no conflict in the API, nothing in the run's counts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGoogleConnector } from '../../connectors/google/index.ts';
import type { CanonicalEvent } from '../../shared/model/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { apiOver } from '../support/api-over.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { storeAndGoogle } from '../support/emulator-store.ts';
import { seriesInstances, startAnd } from '../support/series-instances.ts';

type Conflict = { uid: string; policy: string; fields: string[]; outcome: string; remote: Array<{ title: string | null }> | null };
type Item = { start: string; title: string | null; uid: string };
type Reply = { id: string; uid: string; providerEventId: string; items: Array<Conflict & Item> };
const utc = (iso: string) => ({ dateTime: iso, timeZone: 'UTC' });
const OLD = '_20270209T140000Z';
const SPAN = { start: new Date('2027-02-01T00:00:00Z'), end: new Date('2027-03-01T00:00:00Z') };

const providerInstances = (objects: Array<{ events: CanonicalEvent[] }>, uid: string) => seriesInstances(objects, uid, SPAN, startAnd('title'));

describe('Google: an old exception changed elsewhere while the hub moves its series', () => {
  const h = storeAndGoogle();

  for (const [deletePolicy, outcome, there] of [['modify-wins', 'remote', 'confirmed'], ['delete-wins', 'deleted', 'cancelled']] as const) {
    it(`${deletePolicy}: recorded as a conflict naming the occurrence; the old exception is ${there}`, async () => {
      const { store, emu: google } = h;
      const env = await googleModelEnv(google, store);
      const t = store.tenant(env.tenantId);
      const cal = env.calendars[0]!;
      const calId = (await t.calendars.get(cal))!.providerCalendarId;
      await t.sync.setPolicies(cal, { deletePolicy });
      // Another client retitles the old exception right before the hub's write of its series.
      let race: (() => void) | null = null;
      let masterId = '';
      const racing: typeof fetch = async (input, init) => {
        const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
        const url = input instanceof Request ? input.url : String(input);
        if (race && masterId && method !== 'GET' && url.includes(`/events/${masterId}`) && !url.includes(`${masterId}_`)) {
          race();
          race = null;
        }
        return fetch(input, init);
      };
      const connector = createGoogleConnector({ baseUrl: google.url, fetch: racing });
      const connect: typeof env.deps.connect = async (account) => ({ ...(await env.deps.connect(account)), connector });
      const deps = { ...env.deps, connect };
      const { app, call } = await apiOver<Reply>(env, connect);
      try {
        const push = () => settle(deps, env.tenantId, [cal]);
        const made = await call('POST', `/v1/calendars/${cal}/events`, { title: 'Standup', start: utc('2027-02-02T14:00:00Z'), end: utc('2027-02-02T15:00:00Z'), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } });
        assert.equal(made.status, 201, JSON.stringify(made.json));
        const { id, uid } = made.json;
        await push();
        masterId = (await call('GET', `/v1/events/${id}`)).json.providerEventId;
        assert.ok(masterId, 'the series is at Google');
        const moved = await call('PATCH', `/v1/events/${id}/occurrences/2027-02-09T14:00:00Z`, { start: utc('2027-02-09T18:00:00Z'), end: utc('2027-02-09T19:00:00Z') });
        assert.equal(moved.status, 200, JSON.stringify(moved.json));
        await push();
        const series = await call('PATCH', `/v1/events/${id}`, { location: 'Room 9', start: utc('2027-02-02T15:00:00Z'), end: utc('2027-02-02T16:00:00Z') });
        assert.equal(series.status, 200, JSON.stringify(series.json));
        race = () => void google.control.patchEvent(calId, `${masterId}${OLD}`, { summary: 'Standup with Ann' });
        const run = await push();
        assert.equal(race, null, 'the change at Google came before the series write');

        const old = google.control.getEvent(calId, `${masterId}${OLD}`);
        assert.equal(old.status, there, `the old exception is ${there} at Google`);
        const conflicts = (await call('GET', '/v1/conflicts')).json.items.filter((c) => c.uid === uid);
        assert.deepEqual(conflicts.map((c) => [c.policy, c.fields, c.outcome]), [[deletePolicy, ['2027-02-09T14:00:00Z:deleted'], outcome]], 'one conflict, naming the occurrence');
        assert.deepEqual(conflicts[0]!.remote?.map((e) => e.title), ['Standup with Ann'], "the conflict holds the other client's version");
        assert.ok(run.conflicts >= 1, 'the run counts it');
        await push();
        assert.deepEqual(await env.store.db.query('SELECT uid, last_error FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left to push');
        const atGoogle = providerInstances(await env.driver.list(0), uid);
        const listed = await call('GET', `/v1/calendars/${cal}/events?timeMin=${SPAN.start.toISOString()}&timeMax=${SPAN.end.toISOString()}`);
        assert.deepEqual(listed.json.items.filter((i) => i.uid === uid).map((i) => `${new Date(i.start).toISOString()} ${i.title}`), atGoogle, 'the hub lists what Google shows');
        const kept = deletePolicy === 'modify-wins' ? ['2027-02-09T18:00:00.000Z Standup with Ann'] : [];
        assert.deepEqual(atGoogle, ['2027-02-02T15:00:00.000Z Standup', ...kept, '2027-02-09T19:00:00.000Z Standup', '2027-02-16T15:00:00.000Z Standup', '2027-02-23T15:00:00.000Z Standup'], "the occurrence moved with the series, and the other client's version only where it stands");
      } finally {
        await app.close();
      }
    });
  }
});
