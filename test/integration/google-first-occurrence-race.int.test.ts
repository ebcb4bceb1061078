/**
 * The hub's first write of one occurrence of a Google series (the write that makes it an
 * exception) carried no If-Match: a change made at Google to that occurrence between the hub's
 * read and its write was overwritten. Now it is written on the instance's etag; the 412 sends the
 * push to read the occurrence and merge, as for any other write. Against the Google emulator,
 * with the change made by another client just before the hub's write reaches Google.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGoogleConnector } from '../../connectors/google/index.ts';
import { parseEvent } from '../../shared/model/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { apiOver } from '../support/api-over.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { storeAndGoogle } from '../support/emulator-store.ts';

describe('Google: the first write of an occurrence is conditional', () => {
  const h = storeAndGoogle();

  it('a title changed at Google while the hub writes a new place for the occurrence: both kept, none overwritten', async () => {
    const { store, emu: google } = h;
    const env = await googleModelEnv(google, store);
    const t = store.tenant(env.tenantId);
    const cal = env.calendars[0]!;
    const calId = (await t.calendars.get(cal))!.providerCalendarId;
    const at = (day: string, h = 9) => ({ dateTime: `2026-06-${day}T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
    await env.driver.put(0, null, [parseEvent({ uid: 'weekly@other', title: 'Weekly', start: at('01'), end: at('01', 10), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } })]);
    await settle(env.deps, env.tenantId, [cal]);
    const master = (await t.events.list(cal)).find((e) => e.event.recurrence)!;

    // Another client retitles the occurrence of the 8th right before the hub's write of it lands.
    let race: (() => void) | null = null;
    const racing: typeof fetch = async (input, init) => {
      const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
      const url = input instanceof Request ? input.url : String(input);
      if (race && method !== 'GET' && url.includes('_20260608T090000Z')) {
        race();
        race = null;
      }
      return fetch(input, init);
    };
    const connector = createGoogleConnector({ baseUrl: google.url, fetch: racing });
    const connect: typeof env.deps.connect = async (account) => ({ ...(await env.deps.connect(account)), connector });
    const deps = { ...env.deps, connect };
    const { app, call } = await apiOver<{ id: string }>(env, connect);
    try {
      const r = await call('PATCH', `/v1/events/${master.id}/occurrences/${encodeURIComponent('2026-06-08T09:00:00Z')}`, { location: 'Room 9' });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      race = () => void google.control.patchEvent(calId, `${master.event.providerEventId}_20260608T090000Z`, { summary: 'Weekly (moved room)' });
      await settle(deps, env.tenantId, [cal]);
      assert.equal(race, null, 'the change at Google came before the write');
    } finally {
      await app.close();
    }
    const there = google.control.listStoredEvents(calId).map((e) => e.event).find((e) => e.id.endsWith('_20260608T090000Z'));
    assert.ok(there, 'the occurrence is an exception at Google');
    assert.deepEqual([there.summary, there.location], ['Weekly (moved room)', 'Room 9'], "Google's title and the hub's place");
    const stored = (await t.events.list(cal)).find((e) => e.event.originalStart && 'dateTime' in e.event.originalStart && e.event.originalStart.dateTime === '2026-06-08T09:00:00Z');
    assert.deepEqual([stored?.event.title, stored?.event.location], ['Weekly (moved room)', 'Room 9'], 'the hub holds what Google holds');
  });
});
