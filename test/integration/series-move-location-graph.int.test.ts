/**
 * The flow of series-move-location-google.int.test.ts (test/support/series-move-location.ts) at
 * Microsoft Graph: a weekly series with one
 * occurrence moved, then the whole series changed in location and time through the API. Graph
 * discards a series' exceptions when its time changes (emulators/microsoft/README.md, MS-OXOCAL's
 * StartTimeOffset) and the push writes the moved occurrence again after the master: the moved
 * occurrence must show once, at its new time, at Graph and in the hub.
 */
import { describe, it } from 'node:test';
import { storeAndGraph } from '../support/emulator-store.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { seriesMoveLocation } from '../support/series-move-location.ts';

describe('Microsoft Graph: a series changed in location and time keeps one copy of its moved occurrence', () => {
  const h = storeAndGraph();

  it('the moved occurrence is written again once, at its new time', async () => {
    await seriesMoveLocation(await microsoftModelEnv(h.emu, h.store), 'Graph');
  });
});
