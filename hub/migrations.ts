import { appliedMigrations, migrationFiles } from '../shared/store/index.ts';
import type { Hub } from './open-hub.ts';

export interface MigrationState {
  /** Applied by this hub's opening: what `calhub migrate` did now. */
  appliedNow: string[];
  /** Every migration the schema has, this run's included. */
  applied: string[];
  available: string[];
}

/** Opening a hub migrates its store; this reports what that opening applied and the schema it left. */
export async function migrationState(hub: Hub): Promise<MigrationState> {
  return { appliedNow: hub.migrated, applied: await appliedMigrations(hub.store.db), available: migrationFiles().map((m) => m.name) };
}

/** One line: the migrations applied now, or the version the schema was already at. */
export function migrationsSaid(appliedNow: string[], applied: string[]): string {
  if (appliedNow.length) return `migrations applied: ${appliedNow.join(', ')}`;
  const last = applied.at(-1);
  return last ? `migrations applied: none; schema is current at ${last.slice(0, 4)}` : 'migrations applied: none';
}
