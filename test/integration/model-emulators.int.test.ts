/** The model-based sync test (R3) in smaller runs through the real connectors against both emulators. */
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { Store } from '../../shared/store/index.ts';
import { commandArb, runModel, type ModelEnv } from '../../sync-engine/test-support/model.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { modelSeed } from '../../sync-engine/test-support/model-seed.ts';

type Emulator = { close(): Promise<void> };
const runs = Number(process.env.MODEL_REAL_RUNS ?? 10);

type Commands = Parameters<typeof runModel>[1];
/** Counterexamples the model found, each replayed as it was shrunk. */
type Found = Record<string, Commands>;

function modelAgainst<E extends Emulator>(name: string, start: () => Promise<E>, envFor: (emu: E, store: Store) => Promise<ModelEnv>, opts: { faults: boolean; found?: Found }): void {
  const commands = opts.faults ? commandArb : commandArb.filter((c) => c.k !== 'fault');
  describe(`model-based sync against the ${name} emulator`, () => {
    let emu: E;
    let store: Store;
    before(async () => {
      emu = await start();
      store = await Store.open({ dataDir: null });
      await store.migrate();
    });
    after(async () => {
      await store?.close();
      await emu?.close();
    });
    it(`${runs} runs of 15-30 commands${opts.faults ? ' with faults' : ''}: convergence, no duplicates, no echo writes, nothing dropped`, { timeout: 900_000 }, async () => {
      let count = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(commands, { minLength: 15, maxLength: 30 }), async (cmds) => {
          count += await runModel(store, cmds, (s) => envFor(emu, s));
        }),
        { numRuns: runs, verbose: 1, seed: modelSeed(`model-${name}`) },
      );
      process.stdout.write(`# model-based sync against the ${name} emulator: ${count} commands\n`);
    });
    for (const [what, cmds] of Object.entries(opts.found ?? {})) it(what, async () => void (await runModel(store, cmds, (s) => envFor(emu, s))));
  });
}

modelAgainst('Google Calendar', () => startGoogleEmulator(), googleModelEnv, {
  faults: true,
  found: {
    // Seed -233980408, fixed in sync-engine/push.ts: an event edited in the hub and deleted at
    // Google; the push re-creates it (409: Google keeps the id), undeletes it with an update, and
    // that update is refused (412). The version to merge against was gone (404), which ended the
    // push, and the hub's edit stayed unwritten: store and Google differed.
    'a hub edit of an event deleted at Google whose undelete is refused once reaches Google': [
      { k: 'pCreate', cal: 0 },
      { k: 'sync' },
      { k: 'hEdit', cal: 0, pick: 0, title: 'planning' },
      { k: 'pDelete', cal: 0, pick: 0 },
      { k: 'fault', fault: 'precondition-failed' },
    ],
  },
});
modelAgainst('Microsoft Graph', () => startMicrosoftEmulator(), microsoftModelEnv, { faults: true });
// The FIELD readings of provider-facts §E: thin delta items, me/events hearing only the default calendar, 412 ErrorIrresolvableConflict.
modelAgainst(
  'Microsoft Graph (FIELD switches)',
  () => startMicrosoftEmulator({ switches: { thinDeltaItems: true, meEventsDefaultCalendarOnly: true, irresolvableConflict412: true } }),
  microsoftModelEnv,
  { faults: true },
);

