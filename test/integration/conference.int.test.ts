/**
 * `?conference=auto` on an API write: the push asks the provider for its own video conference —
 * a Google Meet (conferenceData.createRequest with conferenceDataVersion=1), a Microsoft Teams
 * meeting (isOnlineMeeting) — and its link comes back as conferenceUrl. Later writes keep it;
 * CalDAV, which has no conference service, is refused before anything is written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { settle } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { startProviders, type Providers } from '../support/providers.ts';
import { apiOver as apiOverEnv } from '../support/api-over.ts';
import { davModelEnv } from '../support/dav-model-env.ts';

// The answers' shapes are the API's; these tests read a few fields of them.
type Reply = { id: string; conferenceUrl: string | null; title: string; error: { code: string; message: string } };

const apiOver = (env: ModelEnv) => apiOverEnv<Reply>(env);

const slot = (title: string, day: string) => ({ title, start: { dateTime: `${day}T10:00:00Z`, timeZone: 'UTC' }, end: { dateTime: `${day}T11:00:00Z`, timeZone: 'UTC' } });

describe('conference=auto on event writes', () => {
  let p: Providers;
  before(async () => (p = await startProviders()));
  after(() => p.stop());

  it('Google: a booking gets a Meet, an edit keeps it, an existing event gets one by PATCH, a calendar without Meet parks the write', async () => {
    const env = await googleModelEnv(p.google, p.store);
    const { app, call } = await apiOver(env);
    const [cal, other] = env.calendars;
    const push = (c = cal!) => settle(env.deps, env.tenantId, [c]);
    const made = await call('POST', `/v1/calendars/${cal}/events?conference=auto`, slot('Intro call', '2026-12-14'));
    assert.equal(made.status, 201, JSON.stringify(made.json));
    assert.equal(made.json.conferenceUrl, null, 'made by the provider, with the push');
    await push();
    const booked = (await call('GET', `/v1/events/${made.json.id}`)).json;
    assert.match(booked.conferenceUrl ?? '', /^https:\/\/meet\.google\.com\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    const writes = p.google.control.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/events'));
    assert.equal(writes.at(-1)?.query?.conferenceDataVersion, '1');

    assert.equal((await call('PATCH', `/v1/events/${made.json.id}`, { title: 'Intro call (moved)' })).status, 200);
    await push();
    const edited = (await call('GET', `/v1/events/${made.json.id}`)).json;
    assert.equal(edited.conferenceUrl, booked.conferenceUrl, 'an edit without the ask keeps the Meet');
    assert.equal(edited.title, 'Intro call (moved)');

    const plain = await call('POST', `/v1/calendars/${cal}/events`, slot('Later', '2026-12-15'));
    await push();
    assert.equal((await call('GET', `/v1/events/${plain.json.id}`)).json.conferenceUrl, null);
    assert.equal((await call('PATCH', `/v1/events/${plain.json.id}?conference=auto`, {})).status, 200);
    await push();
    assert.match((await call('GET', `/v1/events/${plain.json.id}`)).json.conferenceUrl ?? '', /^https:\/\/meet\.google\.com\//, 'added to an existing event');

    // A calendar where Meet is turned off: Google refuses the request, the write parks with its message.
    const providerCal = (await p.store.tenant(env.tenantId).calendars.get(other!))!.providerCalendarId;
    p.google.control.setConferenceTypes(providerCal, []);
    const refused = await call('POST', `/v1/calendars/${other}/events?conference=auto`, slot('No Meet here', '2026-12-16'));
    assert.equal(refused.status, 201);
    for (let i = 0; i < 3; i += 1) await push(other).catch(() => undefined);
    const pending = (await call('GET', `/v1/calendars/${other}/writes`)).json as unknown as { items: Array<{ state: string; message: string | null; conference: boolean }> };
    assert.equal(pending.items.length, 1);
    assert.equal(pending.items[0]!.conference, true, 'the writes view says the change asks for a conference');
    assert.match(pending.items[0]!.message ?? '', /Invalid conference type value/);
    // The next edit, which does not ask for one, is written: the refused ask is not repeated.
    assert.equal((await call('PATCH', `/v1/events/${refused.json.id}`, { title: 'No Meet here (plain)' })).status, 200);
    await push(other);
    const after = (await call('GET', `/v1/calendars/${other}/writes`)).json as unknown as { items: unknown[] };
    assert.deepEqual(after.items, []);
    assert.deepEqual(p.google.control.listStoredEvents(providerCal).map((e) => [e.event.summary, e.event.hangoutLink ?? null]), [['No Meet here (plain)', null]]);
    await app.close();
  });

  it('Microsoft 365: a booking gets a Teams meeting, kept by an edit', async () => {
    const env = await microsoftModelEnv(p.ms, p.store);
    const { app, call } = await apiOver(env);
    const cal = env.calendars[0]!;
    const made = await call('POST', `/v1/calendars/${cal}/events?conference=auto&sendUpdates=none`, slot('Teams call', '2026-12-14'));
    assert.equal(made.status, 201, JSON.stringify(made.json));
    await settle(env.deps, env.tenantId, [cal]);
    const booked = (await call('GET', `/v1/events/${made.json.id}`)).json;
    assert.match(booked.conferenceUrl ?? '', /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    assert.equal((await call('PATCH', `/v1/events/${made.json.id}`, { title: 'Teams call (agenda)' })).status, 200);
    await settle(env.deps, env.tenantId, [cal]);
    assert.equal((await call('GET', `/v1/events/${made.json.id}`)).json.conferenceUrl, booked.conferenceUrl);
    await app.close();
  });

  it('CalDAV: refused with 400 CONFERENCE_UNSUPPORTED before anything is written; a misspelt value is 400 too', async () => {
    const env = await davModelEnv(p.radicale, p.store);
    const { app, call } = await apiOver(env);
    const cal = env.calendars[0]!;
    const r = await call('POST', `/v1/calendars/${cal}/events?conference=auto`, slot('On DAV', '2026-12-14'));
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'CONFERENCE_UNSUPPORTED');
    assert.match(r.json.error.message, /caldav.*conferenceUrl/);
    assert.deepEqual(await p.store.tenant(env.tenantId).events.list(cal), [], 'nothing was stored');
    const bad = await call('POST', `/v1/calendars/${cal}/events?conference=meet`, slot('On DAV', '2026-12-14'));
    assert.equal(bad.status, 400);
    assert.match(bad.json.error.message, /conference.*auto/);
    await app.close();
  });
});
