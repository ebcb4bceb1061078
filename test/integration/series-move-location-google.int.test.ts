/**
 * A weekly series on Google with one occurrence moved, then the whole series changed in location
 * and time through the API. Google copies the master's new location into the exception and so
 * changes its etag (A.8, series-fields.ts in the emulator): the push's delete of the old exception,
 * conditional on the etag it knew, met a 412 and was dropped unretried, so Google showed the moved
 * occurrence twice while calhub said every change was at the provider.
 */
import { describe, it } from 'node:test';
import { storeAndGoogle } from '../support/emulator-store.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { seriesMoveLocation } from '../support/series-move-location.ts';

describe('Google: a series changed in location and time keeps one copy of its moved occurrence', () => {
  const h = storeAndGoogle();

  it('the old exception is cancelled although the master write changed its etag', async () => {
    await seriesMoveLocation(await googleModelEnv(h.emu, h.store), 'Google');
  });
});
