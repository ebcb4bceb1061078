/**
 * A series renamed in Outlook that has a moved occurrence and a retitled one. Exchange keeps of an
 * exception only what differs from its series (MS-OXOCAL OverrideFlags), so the moved exception
 * shows the new subject and the retitled one keeps its own (the emulator plays this; for Graph it
 * is UNCONFIRMED, emulators/microsoft/exception-inherit.ts). The hub reads the rename through the
 * real connector: the master and the moved occurrence take the new title, the retitled one keeps
 * it, nothing is listed twice or lost, and nothing is written back to Graph.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settle } from '../../sync-engine/index.ts';
import { apiOver } from '../support/api-over.ts';
import { storeAndGraph } from '../support/emulator-store.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';

type Item = { start: string; end: string; title: string | null; uid: string };
const WINDOW = 'timeMin=2026-12-07T00:00:00Z&timeMax=2027-01-04T00:00:00Z';
const utc = (dateTime: string) => ({ dateTime, timeZone: 'UTC' });
const iso = (v: string) => new Date(v).toISOString().slice(0, 16);

describe('a Graph series renamed in Outlook, with a moved and a retitled occurrence', () => {
  const h = storeAndGraph();

  it('the hub lists the new title on the series and the moved occurrence, the retitled one as it was, once each, and writes nothing', async () => {
    const env = await microsoftModelEnv(h.emu, h.store);
    const cal = env.calendars[0]!;
    const calId = (await h.store.tenant(env.tenantId).calendars.get(cal))!.providerCalendarId;
    const made = h.emu.control.createEvent({ userId: env.userId, calendarId: calId, event: {
      subject: 'Weekly sync', start: utc('2026-12-07T09:00:00'), end: utc('2026-12-07T10:00:00'),
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'numbered', startDate: '2026-12-07', numberOfOccurrences: 4 } },
    } });
    const ids = h.emu.control.calendarView({ userId: env.userId, calendarId: calId, start: '2026-12-07T00:00:00Z', end: '2027-01-04T00:00:00Z' }).map((o) => String(o.id));
    h.emu.control.updateEvent({ userId: env.userId, id: ids[1]!, patch: { start: utc('2026-12-14T13:00:00'), end: utc('2026-12-14T14:00:00') } });
    h.emu.control.updateEvent({ userId: env.userId, id: ids[2]!, patch: { subject: 'Board' } });
    const { app, call } = await apiOver<{ items: Item[] }>(env);
    const listed = async () => {
      const r = await call('GET', `/v1/calendars/${cal}/events?${WINDOW}`);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      return r.json.items.map((i) => `${iso(i.start)} ${i.title}`);
    };
    await settle(env.deps, env.tenantId, [cal]);
    assert.deepEqual(await listed(), ['2026-12-07T09:00 Weekly sync', '2026-12-14T13:00 Weekly sync', '2026-12-21T09:00 Board', '2026-12-28T09:00 Weekly sync']);

    // Writes: a $batch is a POST of reads (batch-read.ts); its requests are logged one by one.
    const graphWrites = () => h.emu.control.requests().filter((r) => r.method !== 'GET' && r.path !== '/v1.0/$batch').map((r) => `${r.method} ${r.path}`);
    const writes = graphWrites().length;
    h.emu.control.updateEvent({ userId: env.userId, id: made.id, patch: { subject: 'Team sync' } });
    await settle(env.deps, env.tenantId, [cal]);
    await settle(env.deps, env.tenantId, [cal]);
    const want = ['2026-12-07T09:00 Team sync', '2026-12-14T13:00 Team sync', '2026-12-21T09:00 Board', '2026-12-28T09:00 Team sync'];
    assert.deepEqual(await listed(), want, 'the rename reaches the moved occurrence; the retitled one keeps its title; none twice');
    const atGraph = h.emu.control.calendarView({ userId: env.userId, calendarId: calId, start: '2026-12-07T00:00:00Z', end: '2027-01-04T00:00:00Z' });
    assert.deepEqual(atGraph.map((o) => `${String((o.start as { dateTime: string }).dateTime).slice(0, 16)} ${String(o.subject)}`), want, 'Graph holds the same');
    assert.deepEqual(graphWrites().slice(writes), [], 'the hub wrote nothing back to Graph');
    assert.equal((await h.store.db.query('SELECT 1 FROM outbox WHERE calendar_id = $1', [cal])).length, 0, 'nothing is left to push');
    await app.close();
  });
});
