/**
 * Switching a calendar's sync off while a parked delete waits (the provider refused it 3 times for
 * its content; it is offered again after a wait): switching off dropped it silently and left the
 * copy at the provider for good. It is refused with WRITES_PENDING naming the parked deletes and
 * when they are offered again; dropParkedDeletes leaves them at the provider on purpose. A change
 * still being tried refuses the switch either way (it would be lost).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { calendarsSync } from '../cli/commands/calendars.ts';
import { EXIT } from '../cli/exit-codes.ts';
import { hostedRun } from '../cli/hosted.ts';
import { call, ev, json, startTestApi, type TestApi, type TestTenant } from './test-support.ts';

type Failure = { error: { code: string; message: string } };

describe('PATCH /v1/calendars/:id syncEnabled false with a parked delete waiting', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  /** An event of the tenant's calendar written to the provider, deleted, and that delete refused 3 times for its content: parked in its wait. */
  async function parkedDelete(who: TestTenant, uid: string): Promise<void> {
    const cal = who.calendarId;
    const outbox = api.store.tenant(who.id).outbox;
    const made = await call(api, 'POST', `/v1/calendars/${cal}/events`, { key: who.key, body: ev({ uid }) });
    assert.equal(made.statusCode, 201, made.body);
    await outbox.done(cal, uid, null); // written to the provider
    assert.equal((await call(api, 'DELETE', `/v1/events/${json<{ id: string }>(made).id}`, { key: who.key })).statusCode, 204);
    // As a push leaves it (sync-engine/push.ts): refused for its content 3 times, parked for its wait.
    for (let i = 0; i < 3; i++) await outbox.failed(cal, uid, 'CONNECTOR_UNSUPPORTED: the provider refused the delete', true);
    assert.deepEqual((await outbox.pending(cal)).map((e) => e.uid), [], 'in its wait: no push offers it now');
  }

  it('is refused with WRITES_PENDING naming it; dropParkedDeletes switches off and leaves it at the provider', async () => {
    const cal = api.a.calendarId;
    const outbox = api.store.tenant(api.a.id).outbox;
    await parkedDelete(api.a, 'parked-gone');

    const refused = await call(api, 'PATCH', `/v1/calendars/${cal}`, { body: { syncEnabled: false } });
    assert.equal(refused.statusCode, 409, refused.body);
    const { error } = json<Failure>(refused);
    assert.equal(error.code, 'WRITES_PENDING');
    assert.match(error.message, /1 delete\(s\) the provider refused 3 times/);
    assert.match(error.message, /offered again from 20\d\d-/);
    assert.match(error.message, /dropParkedDeletes/);
    assert.equal((await api.store.tenant(api.a.id).calendars.get(cal))!.syncEnabled, true, 'nothing changed');

    const alone = await call(api, 'PATCH', `/v1/calendars/${cal}`, { body: { dropParkedDeletes: true } });
    assert.equal(alone.statusCode, 400, 'dropParkedDeletes goes with syncEnabled false only');

    // A change still being tried is lost by the switch: dropParkedDeletes does not drop it.
    const waiting = await call(api, 'POST', `/v1/calendars/${cal}/events`, { body: ev({ uid: 'still-tried' }) });
    assert.equal(waiting.statusCode, 201, waiting.body);
    const both = await call(api, 'PATCH', `/v1/calendars/${cal}`, { body: { syncEnabled: false, dropParkedDeletes: true } });
    assert.equal(both.statusCode, 409, both.body);
    assert.match(json<Failure>(both).error.message, /1 local change\(s\)/);
    await outbox.done(cal, 'still-tried', null);

    const off = await call(api, 'PATCH', `/v1/calendars/${cal}`, { body: { syncEnabled: false, dropParkedDeletes: true } });
    assert.equal(off.statusCode, 200, off.body);
    assert.equal(json<{ syncEnabled: boolean }>(off).syncEnabled, false);
  });

  it('calhub calendars sync off: refused the same (exit 2), naming --drop-parked-deletes; with it the calendar is switched off', async () => {
    const cal = api.b.calendarId;
    await parkedDelete(api.b, 'parked-gone-b');
    const out = { stdout: '', stderr: '' };
    const run = (flags: Record<string, unknown>) =>
      hostedRun({ hub: api.hub, write: (stream, text) => void (out[stream] += text) }, () => calendarsSync.run({ values: { tenant: api.b.id, json: true, ...flags }, positionals: [cal, 'off'] } as never));
    await assert.rejects(run({}), (e: { code?: string; message: string }) => e.code === 'WRITES_PENDING' && /--drop-parked-deletes/.test(e.message));
    assert.equal((await api.store.tenant(api.b.id).calendars.get(cal))!.syncEnabled, true);
    assert.equal(await run({ 'drop-parked-deletes': true }), EXIT.OK);
    assert.equal(JSON.parse(out.stdout).syncEnabled, false);
  });
});
