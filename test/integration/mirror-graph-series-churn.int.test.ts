/**
 * A user's report: renaming a Google meeting made calhub PATCH the Outlook busy-block copy of a
 * different event, a weekly series seeded in Google (one occurrence moved, one cancelled), and
 * send two event.updated webhooks for it. Google keeps the RRULE as written (FREQ=WEEKLY;COUNT=6,
 * no BYDAY); Graph holds a weekly pattern with its days and reads back FREQ=WEEKLY;BYDAY=MO;COUNT=6.
 * The same rule, yet the rule's copy comparison saw a difference, so every run over the source
 * calendar wrote the series copy again. So did a series ending on a day (UNTIL), read back from
 * Graph's end date at the series' start time. A rename changes nothing a busy block carries: no copy is
 * written anywhere.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settle } from '../../sync-engine/index.ts';
import { hasBinary } from '../support/dav-servers.ts';
import { mixedProviders } from '../support/mixed-providers.ts';

describe('mirror: a title-only change writes no busy-block copy', { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
  const p = mixedProviders({ embedded: true });

  it('a Google weekly series (one moved, one cancelled) and a meeting, mirrored both ways to Outlook and CalDAV: renaming the meeting writes no copy', async () => {
    const env = await p.tenant();
    const { t, davCal, googleCal: gCal, graphCal, google, graph } = env;
    // As the user seeded it, through Google's API: the series, its 21st moved an hour, its 28th cancelled.
    const gRow = (await t.calendars.get(gCal))!;
    const token = google.control.issueGrant({ email: (await t.accounts.get(gRow.accountId))!.externalId }).accessToken;
    const events = `${google.url}/calendar/v3/calendars/${encodeURIComponent(gRow.providerCalendarId)}/events`;
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${events}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
      return res.status === 204 ? null : ((await res.json()) as { id: string });
    };
    const local = (d: number, hm: string) => ({ dateTime: `2026-12-${d}T${hm}:00`, timeZone: 'Europe/Berlin' });
    const standup = (await api('POST', '', { summary: 'Standup', start: local(14, '09:00'), end: local(14, '09:30'), recurrence: ['RRULE:FREQ=WEEKLY;COUNT=6'] }))!;
    await api('PATCH', `/${standup.id}_20261221T080000Z`, { start: local(21, '10:00'), end: local(21, '10:30') });
    await api('DELETE', `/${standup.id}_20261228T080000Z`);
    // A series ending on a day, as Google's UI writes it (end of that day in Berlin): Graph keeps an end date.
    await api('POST', '', { summary: 'Review', start: local(16, '11:00'), end: local(16, '12:00'), recurrence: ['RRULE:FREQ=WEEKLY;UNTIL=20270131T225959Z'] });
    const client = (await api('POST', '', { summary: 'Client', start: local(15, '14:00'), end: local(15, '15:00') }))!;
    await t.mirror.create(gCal, graphCal, { mode: 'busy-block', twoWay: true });
    await t.mirror.create(gCal, davCal, { mode: 'busy-block', twoWay: true });
    await t.mirror.create(graphCal, davCal, { mode: 'busy-block', twoWay: true });
    await settle(env.deps, env.tenantId, env.calendars);
    // Settled: further runs of every rule write nothing (they PATCHed the series copy in Outlook each time).
    const settled = env.driver.writes();
    for (let i = 0; i < 2; i++) await settle(env.deps, env.tenantId, env.calendars);
    assert.equal(env.driver.writes() - settled, 0, 'runs over a settled calendar write copies again');
    assert.equal((await t.events.list(graphCal)).filter((r) => r.event.recurrence).length, 2, 'both series are copied to Outlook');

    const graphWrites = graph.control.requestCounts().writes;
    const writes = env.driver.writes();
    const copyRows = async () => {
      const rows = [...await t.events.list(graphCal), ...await t.events.list(davCal)];
      return new Map(rows.map((r) => [`${r.event.uid} ${r.event.originalStart ? JSON.stringify(r.event.originalStart) : ''}`, `${r.contentHash} ${r.event.providerVersion ?? ''}`]));
    };
    const rowsBefore = await copyRows();
    await api('PATCH', `/${client.id}`, { summary: 'Client (renamed)' });
    const renameWrites = env.driver.writes() - writes; // the rename itself, at Google
    for (let i = 0; i < 2; i++) await settle(env.deps, env.tenantId, env.calendars);

    assert.equal((await t.events.list(gCal)).find((r) => r.event.title?.startsWith('Client'))?.event.title, 'Client (renamed)', 'the rename was read');
    assert.equal(graph.control.requestCounts().writes - graphWrites, 0, 'no write to Outlook');
    assert.equal(env.driver.writes() - writes, renameWrites, 'no write to any copy');
    assert.deepEqual(await copyRows(), rowsBefore, 'no copy row changed (so no event.updated for one)');
  });
});
