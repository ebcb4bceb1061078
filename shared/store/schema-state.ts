import type { Queryable } from './db.ts';

/** Names of the migrations applied to this store, in order. */
export async function appliedMigrations(db: Queryable): Promise<string[]> {
  return (await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version')).map((v) => v.name);
}
