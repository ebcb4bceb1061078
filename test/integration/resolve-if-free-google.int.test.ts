/**
 * Resolving a parked conflict with `take: local` re-applies the hub's side: a reschedule answered
 * 200 with ifFree, reverted by the manual policy when the provider moved the event meanwhile. The
 * slot it wants back may have been booked since; the resolution is checked as the write was (the
 * original write's ifFree, or ifFree on the resolve) and refused with 409 SLOT_TAKEN, the conflict
 * left parked. `sendUpdates` on the resolve reaches Google, which mails the guests (emulator log).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { pushCalendar, settle } from '../../sync-engine/index.ts';
import { apiOver } from '../support/api-over.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { openTestStore } from '../support/test-store.ts';

type Reply = { id: string; outcome: string; start: { dateTime: string }; error: { code: string; message: string }; items: Array<{ id: string; outcome: string }> };

const at = (hour: number) => ({
  start: { dateTime: `2027-03-17T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' },
  end: { dateTime: `2027-03-17T${String(hour + 1).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' },
});

describe('resolving a parked reschedule with take: local', () => {
  let store: Store;
  let google: RunningGoogleEmulator;
  before(async () => {
    store = await openTestStore();
    await store.migrate();
    google = await startGoogleEmulator();
  });
  after(async () => {
    await store.close();
    await google.close();
  });

  /**
   * A booking at 09:00 with a guest, moved to 13:00 at Google and to 14:00 through the API: parked,
   * back at 13:00. `by`: the sync's pull meets the provider's move first (its plan parks it), or
   * the push does, offering the hub's change over it.
   */
  async function parkedReschedule(patchQuery: string, by: 'pull' | 'push' = 'pull') {
    const env = await googleModelEnv(google, store);
    const { app, call } = await apiOver<Reply>(env);
    const cal = env.calendars[0]!;
    await store.tenant(env.tenantId).sync.setPolicies(cal, { conflictPolicy: 'manual' });
    const sync = () => settle(env.deps, env.tenantId, [cal]);
    const booked = await call('POST', `/v1/calendars/${cal}/events?ifFree=true&sendUpdates=all`, { title: 'Intro call', ...at(9), attendees: [{ email: 'bob@outside.test' }] });
    assert.equal(booked.status, 201, JSON.stringify(booked.json));
    await sync();
    const [object] = await env.driver.list(0);
    await env.driver.put(0, object!.remoteId, object!.events.map((e) => ({ ...e, ...at(13) })));
    const moved = await call('PATCH', `/v1/events/${booked.json.id}${patchQuery}`, at(14));
    assert.equal(moved.status, 200, JSON.stringify(moved.json));
    if (by === 'push') assert.equal((await pushCalendar(env.deps, env.tenantId, cal, 'push-first')).conflicts, 1, 'the push parked it');
    await sync();
    const open = await call('GET', '/v1/conflicts?open=true');
    assert.equal(open.json.items.length, 1, 'the manual policy parked the conflict');
    assert.equal((await call('GET', `/v1/events/${booked.json.id}`)).json.start.dateTime, '2027-03-17T13:00:00Z', 'the provider side stands while parked');
    // A second invitee books 14:00, free again.
    const second = await call('POST', `/v1/calendars/${cal}/events?ifFree=true&sendUpdates=all`, { title: 'Second invitee', ...at(14) });
    assert.equal(second.status, 201, JSON.stringify(second.json));
    await sync();
    google.control.clearGuestMail();
    const mail = () => google.control.guestMail().filter((m) => m.to === 'bob@outside.test').map((m) => `${m.kind} ${m.to}`);
    return { env, app, call, sync, cal, id: booked.json.id, conflictId: open.json.items[0]!.id, second: second.json.id, mail };
  }

  it('the reschedule was written with ifFree: the resolve is refused with 409 SLOT_TAKEN and the conflict stays parked', async () => {
    const p = await parkedReschedule('?ifFree=true&sendUpdates=all');
    const r = await p.call('POST', `/v1/conflicts/${p.conflictId}/resolve`, { take: 'local' });
    assert.equal(r.status, 409, JSON.stringify(r.json));
    assert.equal(r.json.error.code, 'SLOT_TAKEN');
    assert.equal((await p.call('GET', '/v1/conflicts?open=true')).json.items.length, 1, 'still parked');
    assert.equal((await p.call('GET', `/v1/events/${p.id}`)).json.start.dateTime, '2027-03-17T13:00:00Z');
    // Once 14:00 is free again the same resolve goes through, and the guest hears of it when asked.
    assert.equal((await p.call('DELETE', `/v1/events/${p.second}`)).status, 204);
    await p.sync();
    const ok = await p.call('POST', `/v1/conflicts/${p.conflictId}/resolve?sendUpdates=all`, { take: 'local' });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    assert.equal(ok.json.outcome, 'local');
    await p.sync();
    assert.equal((await p.call('GET', `/v1/events/${p.id}`)).json.start.dateTime, '2027-03-17T14:00:00Z');
    assert.deepEqual(p.mail(), ['update bob@outside.test'], 'sendUpdates=all on the resolve mails the guest of the move');
    await p.app.close();
  });

  it("parked by the push (not the pull): the write's ifFree is kept all the same", async () => {
    const p = await parkedReschedule('?ifFree=true', 'push');
    const r = await p.call('POST', `/v1/conflicts/${p.conflictId}/resolve`, { take: 'local' });
    assert.equal(r.status, 409, JSON.stringify(r.json));
    assert.equal(r.json.error.code, 'SLOT_TAKEN');
    // take remote takes no new time: never checked.
    assert.equal((await p.call('POST', `/v1/conflicts/${p.conflictId}/resolve`, { take: 'remote' })).status, 200);
    await p.app.close();
  });

  it('a reschedule written without ifFree: ifFree=true on the resolve checks the slot; without it the resolve double-books as asked, and by default tells nobody', async () => {
    const p = await parkedReschedule('');
    const r = await p.call('POST', `/v1/conflicts/${p.conflictId}/resolve?ifFree=true`, { take: 'local' });
    assert.equal(r.status, 409, JSON.stringify(r.json));
    assert.equal(r.json.error.code, 'SLOT_TAKEN');
    assert.equal((await p.call('GET', '/v1/conflicts?open=true')).json.items.length, 1, 'still parked');
    const bad = await p.call('POST', `/v1/conflicts/${p.conflictId}/resolve?sendUpdates=everyone`, { take: 'local' });
    assert.equal(bad.status, 400, JSON.stringify(bad.json));
    // No ifFree anywhere: the hub's side is taken, double-booking on purpose; the default sendUpdates is the provider's (Google: nobody).
    const ok = await p.call('POST', `/v1/conflicts/${p.conflictId}/resolve`, { take: 'local' });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    await p.sync();
    assert.equal((await p.call('GET', `/v1/events/${p.id}`)).json.start.dateTime, '2027-03-17T14:00:00Z');
    assert.deepEqual(p.mail(), [], 'by default the resolve tells nobody, as before');
    await p.app.close();
  });
});
