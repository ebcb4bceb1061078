/**
 * The recurring-series model (R3, sync-engine/test-support/series-model.ts) over one calendar of
 * each provider joined by mirror rules: A on Radicale, B on the Google emulator, C on the Graph
 * emulator (A -> C, B <-> C). MODEL_SERIES_REAL_RUNS sets the number of runs; `MODEL_SEED` replays one.
 */
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { Store } from '../../shared/store/index.ts';
import { runSeriesModel, seriesCommandArb } from '../../sync-engine/test-support/series-model.ts';
import { hasBinary, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { mixedModelEnv } from '../support/mixed-model-env.ts';

describe('recurring-series model across CalDAV, Google and Graph', { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
  let dav: DavServer;
  let google: RunningGoogleEmulator;
  let graph: MicrosoftEmulator;
  let store: Store;
  before(async () => {
    [dav, google, graph] = await Promise.all([startRadicale(), startGoogleEmulator(), startMicrosoftEmulator()]);
    store = await Store.open({ dataDir: null });
    await store.migrate();
  });
  after(async () => {
    await store?.close();
    await Promise.all([dav?.stop(), google?.close(), graph?.close()]);
  });

  const runs = Number(process.env.MODEL_SERIES_REAL_RUNS ?? 4);
  it(`${runs} runs of 10-25 commands: store = provider, busy time = rrule.js, copies = sources, no echo writes`, { timeout: 1_800_000 }, async () => {
    let commands = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(seriesCommandArb, { minLength: 10, maxLength: 25 }), async (cmds) => {
        commands += await runSeriesModel(store, cmds, (s) => mixedModelEnv({ dav, google, graph }, s), { ruleChangesOnlyWithoutExceptions: true });
      }),
      { numRuns: runs, verbose: 0, seed: process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : undefined },
    );
    process.stdout.write(`# recurring-series model across three providers: ${commands} commands\n`);
  });

  // Found by this model (fixed in sync-engine/mirror.ts): a second instance moved on the CalDAV
  // source after its copy existed on Graph never reached Graph; the copy's new override carried the
  // copy master's remote id, so the push wrote it onto the series master and Graph refused it.
  it('an instance moved after the copy exists reaches the copy on Graph', async () => {
    await runSeriesModel(store, [
      { k: 'create', cal: 0, side: 'p', shape: 0 },
      { k: 'move', cal: 0, side: 'p', pick: 0, idx: 0, days: 1 },
      { k: 'sync' },
      { k: 'move', cal: 0, side: 'p', pick: 0, idx: 1, days: 1 },
      { k: 'sync' },
    ], (s) => mixedModelEnv({ dav, google, graph }, s));
  });

  // Found by this model: a CalDAV series with a cancelled instance is mirrored to Graph; its COUNT
  // changes; the copy's new pattern makes Graph drop the copy's cancellation, the push does not
  // write it again, so Outlook shows the cancelled instance busy while the hub's store does not.
  it('a rule change of a series with exceptions keeps them on Graph', { todo: 'the push does not rewrite exceptions Graph dropped on a pattern change' }, async () => {
    await runSeriesModel(store, [
      { k: 'create', cal: 0, side: 'p', shape: 0 },
      { k: 'move', cal: 0, side: 'p', pick: 0, idx: 0, days: 1 },
      { k: 'sync' },
      { k: 'cancel', cal: 0, side: 'p', pick: 0, idx: 0 },
      { k: 'count', cal: 0, side: 'p', pick: 0, count: 3 },
      { k: 'sync' },
    ], (s) => mixedModelEnv({ dav, google, graph }, s));
  });
});
