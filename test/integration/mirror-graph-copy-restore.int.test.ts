/**
 * A two-way busy-block rule from a CalDAV series into Outlook (Graph emulator). In Outlook one
 * occurrence of the "Busy" copy series is deleted and another moved. Graph cannot bring a deleted
 * occurrence back, and the rule's rewrite of the copy was refused whole (CONNECTOR_UNSUPPORTED):
 * the moved occurrence stayed moved, Outlook stayed wrong and the hub's free/busy showed the copy
 * as the rule wanted it, not as Outlook held it. A copy is calhub's own: the damaged copy series is
 * now deleted at Graph and made anew, so every block is where the source has it again. A user's
 * own series (a meeting) is not: its refusal stands, under the documented PROVIDER_CANNOT_RESTORE.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import { pushCalendar, settle, writeUid } from '../../sync-engine/index.ts';
import { hasBinary } from '../support/dav-servers.ts';
import { mixedProviders } from '../support/mixed-providers.ts';

const at = (day: number, h: number) => ({ dateTime: `2026-12-${day}T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const FROM = new Date('2026-12-14T00:00:00Z');
const TO = new Date('2026-12-20T00:00:00Z');

describe("mirror: a copy series damaged in Outlook is restored", { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
  const p = mixedProviders();

  it('an occurrence deleted and another moved at Graph: the copy is written anew, free/busy is what Outlook holds, no refusal', async () => {
    const env = await p.tenant();
    const { t, davCal, graphCal, graph } = env;
    const graphCalRow = (await t.calendars.get(graphCal))!;
    const mailbox = (await t.accounts.get(graphCalRow.accountId))!.externalId;
    await env.driver.put(0, null, [parseEvent({ uid: 'daily@dav', title: 'Standup', start: at(14, 18), end: at(14, 19), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } })]);
    const rule = (await t.mirror.create(davCal, graphCal, { mode: 'busy-block', twoWay: true }))!;
    await settle(env.deps, env.tenantId, env.calendars);

    /** What Outlook shows of the window: [subject, start, end] by start. */
    const outlook = () => graph.control.calendarView({ userId: mailbox, calendarId: graphCalRow.providerCalendarId, start: FROM.toISOString(), end: TO.toISOString() });
    const blocks = () => outlook().map((i) => {
      const s = i.start as { dateTime: string };
      const e = i.end as { dateTime: string };
      return `${i.subject} ${s.dateTime.slice(5, 16)}-${e.dateTime.slice(11, 16)}`;
    }).sort();
    const wanted = [14, 15, 16, 17, 18].map((d) => `Busy 12-${d}T18:00-19:00`);
    assert.deepEqual(blocks(), wanted, 'the series is copied');

    // In Outlook: the 15th's occurrence of the copy deleted, the 16th's moved to 20:00.
    const occurrence = (day: number) => outlook().find((i) => (i.start as { dateTime: string }).dateTime.startsWith(`2026-12-${day}T18`))!.id as string;
    const gone = occurrence(15);
    const moved = occurrence(16);
    graph.control.deleteEvent({ userId: mailbox, id: gone });
    graph.control.updateEvent({ userId: mailbox, id: moved, patch: { start: { dateTime: '2026-12-16T20:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-12-16T21:00:00.0000000', timeZone: 'UTC' } } as never });
    assert.deepEqual(blocks(), [14, 16, 17, 18].map((d) => `Busy 12-${d}T${d === 16 ? '20:00-21:00' : '18:00-19:00'}`));

    for (let i = 0; i < 2; i++) await settle(env.deps, env.tenantId, env.calendars);
    assert.deepEqual(blocks(), wanted, 'Outlook holds the copy as the source has it again');
    assert.deepEqual((await t.refusals.byRule([rule.id])).get(rule.id) ?? [], [], 'nothing refused');
    assert.equal((await t.outbox.pending(graphCal)).length, 0, 'nothing left to write');

    // The hub's free/busy of the Outlook calendar is what Outlook holds.
    const busy = (await t.busy([graphCal], FROM, TO)).map((s) => `${s.start.toISOString().slice(5, 16)}-${s.end.toISOString().slice(11, 16)}`).sort();
    assert.deepEqual(busy, [14, 15, 16, 17, 18].map((d) => `12-${d}T18:00-19:00`));
    // The source is untouched (a copy is never a source) and nothing is copied back.
    const source = (await t.events.list(davCal)).map((r) => [r.event.title, r.event.recurrence?.exdates.length ?? null, r.event.originalStart]);
    assert.deepEqual(source, [['Standup', 0, null]]);

    // Settled: further runs write nothing anywhere.
    const writes = env.driver.writes();
    for (let i = 0; i < 2; i++) await settle(env.deps, env.tenantId, env.calendars);
    assert.equal(env.driver.writes(), writes, 'the copy is written again and again');
    assert.deepEqual(blocks(), wanted);
  });
  it("a user's own meeting series is not made anew: the refusal stands, as PROVIDER_CANNOT_RESTORE", async () => {
    const env = await p.tenant();
    const { t, graphCal, graph, store } = env;
    const graphCalRow = (await t.calendars.get(graphCal))!;
    const mailbox = (await t.accounts.get(graphCalRow.accountId))!.externalId;
    const made = graph.control.createEvent({
      userId: mailbox,
      calendarId: graphCalRow.providerCalendarId,
      event: {
        subject: 'Planning',
        start: { dateTime: '2026-12-14T09:00:00.0000000', timeZone: 'UTC' },
        end: { dateTime: '2026-12-14T10:00:00.0000000', timeZone: 'UTC' },
        attendees: [{ emailAddress: { address: 'guest@example.com', name: 'Guest' }, type: 'required' }],
        recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2026-12-14', numberOfOccurrences: 5 } },
      } as never,
    });
    await settle(env.deps, env.tenantId, env.calendars);
    const view = () => graph.control.calendarView({ userId: mailbox, calendarId: graphCalRow.providerCalendarId, start: FROM.toISOString(), end: TO.toISOString() })
      .filter((i) => i.subject === 'Planning').map((i) => (i.start as { dateTime: string }).dateTime.slice(5, 10)).sort();
    const occ = graph.control.calendarView({ userId: mailbox, calendarId: graphCalRow.providerCalendarId, start: '2026-12-15T00:00:00Z', end: '2026-12-16T00:00:00Z' }).find((i) => i.subject === 'Planning')!;
    graph.control.deleteEvent({ userId: mailbox, id: occ.id as string });
    await settle(env.deps, env.tenantId, env.calendars);
    const [master] = (await t.events.list(graphCal)).filter((r) => r.event.title === 'Planning' && !r.event.originalStart);
    assert.equal(master!.event.recurrence?.exdates.length, 1, 'the hub read the deleted occurrence');

    // Asked to bring it back (as a merge or a revert could): Graph cannot, and the series is not someone else's to delete and make anew.
    await writeUid(env.deps, env.tenantId, graphCal, master!.event.uid, [{ ...master!.event, providerEventId: master!.remoteId, recurrence: { ...master!.event.recurrence!, exdates: [] } }]);
    const warned: Array<Record<string, unknown>> = [];
    const log = { ...env.deps.log, warn: (o: Record<string, unknown>) => void warned.push(o) } as typeof env.deps.log;
    const result = await pushCalendar({ ...env.deps, log }, env.tenantId, graphCal, 'restore-refused');
    assert.equal(result.failed, 1);
    assert.deepEqual(warned.map((w) => w.code), ['PROVIDER_CANNOT_RESTORE']);
    const [entry] = await store.db.query<{ last_error: string | null }>('SELECT last_error FROM outbox WHERE calendar_id = $1', [graphCal]);
    assert.match(entry?.last_error ?? '', /cannot restore a deleted occurrence/);
    assert.deepEqual(view(), ['12-14', '12-16', '12-17', '12-18'], 'the series is as it was at Graph');
    assert.ok(graph.control.getEvent({ userId: mailbox, id: made.id }), 'the same series, not deleted and made anew');
  });
});
