/**
 * A busy-block rule from CalDAV (Radicale) into Outlook (Graph emulator) with a series Graph has
 * no pattern for (BYMONTHDAY=1,15: several days of the month). Its copy used to be refused
 * (CONNECTOR_UNSUPPORTED) and Outlook showed none of its busy time; it now arrives as single busy
 * events, one per occurrence, kept in step with the source (a cancelled instance loses its single,
 * a moved one moves), written once (further runs write nothing), and removed with the rule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent, type CanonicalEvent } from '../../shared/model/index.ts';
import { deleteRule, settle } from '../../sync-engine/index.ts';
import { hasBinary } from '../support/dav-servers.ts';
import { mixedProviders } from '../support/mixed-providers.ts';

/** YYYY-MM-DD of the `day`th of the month `ahead` months after this one (UTC). */
function dayOf(ahead: number, day: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, day)).toISOString().slice(0, 10);
}
const at = (date: string, h: number) => ({ dateTime: `${date}T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });

describe('mirror: a series Graph cannot hold arrives as single busy events', { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
  const p = mixedProviders();

  it('copies each occurrence as a single, follows a cancelled and a moved instance, settles, and goes with the rule', async () => {
    const env = await p.tenant();
    const { t, davCal, graphCal, graph } = env;
    const graphCalRow = (await t.calendars.get(graphCal))!;
    const mailbox = (await t.accounts.get(graphCalRow.accountId))!.externalId;
    const first = dayOf(1, 1);
    const master = parseEvent({ uid: 'standup@dav', title: 'Standup', start: at(first, 9), end: at(first, 10), recurrence: { rrules: ['FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=6'] } });
    await env.driver.put(0, null, [master]);
    const rule = (await t.mirror.create(davCal, graphCal, { mode: 'busy-block', twoWay: false }))!;
    await settle(env.deps, env.tenantId, env.calendars);

    const view = () => graph.control.calendarView({ userId: mailbox, calendarId: graphCalRow.providerCalendarId, start: `${dayOf(0, 1)}T00:00:00Z`, end: `${dayOf(5, 1)}T00:00:00Z` });
    const blocks = () => view().map((i) => `${(i.start as { dateTime: string }).dateTime.slice(0, 16)} ${i.subject} ${i.showAs}`).sort();
    const expected = [dayOf(1, 1), dayOf(1, 15), dayOf(2, 1), dayOf(2, 15), dayOf(3, 1), dayOf(3, 15)].map((d) => `${d}T09:00 Busy busy`);
    assert.deepEqual(blocks(), expected);
    assert.ok(view().every((i) => i.type === 'singleInstance'), 'each occurrence is a single event of its own');
    assert.deepEqual((await t.refusals.byRule([rule.id])).get(rule.id) ?? [], [], 'no refusal stands on the rule');

    // Settled: further runs write nothing to Outlook.
    const settled = async () => {
      const writes = graph.control.requestCounts().writes;
      for (let i = 0; i < 2; i++) await settle(env.deps, env.tenantId, env.calendars);
      assert.equal(graph.control.requestCounts().writes - writes, 0, 'no write to Outlook on a settled rule');
    };
    await settled();

    // One instance cancelled and one moved at the source.
    const [obj] = (await env.driver.list(0)).filter((o) => o.events.some((e) => e.uid === 'standup@dav'));
    const cancelled: CanonicalEvent = { ...master, originalStart: at(dayOf(1, 15), 9), start: at(dayOf(1, 15), 9), end: at(dayOf(1, 15), 10), recurrence: null, status: 'cancelled' };
    const moved: CanonicalEvent = { ...master, originalStart: at(dayOf(2, 1), 9), start: at(dayOf(2, 1), 13), end: at(dayOf(2, 1), 14), recurrence: null };
    await env.driver.put(0, obj!.remoteId, [obj!.events.find((e) => e.originalStart === null)!, cancelled, moved]);
    await settle(env.deps, env.tenantId, env.calendars);
    assert.deepEqual(blocks(), [dayOf(1, 1), dayOf(2, 15), dayOf(3, 1), dayOf(3, 15)].map((d) => `${d}T09:00 Busy busy`).concat(`${dayOf(2, 1)}T13:00 Busy busy`).sort());
    await settled();

    await deleteRule(env.deps, env.tenantId, rule.id);
    await settle(env.deps, env.tenantId, env.calendars);
    assert.deepEqual(blocks(), [], 'the singles go with their rule');
  });
});
