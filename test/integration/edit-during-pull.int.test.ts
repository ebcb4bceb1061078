/**
 * The outside report: in Outlook the location changes, in calhub (PATCH /v1/events/:id) the
 * description, and a pull stores Outlook's change after the PATCH read the event but before it
 * wrote (held here at the write's admission, where the API charges its write budget). Built from
 * its older read, the PATCH put the old location back and the push wrote it over Outlook's edit,
 * If-Match with the new changeKey, no conflict recorded. Both edits must stand, on every provider.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { updateEvent } from '../../hub/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { pullCalendar, settle } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { sampleEvent } from '../../sync-engine/test-support/memory-env.ts';
import { apiOver } from '../support/api-over.ts';
import { hasBinary, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { openTestStore } from '../support/test-store.ts';

let store: Store;
let graph: MicrosoftEmulator;
let google: RunningGoogleEmulator;
let radicale: DavServer | null = null;

before(async () => {
  store = await openTestStore();
  await store.migrate();
  [graph, google] = await Promise.all([startMicrosoftEmulator(), startGoogleEmulator()]);
  if (hasBinary('radicale')) radicale = await startRadicale();
});
after(async () => {
  await store.close();
  await Promise.all([graph.close(), google.close(), radicale?.stop()]);
});

/**
 * One event made at the provider with location L0, synced; `outside` changes its location there;
 * the hub's PATCH of its description meets a pull of that change between its read and its write.
 */
async function race(env: ModelEnv, outside: (remoteId: string) => Promise<void>) {
  const cal = env.calendars[0]!;
  const t = store.tenant(env.tenantId);
  await env.driver.put(0, null, [sampleEvent({ location: 'L0', description: 'd0' })]);
  await settle(env.deps, env.tenantId, [cal]);
  const [row] = await t.events.list(cal);
  await outside(row!.remoteId!);
  const { hub } = await apiOver(env);
  const pulls: number[] = [];
  await updateEvent(hub, env.tenantId, row!.id, { description: 'hub notes' }, undefined, {
    admit: async () => {
      if (pulls.length === 0) pulls.push((await pullCalendar(env.deps, env.tenantId, cal)).rewritten);
    },
  });
  assert.deepEqual(pulls, [1], "the pull stored the provider's change as no local change was pending");
  await settle(env.deps, env.tenantId, [cal]);
  const [there] = (await env.driver.list(0)).flatMap((o) => o.events);
  const here = (await t.events.get(row!.id))!.event;
  return { there: [there!.location, there!.description], here: [here.location, here.description], conflicts: await t.conflicts.list() };
}

describe('a PATCH that meets a pull of the provider edit of the same event', () => {
  it('Microsoft 365: the Outlook location and the hub description both stand', async () => {
    const env = await microsoftModelEnv(graph, store);
    // As the report did it: POST /_emulator/updateEvent, the mailbox named by its address.
    const userId = (await store.tenant(env.tenantId).accounts.list())[0]!.externalId;
    const r = await race(env, async (id) => {
      graph.control.updateEvent({ userId, id, patch: { location: { displayName: 'Outlook room' } } });
    });
    assert.deepEqual(r, { there: ['Outlook room', 'hub notes'], here: ['Outlook room', 'hub notes'], conflicts: [] });
  });

  it('Google Calendar: both stand', async () => {
    const env = await googleModelEnv(google, store);
    const r = await race(env, async (id) => {
      const [o] = (await env.driver.list(0)).filter((x) => x.remoteId === id);
      await env.driver.put(0, id, [{ ...o!.events[0]!, location: 'Outlook room' }]);
    });
    assert.deepEqual(r, { there: ['Outlook room', 'hub notes'], here: ['Outlook room', 'hub notes'], conflicts: [] });
  });

  it('CalDAV (Radicale): both stand', { skip: !hasBinary('radicale') && 'radicale is not installed' }, async () => {
    const env = await davModelEnv(radicale!, store);
    const r = await race(env, async (id) => {
      const [o] = (await env.driver.list(0)).filter((x) => x.remoteId === id);
      await env.driver.put(0, id, [{ ...o!.events[0]!, location: 'Outlook room' }]);
    });
    assert.deepEqual(r, { there: ['Outlook room', 'hub notes'], here: ['Outlook room', 'hub notes'], conflicts: [] });
  });
});
