import { appliedMigrations, migrationFiles } from '../shared/store/index.ts';
import type { Hub } from './open-hub.ts';

/** Opening a hub migrates its store; this reports the schema it left. */
export async function migrationState(hub: Hub): Promise<{ applied: string[]; available: string[] }> {
  return { applied: await appliedMigrations(hub.store.db), available: migrationFiles().map((m) => m.name) };
}
