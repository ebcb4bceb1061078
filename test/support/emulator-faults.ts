/**
 * The model test's faults (sync-engine/test-support/model.ts) as injections into an emulator: each
 * MemoryFault becomes the provider's own answer for it, armed only while the hub syncs.
 */
import type { MemoryFault } from '../../connectors/memory/index.ts';
import type { ProviderDriver } from '../../sync-engine/test-support/model.ts';

export type Inject = (f: MemoryFault) => void;

export function withFaults(driver: ProviderDriver, inject: Inject, clear: () => void): ProviderDriver {
  const pending: MemoryFault[] = [];
  return {
    ...driver,
    fault: (f) => void pending.push(f),
    arm: () => pending.splice(0).forEach(inject),
    disarm: clear,
  };
}
