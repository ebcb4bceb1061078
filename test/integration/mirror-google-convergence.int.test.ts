/**
 * A mirror copy into Google is written as Google holds it: Google marks an event busy or free
 * only, so a busy block of a tentative source came back busy, never matched the copy calhub
 * wanted (tentative), and every run of the rule wrote it again (an echo write and two
 * event.updated webhooks per run). Against the Google emulator with the real connector.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settle } from '../../sync-engine/index.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { storeAndGoogle } from '../support/emulator-store.ts';

describe('mirror copies into Google converge', () => {
  const h = storeAndGoogle();

  it('a busy block of a tentative event is written once, then left alone', async () => {
    const { store, emu: google } = h;
    const env = await googleModelEnv(google, store);
    const t = store.tenant(env.tenantId);
    const [a, b] = env.calendars as [string, string];
    const source = (await t.calendars.get(a))!.providerCalendarId;
    const target = (await t.calendars.get(b))!.providerCalendarId;
    google.control.insertEvent(source, { summary: 'Maybe lunch', status: 'tentative', start: { dateTime: '2026-12-10T12:00:00Z' }, end: { dateTime: '2026-12-10T13:00:00Z' } });
    google.control.insertEvent(source, { summary: 'Review', start: { dateTime: '2026-12-10T15:00:00Z' }, end: { dateTime: '2026-12-10T16:00:00Z' } });
    assert.ok(await t.mirror.create(a, b, { mode: 'busy-block' }));
    await settle(env.deps, env.tenantId, [a, b]);
    const copies = google.control.listStoredEvents(target).filter((e) => !e.deleted);
    assert.equal(copies.length, 2, 'both blocked');
    const writes = () => google.control.requests().filter((r) => r.method !== 'GET' && r.path.includes(`/calendars/${encodeURIComponent(target)}/events`)).length;
    const before = writes();
    for (let i = 0; i < 3; i++) await settle(env.deps, env.tenantId, [a, b]);
    assert.equal(writes(), before, 'repeated runs wrote the copies again');
    const held = (await t.events.list(b)).map((e) => e.event.availability).sort();
    assert.deepEqual(held, ['busy', 'busy'], 'as Google holds them');
  });
});
