/**
 * The set-up shared by the mirror tests over one calendar on each provider: Radicale, the Google
 * and Graph emulators and a store, started before the suite's tests and stopped after them. Call
 * it inside the suite's describe; its fields are set once the suite's `before` has run. Each test
 * takes a tenant of its own (mixed-model-env.ts), so the tests of a suite do not see each other.
 */
import { after, before } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import type { Store } from '../../shared/store/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { startRadicale, type DavServer } from './dav-servers.ts';
import { mixedModelEnv } from './mixed-model-env.ts';
import { openTestStore, type TestStoreOptions } from './test-store.ts';

export interface MixedProviders {
  dav: DavServer;
  google: RunningGoogleEmulator;
  graph: MicrosoftEmulator;
  store: Store;
  /** A new tenant with one calendar on each provider, in `store` (the suite's unless named). */
  tenant(store?: Store): Promise<MixedTenant>;
}

/** A tenant's model env, its store's tenant view, its calendars by provider and the providers they sit on. */
export type MixedTenant = ModelEnv & Omit<MixedProviders, 'tenant' | 'store'> & {
  t: ReturnType<Store['tenant']>;
  davCal: string;
  googleCal: string;
  graphCal: string;
};

export function mixedProviders(storeOptions: TestStoreOptions = {}): MixedProviders {
  const p = {
    async tenant(store = p.store): Promise<MixedTenant> {
      const env = await mixedModelEnv(p, store);
      const [davCal, googleCal, graphCal] = env.calendars as [string, string, string];
      return { ...env, dav: p.dav, google: p.google, graph: p.graph, t: store.tenant(env.tenantId), davCal, googleCal, graphCal };
    },
  } as MixedProviders;
  before(async () => {
    [p.dav, p.google, p.graph] = await Promise.all([startRadicale(), startGoogleEmulator(), startMicrosoftEmulator()]);
    p.store = await openTestStore(storeOptions);
    await p.store.migrate();
  });
  after(async () => {
    await p.store?.close();
    await Promise.all([p.dav?.stop(), p.google?.close(), p.graph?.close()]);
  });
  return p;
}
