import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { composeWebhooks, webhookDeliveries } from '../shared/store/index.ts';
import { at, call, json, startTestApi, type TestApi } from './test-support.ts';

type Endpoint = { id: string; url: string; events: string[]; status: string; disabledReason: string | null; secret?: string };

describe('webhook endpoints API', () => {
  let api: TestApi;
  let strict: TestApi;

  before(async () => {
    api = await startTestApi();
    // As in production: https only, no private addresses (resolution injected: no network in unit tests).
    const dnsError = (code: string) => Object.assign(new Error(`getaddrinfo ${code} x`), { code });
    const resolver = async (host: string) => {
      if (host === 'flaky.example.com') throw dnsError('EAI_AGAIN');
      if (host === 'nowhere.example.com') throw dnsError('ENOTFOUND');
      return [{ address: host === 'hooks.example.com' ? '93.184.216.34' : '10.0.0.7', family: 4 }];
    };
    strict = await startTestApi({}, { allowPrivateNetworks: false, resolver });
  });
  after(async () => {
    await api.close();
    await strict.close();
  });

  it('registers an endpoint: the secret is in the answer once, stored encrypted, never listed', async () => {
    const r = await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['event.created', 'account.needs_reauth'], description: 'app' } });
    assert.equal(r.statusCode, 201, r.body);
    const e = json<Endpoint>(r);
    assert.match(e.secret!, /^whsec_/);
    assert.equal(e.status, 'active');
    const stored = await api.store.db.query<{ secret: string }>('SELECT secret FROM webhook_endpoints WHERE id = $1', [e.id]);
    assert.ok(!stored[0]!.secret.includes(e.secret!.slice(6)), 'stored in the clear');
    const listed = await call(api, 'GET', '/v1/webhooks');
    assert.ok(!listed.body.includes(e.secret!.slice(6)));
    assert.deepEqual(json<{ items: Endpoint[] }>(listed).items.map((x) => x.id), [e.id]);
    assert.equal(json<Endpoint>(await call(api, 'GET', `/v1/webhooks/${e.id}`)).url, 'http://127.0.0.1:9/hook');
    // Another tenant sees nothing of it.
    assert.equal((await call(api, 'GET', `/v1/webhooks/${e.id}`, { key: api.b.key })).statusCode, 404);
    assert.equal((await call(api, 'DELETE', `/v1/webhooks/${e.id}`, { key: api.b.key })).statusCode, 404);
  });

  it('refuses unknown event types and bad URLs with 400', async () => {
    const bad = await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/h', events: ['event.exploded'] } });
    assert.equal(bad.statusCode, 400);
    assert.equal((await call(api, 'POST', '/v1/webhooks', { body: { url: 'not a url', events: ['*'] } })).statusCode, 400);
    assert.equal((await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://u:p@127.0.0.1/h', events: ['*'] } })).statusCode, 400);
  });

  it('outside development: https only, and no host that resolves to a private address', async () => {
    const http = await call(strict, 'POST', '/v1/webhooks', { key: strict.a.key, body: { url: 'http://hooks.example.com/h', events: ['*'] } });
    assert.equal(http.statusCode, 400);
    assert.match(json<{ error: { message: string } }>(http).error.message, /https/);
    const priv = await call(strict, 'POST', '/v1/webhooks', { key: strict.a.key, body: { url: 'https://internal.example.com/h', events: ['*'] } });
    assert.equal(priv.statusCode, 400);
    assert.match(json<{ error: { message: string } }>(priv).error.message, /private/);
    assert.doesNotMatch(priv.body, /10\.0\.0\.7/, 'the internal address it resolved to is not told');
    const flaky = await call(strict, 'POST', '/v1/webhooks', { key: strict.a.key, body: { url: 'https://flaky.example.com/h', events: ['*'] } });
    assert.deepEqual([flaky.statusCode, json<{ error: { code: string } }>(flaky).error.code], [503, 'DNS_UNAVAILABLE'], 'a resolver that failed now is no verdict on the URL');
    const nowhere = await call(strict, 'POST', '/v1/webhooks', { key: strict.a.key, body: { url: 'https://nowhere.example.com/h', events: ['*'] } });
    assert.equal(nowhere.statusCode, 400);
    assert.match(nowhere.body, /nowhere\.example\.com does not resolve/);
    const literal = await call(strict, 'POST', '/v1/webhooks', { key: strict.a.key, body: { url: 'https://169.254.169.254/latest', events: ['*'] } });
    assert.equal(literal.statusCode, 400);
    const ok = await call(strict, 'POST', '/v1/webhooks', { key: strict.a.key, body: { url: 'https://hooks.example.com/h', events: ['*'] } });
    assert.equal(ok.statusCode, 201, ok.body);
  });

  it('changes, disables and re-enables, rotates the secret (old one valid 24 h), removes', async () => {
    const e = json<Endpoint>(await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/h2', events: ['*'] } }));
    const patched = json<Endpoint>(await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { events: ['sync.failed'], enabled: false } }));
    assert.deepEqual(patched.events, ['sync.failed']);
    assert.equal(patched.status, 'disabled');
    assert.equal(patched.disabledReason, 'disabled by the tenant');
    assert.equal(json<Endpoint>(await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: true } })).disabledReason, null);
    assert.equal((await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: {} })).statusCode, 400);
    const rot = await call(api, 'POST', `/v1/webhooks/${e.id}/rotate-secret`);
    assert.equal(rot.statusCode, 200, rot.body);
    const r = json<{ secret: string; previousSecretValidUntil: string }>(rot);
    assert.notEqual(r.secret, e.secret);
    const hours = (Date.parse(r.previousSecretValidUntil) - Date.now()) / 3_600_000;
    assert.ok(hours > 23.9 && hours <= 24, `old secret valid for ${hours} h`);
    assert.deepEqual(json<{ items: unknown[] }>(await call(api, 'GET', `/v1/webhooks/${e.id}/deliveries`)).items, []);
    assert.equal(json<{ messages: number }>(await call(api, 'POST', `/v1/webhooks/${e.id}/replay`, { body: { since: '2026-01-01T00:00:00Z' } })).messages, 0);
    assert.equal((await call(api, 'POST', `/v1/webhooks/${e.id}/replay`, { body: { since: 'yesterday' } })).statusCode, 400);
    assert.equal((await call(api, 'DELETE', `/v1/webhooks/${e.id}`)).statusCode, 204);
    assert.equal((await call(api, 'GET', `/v1/webhooks/${e.id}`)).statusCode, 404);
  });

  it('a second rotation inside the 24 h overlap is refused (409, naming when), keeping both secrets; force rotates and ends the older one', async () => {
    const e = json<Endpoint>(await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/rot', events: ['*'] } }));
    const stored = async () => (await api.store.tenant(api.a.id).webhooks.secrets(e.id))!;
    assert.equal(json<{ previousSecretValidUntil: string | null }>(await call(api, 'GET', `/v1/webhooks/${e.id}`)).previousSecretValidUntil, null, 'no rotation: only the current secret signs');
    const first = json<{ secret: string; previousSecretValidUntil: string }>(await call(api, 'POST', `/v1/webhooks/${e.id}/rotate-secret`));
    const shown = json<{ previousSecretValidUntil: string | null }>(await call(api, 'GET', `/v1/webhooks/${e.id}`));
    assert.equal(shown.previousSecretValidUntil, first.previousSecretValidUntil, 'the endpoint says how long the replaced secret still signs');
    const afterFirst = await stored();
    const again = await call(api, 'POST', `/v1/webhooks/${e.id}/rotate-secret`, { body: {} });
    assert.equal(again.statusCode, 409, again.body);
    const err = json<{ error: { code: string; message: string } }>(again).error;
    assert.equal(err.code, 'WEBHOOK_ROTATION_IN_PROGRESS');
    assert.ok(err.message.includes(first.previousSecretValidUntil), err.message);
    assert.ok(!again.body.includes('whsec_'), 'no secret in the refusal');
    // Nothing changed: the original secret still signs until its promised end, beside the new one.
    assert.deepEqual(await stored(), afterFirst);
    const forced = await call(api, 'POST', `/v1/webhooks/${e.id}/rotate-secret`, { body: { force: true } });
    assert.equal(forced.statusCode, 200, forced.body);
    const afterForce = await stored();
    assert.equal(afterForce.previousSecret, afterFirst.secret, 'the secret it replaces overlaps; the original is gone');
    // Once the window is over a rotation needs no force.
    await api.store.db.query("UPDATE webhook_endpoints SET previous_secret_until = now() - interval '1 second' WHERE id = $1", [e.id]);
    assert.equal(json<{ previousSecretValidUntil: string | null }>(await call(api, 'GET', `/v1/webhooks/${e.id}`)).previousSecretValidUntil, null, 'an overlap that ended is not shown');
    assert.equal((await call(api, 'POST', `/v1/webhooks/${e.id}/rotate-secret`)).statusCode, 200);
    assert.equal((await call(api, 'POST', `/v1/webhooks/${e.id}/rotate-secret`, { body: { force: 'yes' } })).statusCode, 400);
    assert.equal((await call(api, 'POST', `/v1/webhooks/nope/rotate-secret`, { body: { force: true } })).statusCode, 404);
  });

  it('retire-previous-secret ends the rotation overlap now: only the current secret signs, and a rotation needs no force', async () => {
    const e = json<Endpoint>(await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/retire', events: ['*'] } }));
    const stored = async () => (await api.store.tenant(api.a.id).webhooks.secrets(e.id))!;
    type Retired = { id: string; retired: boolean; wouldHaveSignedUntil: string | null };
    const none = await call(api, 'POST', `/v1/webhooks/${e.id}/retire-previous-secret`);
    assert.equal(none.statusCode, 200, none.body);
    assert.deepEqual(json<Retired>(none), { id: e.id, retired: false, wouldHaveSignedUntil: null }, 'nothing to retire is no error');
    const rotated = json<{ previousSecretValidUntil: string }>(await call(api, 'POST', `/v1/webhooks/${e.id}/rotate-secret`));
    const current = (await stored()).secret;
    assert.ok((await stored()).previousSecret, 'the replaced secret signs during the overlap');
    const r = await call(api, 'POST', `/v1/webhooks/${e.id}/retire-previous-secret`, { body: {} });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(json<Retired>(r), { id: e.id, retired: true, wouldHaveSignedUntil: rotated.previousSecretValidUntil });
    assert.ok(!r.body.includes('whsec_'), 'no secret in the answer');
    const after = await stored();
    assert.deepEqual([after.secret, after.previousSecret, after.previousSecretUntil], [current, null, null]);
    assert.equal((await call(api, 'POST', `/v1/webhooks/${e.id}/rotate-secret`)).statusCode, 200, 'no overlap left: a rotation needs no force');
    // An overlap already over is retired silently: retired false.
    await api.store.db.query("UPDATE webhook_endpoints SET previous_secret_until = now() - interval '1 second' WHERE id = $1", [e.id]);
    assert.equal(json<Retired>(await call(api, 'POST', `/v1/webhooks/${e.id}/retire-previous-secret`)).retired, false);
    assert.equal((await call(api, 'POST', `/v1/webhooks/${e.id}/retire-previous-secret`, { body: { force: true } })).statusCode, 400);
    assert.equal((await call(api, 'POST', '/v1/webhooks/nope/retire-previous-secret')).statusCode, 404);
    assert.equal((await call(api, 'DELETE', `/v1/webhooks/${e.id}`)).statusCode, 204);
  });

  it('a test send answers whether the endpoint is disabled after it', async () => {
    const e = json<Endpoint>(await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/test-send', events: ['*'] } }));
    const r = await call(api, 'POST', `/v1/webhooks/${e.id}/test`);
    assert.equal(r.statusCode, 200, r.body);
    const t = json<{ ok: boolean; status: number | null; endpointDisabled: boolean; disabledReason: string | null }>(r);
    assert.deepEqual([t.ok, t.status, t.endpointDisabled, t.disabledReason], [false, null, false, null], 'no answer at all disables nothing');
    assert.equal((await call(api, 'DELETE', `/v1/webhooks/${e.id}`)).statusCode, 204);
  });

  it('an endpoint shows what it receives, its health and the messages it owes, in every answer', async () => {
    type Shown = Endpoint & { allEvents: boolean; pendingMessages: number; pendingMessagesCapped: boolean; health: { state: string; failingSince: string | null; consecutiveFailures: number; nextRetryAt: string | null; lastErrorStatus: number | null; lastError: string | null } };
    const made = await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/health', events: ['*'] } });
    const e = json<Shown>(made);
    assert.deepEqual([e.events, e.allEvents], [['*'], true]);
    assert.deepEqual([e.health.state, e.health.consecutiveFailures, e.pendingMessages, e.pendingMessagesCapped], ['healthy', 0, 0, false]);
    for (const title of ['one', 'two']) {
      assert.equal((await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body: { title, start: at('2026-11-12T09:00:00Z'), end: at('2026-11-12T10:00:00Z') } })).statusCode, 201);
    }
    await composeWebhooks(api.store.db, { now: new Date() });
    const retry = new Date(Date.now() + 60_000);
    await webhookDeliveries.endpointFailed(api.store.db, e.id, new Date(), new Date(), { status: 500, error: 'HTTP 500: password=hunter2' }, () => 60_000);
    const one = json<Shown>(await call(api, 'GET', `/v1/webhooks/${e.id}`));
    assert.equal(one.health.state, 'failing');
    assert.equal(one.health.consecutiveFailures, 1);
    assert.ok(one.health.failingSince);
    assert.ok(Math.abs(Date.parse(one.health.nextRetryAt!) - retry.getTime()) < 5_000, one.health.nextRetryAt!);
    assert.deepEqual([one.health.lastErrorStatus, one.health.lastError], [500, 'HTTP 500']);
    assert.ok(one.pendingMessages >= 2, String(one.pendingMessages));
    const listed = json<{ items: Shown[] }>(await call(api, 'GET', '/v1/webhooks')).items.find((x) => x.id === e.id)!;
    assert.deepEqual([listed.health, listed.pendingMessages, listed.allEvents], [one.health, one.pendingMessages, true]);
    assert.doesNotMatch(JSON.stringify(listed), /hunter2/);
    // The count is bounded: a cap below the backlog answers the cap.
    const capped = await api.store.tenant(api.a.id).webhooks.owedCounts([e.id], 1);
    assert.equal(capped.get(e.id), 1);
    assert.equal((await call(api, 'DELETE', `/v1/webhooks/${e.id}`)).statusCode, 204);
  });

  it('re-enabled, an endpoint is owed the changes made while it was disabled, once', async () => {
    const e = json<Endpoint>(await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/h3', events: ['event.created'] } }));
    const owed = async () => json<{ items: Array<{ type: string; payload: { data: { title?: string } } }> }>(await call(api, 'GET', `/v1/webhooks/${e.id}/deliveries`)).items;
    assert.equal((await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: false } })).statusCode, 200);
    const made = await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body: { title: 'While disabled', start: at('2026-11-10T09:00:00Z'), end: at('2026-11-10T10:00:00Z') } });
    assert.equal(made.statusCode, 201, made.body);
    await composeWebhooks(api.store.db, { now: new Date() });
    assert.deepEqual(await owed(), [], 'a disabled endpoint is made no delivery');
    assert.equal((await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: true } })).statusCode, 200);
    assert.equal((await owed()).length, 1, 'the change made while disabled is owed once enabled');
    assert.equal((await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: true } })).statusCode, 200);
    assert.equal((await owed()).length, 1, 'enabling an active endpoint owes nothing more');
    assert.equal((await call(api, 'DELETE', `/v1/webhooks/${e.id}`)).statusCode, 204);
  });

  it('messages queued behind a head in backoff show the head\'s next attempt; re-enabling makes the head due now', async () => {
    const e = json<Endpoint>(await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/h4', events: ['event.created'] } }));
    type Delivery = { messageId: string; seq?: number; status: string; nextAttemptAt: string | null };
    const log = async () => json<{ items: Delivery[] }>(await call(api, 'GET', `/v1/webhooks/${e.id}/deliveries`)).items;
    for (const title of ['head', 'behind 1', 'behind 2']) {
      const made = await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body: { title, start: at('2026-11-10T09:00:00Z'), end: at('2026-11-10T10:00:00Z') } });
      assert.equal(made.statusCode, 201, made.body);
    }
    await composeWebhooks(api.store.db, { now: new Date() });
    const rows = await api.store.db.query<{ message_seq: string }>("SELECT message_seq FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY message_seq", [e.id]);
    assert.equal(rows.length, 3);
    // The head failed and backs off for 40 s; the two behind it cannot go before it.
    const retry = new Date(Date.now() + 40_000);
    await webhookDeliveries.markFailed(api.store.db, e.id, rows[0]!.message_seq, new Date(), { status: 500, error: 'HTTP 500', latencyMs: 3 }, retry);
    const items = await log();
    assert.equal(items.length, 3);
    for (const d of items) assert.equal(d.nextAttemptAt, retry.toISOString(), `${d.messageId}: ${d.nextAttemptAt}`);
    // Disabled and enabled again: the head is tried now, not at its scheduled retry.
    assert.equal((await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: false } })).statusCode, 200);
    const before = Date.now();
    assert.equal((await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: true } })).statusCode, 200);
    const due = await webhookDeliveries.dueStreams(api.store.db, new Date());
    assert.ok(due.some((s) => s.endpointId === e.id), 'the stream is due at once');
    for (const d of await log()) assert.ok(Date.parse(d.nextAttemptAt!) <= Date.now() && Date.parse(d.nextAttemptAt!) >= before - 1000, `${d.messageId}: ${d.nextAttemptAt}`);
    assert.equal((await call(api, 'DELETE', `/v1/webhooks/${e.id}`)).statusCode, 204);
  });

  it('a change made just before a disable and composed while disabled is owed when the endpoint is enabled again', async () => {
    const e = json<Endpoint>(await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/h5', events: ['event.created'] } }));
    await composeWebhooks(api.store.db, { now: new Date() });
    // Made while the endpoint is active; the compose loop (every 100 ms) has not got to it yet when the endpoint is disabled.
    const made = await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body: { title: 'lagging', start: at('2026-11-11T09:00:00Z'), end: at('2026-11-11T10:00:00Z') } });
    assert.equal(made.statusCode, 201, made.body);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal((await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: false } })).statusCode, 200);
    await composeWebhooks(api.store.db, { now: new Date() });
    assert.equal((await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: true } })).statusCode, 200);
    const owed = await api.store.db.query<{ type: string }>('SELECT m.type FROM webhook_deliveries d JOIN webhook_messages m ON m.seq = d.message_seq WHERE d.endpoint_id = $1', [e.id]);
    assert.deepEqual(owed.map((r) => r.type), ['event.created'], 'the message composed while the endpoint was disabled is owed to it once');
    assert.equal((await call(api, 'DELETE', `/v1/webhooks/${e.id}`)).statusCode, 204);
  });

  it('disabling an endpoint that is already disabled keeps the first disable\'s time and reason', async () => {
    const e = json<Endpoint>(await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/h6', events: ['event.created'] } }));
    const first = json<Endpoint & { disabledAt: string }>(await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: false } }));
    assert.ok(first.disabledAt);
    await new Promise((r) => setTimeout(r, 20));
    const again = json<Endpoint & { disabledAt: string }>(await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: false, description: 'still off' } }));
    assert.deepEqual([again.status, again.disabledAt, again.disabledReason], ['disabled', first.disabledAt, 'disabled by the tenant']);
    // Disabled by the dispatcher at the end of the retry window: a later PATCH enabled=false keeps that reason and time.
    await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: true } });
    const failedAt = new Date(Date.now() - 60_000);
    await webhookDeliveries.disableEndpoint(api.store.db, e.id, 'failing for 3 days', failedAt);
    const kept = json<Endpoint & { disabledAt: string }>(await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: false } }));
    assert.deepEqual([kept.disabledAt, kept.disabledReason], [failedAt.toISOString(), 'failing for 3 days']);
    await webhookDeliveries.disableEndpoint(api.store.db, e.id, 'failing again', new Date());
    const still = json<Endpoint & { disabledAt: string }>(await call(api, 'GET', `/v1/webhooks/${e.id}`));
    assert.deepEqual([still.disabledAt, still.disabledReason], [failedAt.toISOString(), 'failing for 3 days']);
    assert.equal((await call(api, 'DELETE', `/v1/webhooks/${e.id}`)).statusCode, 204);
  });

  it('enabled again, an endpoint is owed what its subscription covered when each message was composed', async () => {
    const e = json<Endpoint>(await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/h7', events: ['event.created'] } }));
    const event = async (title: string, day: string) => {
      const made = await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body: { title, start: at(`2026-11-${day}T09:00:00Z`), end: at(`2026-11-${day}T10:00:00Z`) } });
      assert.equal(made.statusCode, 201, made.body);
      await composeWebhooks(api.store.db, { now: new Date() });
      return json<{ id: string }>(made).id;
    };
    await composeWebhooks(api.store.db, { now: new Date() });
    assert.equal((await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: false } })).statusCode, 200);
    // Subscribed to event.created only: a creation is owed, the update of it is not.
    const id = await event('before widening', '12');
    assert.equal((await call(api, 'PATCH', `/v1/events/${id}`, { body: { title: 'updated before widening' } })).statusCode, 200);
    await composeWebhooks(api.store.db, { now: new Date() });
    // Widened while disabled: from now on updates are covered too, not the ones composed before.
    assert.equal((await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { events: ['event.created', 'event.updated'] } })).statusCode, 200);
    assert.equal((await call(api, 'PATCH', `/v1/events/${id}`, { body: { title: 'updated after widening' } })).statusCode, 200);
    await composeWebhooks(api.store.db, { now: new Date() });
    // Narrowed while disabled (creations dropped): a creation composed after that is not owed, the one before still is.
    assert.equal((await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { events: ['event.updated'] } })).statusCode, 200);
    await event('after narrowing', '13');
    assert.equal((await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: true } })).statusCode, 200);
    const owed = await api.store.db.query<{ type: string; title: string }>(
      `SELECT m.type, m.payload->'data'->'event'->>'title' AS title FROM webhook_deliveries d JOIN webhook_messages m ON m.seq = d.message_seq WHERE d.endpoint_id = $1 ORDER BY m.seq`,
      [e.id],
    );
    assert.deepEqual(owed.map((r) => `${r.type} ${r.title}`), ['event.created before widening', 'event.updated updated after widening']);
    // Disabled and enabled again later: the type history of the earlier disabled time plays no part.
    assert.equal((await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: false } })).statusCode, 200);
    await event('second time', '14');
    assert.equal((await call(api, 'PATCH', `/v1/events/${id}`, { body: { title: 'updated second time' } })).statusCode, 200);
    await composeWebhooks(api.store.db, { now: new Date() });
    assert.equal((await call(api, 'PATCH', `/v1/webhooks/${e.id}`, { body: { enabled: true } })).statusCode, 200);
    const owed2 = await api.store.db.query<{ n: string }>('SELECT count(*)::text AS n FROM webhook_deliveries WHERE endpoint_id = $1', [e.id]);
    assert.equal(owed2[0]!.n, '3');
    assert.equal((await call(api, 'DELETE', `/v1/webhooks/${e.id}`)).statusCode, 204);
  });

  it('the OpenAPI document carries every payload schema', async () => {
    const doc = json<{ components: { schemas: Record<string, { properties: { type: { enum: string[] } } }> } }>(await call(api, 'GET', '/openapi.json', { key: null }));
    for (const t of ['event.created', 'event.updated', 'event.deleted', 'calendar.created', 'calendar.updated', 'calendar.deleted', 'account.connected', 'account.needs_reauth', 'account.disconnected', 'sync.failed', 'sync.recovered', 'conflict.parked', 'conflict.recorded']) {
      const s = doc.components.schemas[`Webhook_${t.replace('.', '_')}`];
      assert.ok(s, `no schema for ${t}`);
      assert.deepEqual(s.properties.type.enum, [t]);
    }
  });
});
