/**
 * The model-based sync test (R3) for recurring series over three memory calendars with mirror
 * rules (series-model.ts). MODEL_SERIES_RUNS sets the number of runs (README, Tests); a failure
 * prints its seed and `MODEL_SEED=<seed>` replays it.
 */
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { Store } from '../shared/store/index.ts';
import { memoryModelEnv } from './test-support/model.ts';
import { runSeriesModel, seriesCommandArb } from './test-support/series-model.ts';
import { modelSeed } from './test-support/model-seed.ts';

let store: Store;
before(async () => {
  store = await Store.open({ dataDir: null });
  await store.migrate();
});
after(async () => store?.close());

const runs = Number(process.env.MODEL_SERIES_RUNS ?? 24);
test(`recurring series: ${runs} runs of 20-50 commands over three calendars with mirror rules`, { timeout: 1_200_000 }, async () => {
  let commands = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(seriesCommandArb, { minLength: 20, maxLength: 50 }), async (cmds) => {
      commands += await runSeriesModel(store, cmds, memoryModelEnv);
    }),
    { numRuns: runs, seed: modelSeed('model-series'), verbose: 1 },
  );
  process.stdout.write(`# recurring-series model: ${commands} commands executed\n`);
});
