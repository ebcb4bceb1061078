/**
 * The model-based sync test (R3) in a smaller run against a real server: three Radicale calendars
 * joined by mirror rules, random edits on both sides, the same invariants as the memory chunks.
 */
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Store } from '../../shared/store/index.ts';
import { commandArb, runModel } from '../../sync-engine/test-support/model.ts';
import { hasBinary, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { modelSeed } from '../../sync-engine/test-support/model-seed.ts';
import { openTestStore } from '../support/test-store.ts';

describe('model-based sync against Radicale', { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
  let dav: DavServer;
  let store: Store;
  before(async () => {
    dav = await startRadicale();
    store = await openTestStore();
    await store.migrate();
  });
  after(async () => {
    await store?.close();
    await dav?.stop();
  });

  const runs = Number(process.env.MODEL_REAL_RUNS ?? 10);
  it(`${runs} runs of 15-30 commands with faults: convergence, no duplicates, no echo writes, nothing dropped`, { timeout: 900_000 }, async () => {
    let commands = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 15, maxLength: 30 }), async (cmds) => {
        commands += await runModel(store, cmds, (s) => davModelEnv(dav, s));
      }),
      { numRuns: runs, verbose: 1, seed: modelSeed('model-radicale') },
    );
    process.stdout.write(`# model-based sync against Radicale: ${commands} commands\n`);
  });
});
