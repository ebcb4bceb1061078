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

  const runs = Number(process.env.MODEL_SERIES_REAL_RUNS ?? 8);
  it(`${runs} runs of 15-30 commands: store = provider, busy time = rrule.js, copies = sources, no echo writes`, { timeout: 1_200_000 }, async () => {
    let commands = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(seriesCommandArb, { minLength: 15, maxLength: 30 }), async (cmds) => {
        commands += await runSeriesModel(store, cmds, (s) => mixedModelEnv({ dav, google, graph }, s));
      }),
      { numRuns: runs, verbose: 1, seed: process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : undefined },
    );
    process.stdout.write(`# recurring-series model across three providers: ${commands} commands\n`);
  });
});
