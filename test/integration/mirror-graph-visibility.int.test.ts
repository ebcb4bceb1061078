/**
 * A full copy of a public event into Graph: Graph's sensitivity has no `public` (normal, personal,
 * private, confidential), so the copy is written normal and reads back `default`. The mirror kept
 * wanting `public` and wrote the copy again on every run; it now writes copies as Graph holds them
 * (capabilities.visibilityHeldAs). Google holds `public`, so its copy stays public.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { parseEvent } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { hasBinary, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { mixedModelEnv } from '../support/mixed-model-env.ts';
import { openTestStore } from '../support/test-store.ts';

describe('full copies of public events into Graph', { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
  let dav: DavServer;
  let google: RunningGoogleEmulator;
  let graph: MicrosoftEmulator;
  let store: Store;
  before(async () => {
    [dav, google, graph] = await Promise.all([startRadicale(), startGoogleEmulator(), startMicrosoftEmulator()]);
    store = await openTestStore();
    await store.migrate();
  });
  after(async () => {
    await store?.close();
    await Promise.all([dav?.stop(), google?.close(), graph?.close()]);
  });

  it('are written once, as Graph holds them, and not again', async () => {
    const env = await mixedModelEnv({ dav, google, graph }, store);
    const t = store.tenant(env.tenantId);
    const [davCal, googleCal, graphCal] = env.calendars as [string, string, string];
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
