/**
 * One chunk of the model-based sync test (R3): random command lists over three memory calendars
 * with mirror rules. Five chunks of 80 runs of at least 25 commands: at least 10,000 commands by
 * construction (target R3), spread so CI runs them side by side. Under CI's fixed seeds each chunk
 * makes half its runs (modelRuns), at least 5,000 commands, and fails unless they drew every kind of
 * command; `npm run test:model` and plain `npm test` make them all. Some chunks run on a PostgreSQL
 * server, the others on in-memory PGlite: both stores meet the model, and the server chunks cost
 * about half the CPU (PGlite's WASM was two thirds of a chunk's time). MODEL_RUNS sets the number of runs; a failure prints its seed and the
 * shrunk command list, and `MODEL_SEED=<seed> npm test -- model` replays it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import pg from 'pg';
import { Store } from '../../shared/store/index.ts';
import { COMMAND_KINDS, commandArb, commandKind, runModel } from './model.ts';
import { modelRuns, modelSeed } from './model-seed.ts';

const MIN_COMMANDS = 25;

const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function modelChunk(name: string, defaultRuns: number, on: 'pglite' | 'postgres' = 'pglite'): void {
  let store: Store;
  const schema = `t_model_${process.pid}_${Date.now().toString(36)}`;
  before(async () => {
    store = on === 'postgres' ? await Store.open({ databaseUrl: PG, schema }) : await Store.open({ dataDir: null });
    await store.migrate();
  });
  after(async () => {
    if (on === 'postgres') await dropSchema(schema);
    await store?.close();
  });

  const runs = modelRuns('MODEL_RUNS', defaultRuns);
  const seed = modelSeed(`model-${name}`);
  let commands = 0;
  const kinds = new Set<string>();

  test(`model-based sync ${name}: ${runs} runs of 25-60 commands over three calendars with mirror rules (${on === 'postgres' ? 'PostgreSQL server' : 'PGlite'})`, { timeout: 1_200_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: MIN_COMMANDS, maxLength: 60 }), async (cmds) => {
        for (const cmd of cmds) kinds.add(commandKind(cmd));
        commands += await runModel(store, cmds);
      }),
      { numRuns: runs, seed, verbose: 1 },
    );
    process.stdout.write(`# model-based sync ${name}: ${commands} commands executed\n`);
    // A fixed seed (CI) replays the same lists every time: a change of runs or seed must not leave a kind out.
    if (process.env.MODEL_SEED_BASE) assert.deepEqual(COMMAND_KINDS.filter((k) => !kinds.has(k)), [], `the fixed seed's ${runs} runs drew no command of these kinds`);
  });
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
