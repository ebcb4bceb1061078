/**
 * A busy-block rule from CalDAV into Outlook (Graph emulator) with two monthly series Graph's
 * patterns hold only in part. "Board" is FREQ=MONTHLY;BYDAY=2MO;COUNT=3 starting on a first Monday:
 * RFC 5545 counts that start as the first of its three occurrences, Graph skips a start off the
 * pattern, so the copy written as relativeMonthly "second Monday" lost the 7 December block and
 * gained one in February — another series, silently. It is not written as a series: its
 * occurrences from yesterday on arrive as single events (mirror-singles.ts), so Outlook is busy on
 * its own days, and no refusal stands on the rule. "Offsite"
 * (BYDAY=MO;BYSETPOS=-1) is Graph's "last Monday", read back as BYDAY=-1MO: copied, and not
 * re-patched on every run for the respelling.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { hasBinary } from '../support/dav-servers.ts';
import { mixedProviders } from '../support/mixed-providers.ts';

const berlin = (date: string, h: number) => ({ dateTime: `${date}T${String(h - 1).padStart(2, '0')}:00:00Z`, timeZone: 'Europe/Berlin' }); // CET = UTC+1

describe('mirror: a series Graph cannot hold as it means is not changed', { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
  const p = mixedProviders();

  it('"second Monday" starting on a first Monday is copied as singles on its own days; "last Monday" is copied and settles', async () => {
    const env = await p.tenant();
    const { t, davCal, graphCal, graph } = env;
    const graphCalRow = (await t.calendars.get(graphCal))!;
    const mailbox = (await t.accounts.get(graphCalRow.accountId))!.externalId;
    await env.driver.put(0, null, [parseEvent({ uid: 'board@dav', title: 'Board', start: berlin('2026-12-07', 9), end: berlin('2026-12-07', 10), recurrence: { rrules: ['FREQ=MONTHLY;BYDAY=2MO;COUNT=3'] } })]);
    await env.driver.put(0, null, [parseEvent({ uid: 'offsite@dav', title: 'Offsite', start: berlin('2026-12-28', 9), end: berlin('2026-12-28', 10), recurrence: { rrules: ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-1;COUNT=3'] } })]);
    const rule = (await t.mirror.create(davCal, graphCal, { mode: 'busy-block', twoWay: false }))!;
    await settle(env.deps, env.tenantId, env.calendars);

    const blocks = () => graph.control.calendarView({ userId: mailbox, calendarId: graphCalRow.providerCalendarId, start: '2026-12-01T00:00:00Z', end: '2027-04-01T00:00:00Z' })
      .map((i) => (i.start as { dateTime: string }).dateTime.slice(0, 16)).sort();
    // Offsite's last Mondays, and Board's own days (7 Dec, 14 Dec, 11 Jan; Graph's "second Monday"
    // would have been 14 Dec, 11 Jan, 8 Feb) as singles, those from yesterday on (the singles' window).
    const yesterday = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000).toISOString();
    const board = ['2026-12-07T08:00', '2026-12-14T08:00', '2027-01-11T08:00'].filter((d) => `${d}:00.000Z` >= yesterday);
    const expected = ['2026-12-28T08:00', '2027-01-25T08:00', '2027-02-22T08:00', ...board].sort();
    assert.deepEqual(blocks(), expected);
    assert.deepEqual((await t.refusals.byRule([rule.id])).get(rule.id) ?? [], [], 'no refusal stands on the rule');

    // Settled: further runs write nothing to Outlook (neither the respelled Offsite nor Board's singles).
    const graphWrites = graph.control.requestCounts().writes;
    const writes = env.driver.writes();
    for (let i = 0; i < 2; i++) await settle(env.deps, env.tenantId, env.calendars);
    assert.equal(graph.control.requestCounts().writes - graphWrites, 0, 'no write to Outlook on a settled rule');
    assert.equal(env.driver.writes() - writes, 0, 'no write to any calendar on a settled rule');
    assert.deepEqual(blocks(), expected);
  });
});
