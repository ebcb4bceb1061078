import { appliedMigrations, migrationFiles } from '../shared/store/index.ts';
import type { Hub } from './open-hub.ts';

export interface MigrationState {
  /** Applied by this hub's opening: what `calhub migrate` did now. */
  appliedNow: string[];
  /** Every migration the schema has, this run's included. */
  applied: string[];
  available: string[];
  /** How long each migration applied now took, and all of them (lock waits included), in ms. */
  each: Array<{ name: string; ms: number }>;
  tookMs: number;
}

/** Opening a hub migrates its store; this reports what that opening applied and the schema it left. */
export async function migrationState(hub: Hub): Promise<MigrationState> {
  return {
    appliedNow: hub.migrated,
    applied: await appliedMigrations(hub.store.db),
    available: migrationFiles().map((m) => m.name),
    each: hub.migration.each,
    tookMs: hub.migration.tookMs,
  };
}

/** One line: how many migrations were applied now and how long they took, and the schema's version. */
export function migrationsSaid(s: Pick<MigrationState, 'appliedNow' | 'applied' | 'tookMs'>): string {
  const at = s.applied.at(-1)?.slice(0, 4);
  if (s.appliedNow.length) return `migrations applied: ${s.appliedNow.length}, took ${s.tookMs} ms; schema now at ${at}`;
  return at ? `migrations applied: none; schema is current at ${at}` : 'migrations applied: none';
}
