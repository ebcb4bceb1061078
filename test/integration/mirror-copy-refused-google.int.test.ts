/**
 * A change of a copy's occurrence Google has no instance for (cancelled or deleted there, or never
 * one) is refused (404) and dropped from the copy, with one provider-cannot-restore conflict however
 * often the rule asks again. The rule said nothing of it; now its `refusals` count the copy under
 * PROVIDER_CANNOT_RESTORE, each time it is asked and refused, until the rule no longer asks for it.
 * Real connector, Google emulator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pushCalendar, settle, writeUid } from '../../sync-engine/index.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { storeAndGoogle } from '../support/emulator-store.ts';

describe("mirror: a copy's occurrence Google cannot bring back", () => {
  const h = storeAndGoogle();

  it('is counted on the rule as PROVIDER_CANNOT_RESTORE while asked for, and cleared once the rule no longer asks', async () => {
    const { store, emu: google } = h;
    const env = await googleModelEnv(google, store);
    const t = store.tenant(env.tenantId);
    const [a, b] = env.calendars as [string, string];
    const source = (await t.calendars.get(a))!.providerCalendarId;
    google.control.insertEvent(source, { summary: 'Weekly', start: { dateTime: '2026-12-07T15:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-07T16:00:00Z', timeZone: 'UTC' }, recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'] });
    const rule = (await t.mirror.create(a, b, { mode: 'busy-block' }))!;
    await settle(env.deps, env.tenantId, [a, b]);
    const [copyUid] = (await t.mirror.links(`${rule.id}>`)).values();
    assert.ok(copyUid, 'the series was copied');
    const [master] = await t.events.byUid(b, copyUid);
    // As a run asks for it: the copy with a moved occurrence at a start the series has no instance at.
    const orphan = { ...master!.event, providerEventId: null, recurrence: null, originalStart: { dateTime: '2026-12-14T14:00:00Z', timeZone: 'UTC' }, start: { dateTime: '2026-12-14T17:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-14T18:00:00Z', timeZone: 'UTC' } };
    const ask = async () => {
      const [m] = await t.events.byUid(b, copyUid);
      await writeUid(env.deps, env.tenantId, b, copyUid, [{ ...m!.event, providerEventId: m!.remoteId }, orphan]);
      await pushCalendar(env.deps, env.tenantId, b, 'run-refused');
    };
    await ask();
    const refusals = async () => (await t.refusals.byRule([rule.id])).get(rule.id) ?? [];
    assert.deepEqual((await refusals()).map((r) => [r.code, r.calendarId, r.copies, r.times]), [['PROVIDER_CANNOT_RESTORE', b, 1, 1]]);
    await ask();
    assert.deepEqual((await refusals()).map((r) => [r.code, r.copies, r.times]), [['PROVIDER_CANNOT_RESTORE', 1, 2]], 'asked again: counted again');
    const conflicts = await store.db.query('SELECT 1 FROM conflicts WHERE calendar_id = $1', [b]);
    assert.equal(conflicts.length, 1, 'the conflict is recorded once');
    // The rule's own run: its source has no such occurrence, so it finds the copy as it wants it.
    await settle(env.deps, env.tenantId, [a, b]);
    assert.deepEqual(await refusals(), []);
  });
});
