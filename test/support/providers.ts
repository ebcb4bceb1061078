/**
 * Every kind of provider a test of the API's writes runs against, started once per file: an
 * in-memory store, both emulators, Radicale and (when asked) Xandikos. `stop` ends them all.
 */
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { startRadicale, startXandikos, type DavServer } from './dav-servers.ts';
import { openTestStore } from './test-store.ts';

export interface Providers {
  store: Store;
  google: RunningGoogleEmulator;
  ms: MicrosoftEmulator;
  radicale: DavServer;
  /** Only with `{ xandikos: true }`. */
  xandikos: DavServer | null;
  stop(): Promise<void>;
}

export async function startProviders(o: { xandikos?: boolean } = {}): Promise<Providers> {
  const store = await openTestStore();
  await store.migrate();
  const google = await startGoogleEmulator();
  const ms = await startMicrosoftEmulator();
  const radicale = await startRadicale();
  const xandikos = o.xandikos ? await startXandikos() : null;
  return {
    store, google, ms, radicale, xandikos,
    async stop() {
      await store.close();
      await google.close();
      await ms.close();
      await radicale.stop();
      await xandikos?.stop();
    },
  };
}
