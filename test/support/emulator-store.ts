/**
 * What most emulator tests of a describe block share: an in-memory store (PGlite, migrated) and
 * one provider emulator, started before its tests and closed after them. Call it in the describe
 * body; read `store` and `emu` inside the tests (they exist once `before` has run).
 */
import { after, before } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { openTestStore } from './test-store.ts';

export interface StoreAnd<E> {
  readonly store: Store;
  readonly emu: E;
}

export function storeAnd<E extends { close(): Promise<void> }>(start: () => Promise<E>): StoreAnd<E> {
  const held: { store?: Store; emu?: E } = {};
  before(async () => {
    held.store = await openTestStore();
    await held.store.migrate();
    held.emu = await start();
  });
  after(async () => {
    await held.store?.close();
    await held.emu?.close();
  });
  return {
    get store() {
      return held.store!;
    },
    get emu() {
      return held.emu!;
    },
  };
}

export const storeAndGoogle = (): StoreAnd<RunningGoogleEmulator> => storeAnd(() => startGoogleEmulator());
export const storeAndGraph = (): StoreAnd<MicrosoftEmulator> => storeAnd(() => startMicrosoftEmulator());
