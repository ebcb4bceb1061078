/**
 * A full copy of a public event into Graph: Graph's sensitivity has no `public` (normal, personal,
 * private, confidential), so the copy is written normal and reads back `default`. The mirror kept
 * wanting `public` and wrote the copy again on every run; it now writes copies as Graph holds them
 * (capabilities.visibilityHeldAs). Google holds `public`, so its copy stays public.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { hasBinary } from '../support/dav-servers.ts';
import { mixedProviders } from '../support/mixed-providers.ts';

describe('full copies of public events into Graph', { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
  const p = mixedProviders();

  it('are written once, as Graph holds them, and not again', async () => {
    const env = await p.tenant();
    const { t, davCal, googleCal, graphCal, graph } = env;
    const at = (h: number) => ({ dateTime: `2026-12-15T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
    await env.driver.put(0, null, [parseEvent({ uid: 'open@other', title: 'Open house', visibility: 'public', start: at(9), end: at(10) })]);
    assert.ok(await t.mirror.create(davCal, graphCal, { mode: 'full-copy' }));
    assert.ok(await t.mirror.create(davCal, googleCal, { mode: 'full-copy' }));
    await settle(env.deps, env.tenantId, env.calendars);
    assert.deepEqual((await t.events.list(graphCal)).map((e) => [e.event.title, e.event.visibility]), [['Open house', 'default']]);
    assert.deepEqual((await t.events.list(googleCal)).map((e) => [e.event.title, e.event.visibility]), [['Open house', 'public']]);
    const before = env.driver.writes();
    const graphWrites = graph.control.requestCounts().writes;
    for (let i = 0; i < 2; i++) await settle(env.deps, env.tenantId, env.calendars);
    assert.equal(graph.control.requestCounts().writes, graphWrites, 'the Graph copy was written again');
    assert.equal(env.driver.writes(), before);
  });
});
