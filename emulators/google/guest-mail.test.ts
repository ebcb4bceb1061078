import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startEnv, timed, type TestEnv } from './test-support.ts';

describe('google emulator: guests are mailed by sendUpdates (A.4)', () => {
  let env: TestEnv;
  const base = () => `/calendar/v3/calendars/${encodeURIComponent(env.calId)}/events`;
  const mail = () => env.emu.control.guestMail().map((m) => `${m.kind} ${m.to}`);
  const guests = (...emails: string[]) => ({ attendees: [{ email: env.email }, ...emails.map((email) => ({ email }))] });
  before(async () => {
    env = await startEnv();
    env.emu.control.createUser({ email: 'grace@example.com', timeZone: 'UTC' });
  });
  after(() => env.emu.close());
  beforeEach(() => env.emu.control.clearGuestMail());

  it('without sendUpdates (the default) nobody is mailed; sendNotifications=true is all', async () => {
    const r = await env.call(base(), { method: 'POST', body: timed('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z', guests('bob@outside.test')) });
    assert.equal(r.status, 200);
    assert.deepEqual(mail(), []);
    await env.call(`${base()}/${r.json.id}?sendNotifications=true`, { method: 'PATCH', body: { summary: 'moved' } });
    assert.deepEqual(mail(), ['update bob@outside.test']);
  });

  it('all mails every guest but the owner; externalOnly skips Google users; removed guests get the cancellation', async () => {
    const r = await env.call(`${base()}?sendUpdates=all`, { method: 'POST', body: timed('2026-03-03T10:00:00Z', '2026-03-03T11:00:00Z', guests('bob@outside.test', 'grace@example.com')) });
    assert.deepEqual(mail().sort(), ['invitation bob@outside.test', 'invitation grace@example.com']);
    env.emu.control.clearGuestMail();
    await env.call(`${base()}/${r.json.id}?sendUpdates=externalOnly`, { method: 'PATCH', body: guests('grace@example.com', 'carol@outside.test') });
    assert.deepEqual(mail().sort(), ['cancellation bob@outside.test', 'invitation carol@outside.test']);
    env.emu.control.clearGuestMail();
    await env.call(`${base()}/${r.json.id}?sendUpdates=none`, { method: 'PATCH', body: { summary: 'quiet' } });
    assert.deepEqual(mail(), []);
    await env.call(`${base()}/${r.json.id}?sendUpdates=all`, { method: 'DELETE' });
    assert.deepEqual(mail().sort(), ['cancellation carol@outside.test', 'cancellation grace@example.com']);
  });

  it('one instance of a series written or cancelled mails for that instance', async () => {
    const m = await env.call(base(), { method: 'POST', body: timed('2026-03-09T09:00:00Z', '2026-03-09T09:30:00Z', { recurrence: ['RRULE:FREQ=DAILY;COUNT=3'], ...guests('bob@outside.test') }) });
    const inst = (await env.call(`${base()}/${m.json.id}/instances`)).json.items;
    await env.call(`${base()}/${inst[1].id}?sendUpdates=all`, { method: 'DELETE' });
    assert.deepEqual(env.emu.control.guestMail().map((x) => [x.eventId, x.kind, x.to]), [[inst[1].id, 'cancellation', 'bob@outside.test']]);
  });

  it('a value Google does not know is 400 naming the parameter, and nothing is written', async () => {
    const before = env.emu.control.listStoredEvents(env.calId).length;
    const r = await env.call(`${base()}?sendUpdates=everyone`, { method: 'POST', body: timed('2026-03-04T10:00:00Z', '2026-03-04T11:00:00Z') });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.errors[0].location, 'sendUpdates');
    assert.equal(env.emu.control.listStoredEvents(env.calId).length, before);
  });
});
