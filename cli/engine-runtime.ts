/** The sync engine wired to this process's store, key ring and Redis. */
import type { Redis } from 'ioredis';
import { KeyRing } from '../oauth/index.ts';
import type { Metrics } from '../shared/metrics.ts';
import { SyncEngine, type EngineDeps } from '../sync-engine/index.ts';
import { makeConnect } from './connect.ts';
import type { Runtime } from './runtime.ts';

export function keyRingFor(rt: Runtime): KeyRing {
  return KeyRing.load(rt.config.encryptionKeys, rt.config.dataDir);
}

/** Engine dependencies without a queue: for in-process syncs (`resync` with no worker running). */
export function directDeps(rt: Runtime, metrics?: Metrics): EngineDeps {
  return {
    store: rt.store,
    connect: makeConnect({ store: rt.store, keyring: keyRingFor(rt), config: rt.config, log: rt.logger, metrics }),
    log: rt.logger,
    metrics,
  };
}

export function openEngine(rt: Runtime, connection: Redis, metrics?: Metrics): SyncEngine {
  return new SyncEngine({ connection, deps: directDeps(rt, metrics), staleRunMs: rt.config.syncStaleRunMs });
}
