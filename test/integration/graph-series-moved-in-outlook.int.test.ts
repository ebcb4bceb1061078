/**
 * An outside report (Graph): a series with one occurrence changed through the API (pushed, so
 * Graph holds it as an exception) is moved in Outlook 09:00 → 11:00 Europe/Berlin. Outlook drops a
 * series' exceptions when its time or pattern changes (MS-OXOCAL 3.1.4.7.3.5), so Graph then holds
 * plain occurrences only. Before the fix the next incremental sync kept the old exception: the
 * hub listed that day twice (09:00 and 11:00), free/busy was busy twice, no webhook said it went,
 * and only `resync --full` cleaned it up. Run through the real connector on the Graph emulator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pushCalendar, settle } from '../../sync-engine/index.ts';
import { apiOver } from '../support/api-over.ts';
import { storeAndGraph } from '../support/emulator-store.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';

type Reply = { id: string; uid: string; items: Array<{ start: string; title: string | null; uid: string }>; calendars: Array<{ busy: Array<{ start: string; end: string }> }> };
const berlin = (dateTime: string) => ({ dateTime, timeZone: 'Europe/Berlin' });
const WINDOW = 'timeMin=2026-12-07T00:00:00Z&timeMax=2026-12-28T00:00:00Z';
const iso = (v: string) => new Date(v).toISOString().slice(0, 16);

describe('a Graph series with a pushed exception, moved in Outlook', () => {
  const h = storeAndGraph();

  for (const deletePolicy of ['modify-wins', 'delete-wins'] as const) it(`the next incremental sync drops the exception Graph dropped: listed once, busy once, event.deleted for it (${deletePolicy})`, async () => {
    const env = await microsoftModelEnv(h.emu, h.store);
    const cal = env.calendars[0]!;
    await h.store.tenant(env.tenantId).sync.setPolicies(cal, { deletePolicy });
    const calId = (await h.store.tenant(env.tenantId).calendars.get(cal))!.providerCalendarId;
    const { app, call } = await apiOver<Reply>(env);
    await h.store.tenant(env.tenantId).webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
    const sync = async () => {
      const r = await settle(env.deps, env.tenantId, [cal]);
      assert.deepEqual([...r.failures.values()], []);
    };
    const made = await call('POST', `/v1/calendars/${cal}/events`, {
      title: 'Standup', start: berlin('2026-12-07T09:00:00'), end: berlin('2026-12-07T09:30:00'), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=3'] },
    });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const { id, uid } = made.json;
    await sync();
    const changed = await call('PATCH', `/v1/events/${id}/occurrences/2026-12-14T08:00:00Z`, { title: 'Standup (demo)' });
    assert.equal(changed.status, 200, JSON.stringify(changed.json));
    // Pushed as the hub's queue does it: the write alone; the next pull comes later (a poll, a
    // notification, `calhub resync`), after the move, so delta never lists the exception.
    assert.equal((await pushCalendar(env.deps, env.tenantId, cal, 'push-occurrence')).written, 1);
    const view = () => h.emu.control.calendarView({ userId: env.userId, calendarId: calId, start: '2026-12-07T00:00:00Z', end: '2026-12-28T00:00:00Z' });
    assert.deepEqual(view().map((o) => o.type), ['occurrence', 'exception', 'occurrence'], 'Graph holds the pushed change as an exception');

    // Outlook moves the series: PATCH of the master's start and end.
    const master = String(view()[0]!.seriesMasterId);
    h.emu.control.updateEvent({ userId: env.userId, id: master, patch: { start: berlin('2026-12-07T11:00:00'), end: berlin('2026-12-07T11:30:00') } });
    assert.deepEqual(view().map((o) => `${o.type} ${String((o.start as { dateTime: string }).dateTime).slice(0, 16)}`),
      ['occurrence 2026-12-07T10:00', 'occurrence 2026-12-14T10:00', 'occurrence 2026-12-21T10:00'], 'Graph dropped the exception');
    const seqBefore = (await h.store.db.query<{ seq: string }>('SELECT coalesce(max(seq), 0) AS seq FROM webhook_outbox')).at(0)!.seq;

    await sync();
    const listed = await call('GET', `/v1/calendars/${cal}/events?${WINDOW}`);
    assert.equal(listed.status, 200, JSON.stringify(listed.json));
    assert.deepEqual(listed.json.items.filter((i) => i.uid === uid).map((i) => `${iso(i.start)} ${i.title}`),
      ['2026-12-07T10:00 Standup', '2026-12-14T10:00 Standup', '2026-12-21T10:00 Standup'], 'the hub lists what Graph holds, each day once');
    const fb = await call('POST', '/v1/freebusy', { calendarIds: [cal], timeMin: '2026-12-14T00:00:00Z', timeMax: '2026-12-15T00:00:00Z' });
    assert.equal(fb.status, 200, JSON.stringify(fb.json));
    assert.deepEqual(fb.json.calendars[0]!.busy.map((b) => `${iso(b.start)}/${iso(b.end)}`), ['2026-12-14T10:00/2026-12-14T10:30'], 'busy once, at the new time');

    const told = await h.store.db.query<{ op: string; original_start_key: string | null }>(
      "SELECT op, original_start_key FROM webhook_outbox WHERE kind = 'event' AND calendar_id = $1 AND uid = $2 AND seq > $3 ORDER BY seq", [cal, uid, seqBefore]);
    assert.deepEqual(told.map((r) => `${r.op} ${r.original_start_key || 'series'}`).sort(), ['deleted 2026-12-14T08:00:00Z', 'updated series'],
      'the app hears the series moved and the dropped occurrence change went');
    await sync();
    assert.deepEqual(await h.store.db.query('SELECT uid FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left to push');
    await app.close();
  });
});
