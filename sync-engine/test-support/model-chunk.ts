/**
 * One chunk of the model-based sync test (R3): random command lists over three memory calendars
 * with mirror rules. Five chunks of 80 runs of at least 25 commands: at least 10,000 commands by
 * construction (target R3), spread so CI runs them side by side. MODEL_RUNS overrides the number of runs; a failure prints its seed and the
 * shrunk command list, and `MODEL_SEED=<seed> npm test -- model` replays it.
 */
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { Store } from '../../shared/store/index.ts';
import { commandArb, runModel } from './model.ts';
import { modelSeed } from './model-seed.ts';

const MIN_COMMANDS = 25;

export function modelChunk(name: string, defaultRuns: number): void {
  let store: Store;
  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
  });
  after(async () => store?.close());

  const runs = Number(process.env.MODEL_RUNS ?? defaultRuns);
  const seed = modelSeed(`model-${name}`);
  let commands = 0;

  test(`model-based sync ${name}: ${runs} runs of 25-60 commands over three calendars with mirror rules`, { timeout: 1_200_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: MIN_COMMANDS, maxLength: 60 }), async (cmds) => {
        commands += await runModel(store, cmds);
      }),
      { numRuns: runs, seed, verbose: 1 },
    );
    process.stdout.write(`# model-based sync ${name}: ${commands} commands executed\n`);
  });
}
