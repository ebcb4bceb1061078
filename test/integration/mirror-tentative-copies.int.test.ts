/**
 * A tentative source mirrored as a full copy became a plain busy, confirmed copy on every
 * provider: the copy kept neither STATUS:TENTATIVE (CalDAV, Google's `status: tentative`) nor a
 * tentative reply. Each copy is now as tentative as its provider can hold: Graph `showAs:
 * tentative` (Graph has no tentative status: isCancelled only, event.md), Google `status:
 * tentative` with transparency opaque (Google's transparency is opaque or transparent only,
 * events.md), CalDAV STATUS:TENTATIVE with X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE. Written once,
 * then left alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { serverObjects } from '../support/dav-content.ts';
import { hasBinary } from '../support/dav-servers.ts';
import { mixedProviders } from '../support/mixed-providers.ts';

describe('full copies of a tentative event stay tentative', { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
  const p = mixedProviders();

  it('CalDAV STATUS:TENTATIVE -> Graph showAs tentative and Google status tentative; Graph showAs tentative -> CalDAV', async () => {
    const env = await p.tenant();
    const { t, davCal, googleCal, graphCal, dav } = env;
    const at = (h: number) => ({ dateTime: `2026-12-17T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
    await env.driver.put(0, null, [parseEvent({ uid: 'maybe@dav', title: 'Maybe lunch', status: 'tentative', start: at(12), end: at(13) })]);
    await env.driver.put(2, null, [parseEvent({ uid: 'maybe@graph', title: 'Perhaps review', availability: 'tentative', start: at(15), end: at(16) })]);
    assert.ok(await t.mirror.create(davCal, graphCal, { mode: 'full-copy' }));
    assert.ok(await t.mirror.create(davCal, googleCal, { mode: 'full-copy' }));
    assert.ok(await t.mirror.create(graphCal, davCal, { mode: 'full-copy' }));
    await settle(env.deps, env.tenantId, env.calendars);

    const graphCopy = (await env.driver.list(2)).flatMap((o) => o.events).find((e) => e.title === 'Maybe lunch');
    assert.deepEqual([graphCopy?.status, graphCopy?.availability], ['confirmed', 'tentative'], 'Graph: showAs tentative');
    const googleCopy = (await env.driver.list(1)).flatMap((o) => o.events).find((e) => e.title === 'Maybe lunch');
    assert.deepEqual([googleCopy?.status, googleCopy?.availability], ['tentative', 'busy'], 'Google: status tentative, opaque');
    const davUrl = (await t.calendars.get(davCal))!.providerCalendarId;
    const davCopy = (await serverObjects(dav, davUrl)).find((o) => o.lines.includes('SUMMARY:Perhaps review'));
    assert.ok(davCopy, 'the Graph event is copied to Radicale');
    assert.ok(davCopy.lines.includes('X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE'), davCopy.raw);

    const writes = env.driver.writes();
    for (let i = 0; i < 2; i++) await settle(env.deps, env.tenantId, env.calendars);
    assert.equal(env.driver.writes(), writes, 'the copies are not written again');
  });

  it('busy blocks of a tentative event: Graph showAs tentative, Google status tentative, CalDAV BUSYSTATUS TENTATIVE; written once', async () => {
    const env = await p.tenant();
    const { t, davCal, googleCal, graphCal, dav } = env;
    const at = (h: number) => ({ dateTime: `2026-12-18T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
    await env.driver.put(0, null, [parseEvent({ uid: 'maybe-block@dav', title: 'Maybe lunch', status: 'tentative', start: at(12), end: at(13) })]);
    await env.driver.put(2, null, [parseEvent({ uid: 'maybe-block@graph', title: 'Perhaps review', availability: 'tentative', start: at(15), end: at(16) })]);
    assert.ok(await t.mirror.create(davCal, graphCal, { mode: 'busy-block' }));
    assert.ok(await t.mirror.create(davCal, googleCal, { mode: 'busy-block' }));
    assert.ok(await t.mirror.create(graphCal, davCal, { mode: 'busy-block' }));
    await settle(env.deps, env.tenantId, env.calendars);

    const block = async (c: number, h: number) => (await env.driver.list(c)).flatMap((o) => o.events).find((e) => e.title === 'Busy' && 'dateTime' in e.start && e.start.dateTime.startsWith(`2026-12-18T${h}`));
    const graphBlock = await block(2, 12);
    assert.deepEqual([graphBlock?.status, graphBlock?.availability], ['confirmed', 'tentative'], 'Graph: showAs tentative');
    const googleBlock = await block(1, 12);
    assert.deepEqual([googleBlock?.status, googleBlock?.availability], ['tentative', 'busy'], 'Google: status tentative, opaque');
    const davUrl = (await t.calendars.get(davCal))!.providerCalendarId;
    const davBlock = (await serverObjects(dav, davUrl)).find((o) => o.lines.includes('SUMMARY:Busy'));
    assert.ok(davBlock, 'the Graph event is blocked on Radicale');
    assert.ok(davBlock.lines.includes('X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE'), davBlock.raw);

    const writes = env.driver.writes();
    for (let i = 0; i < 2; i++) await settle(env.deps, env.tenantId, env.calendars);
    assert.equal(env.driver.writes(), writes, 'the blocks are not written again');
  });
});
