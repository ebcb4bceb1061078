import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HubError } from '../errors.ts';
import type { Db } from './db.ts';

const dir = fileURLToPath(new URL('./migrations/', import.meta.url));

export function migrationFiles(): Array<{ version: number; name: string; sql: string }> {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((name) => ({ version: Number(name.slice(0, 4)), name, sql: readFileSync(dir + name, 'utf8') }))
    .map((m, i, all) => {
      // Versions are the key in schema_migrations: a second file with a taken number would be skipped silently.
      if (i > 0 && all[i - 1]!.version === m.version) throw new Error(`two migrations share version ${m.version}: ${all[i - 1]!.name} and ${m.name}`);
      return m;
    });
}

/**
 * Applies pending migrations in order, each in its own transaction. On PostgreSQL an advisory lock
 * serializes concurrent migrators (several workers starting at once, parallel test schemas).
 */
export async function migrate(db: Db, opts: { upTo?: number; onApplied?: (name: string, ms: number) => void } = {}): Promise<string[]> {
  // `IF NOT EXISTS` is not race-safe on PostgreSQL: two processes creating the table at once both
  // pass the check and one fails on the catalog's unique index. So the lock comes first.
  await db.transaction(async (tx) => {
    if (db.driver === 'postgres') {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('calhub-migrate'))`);
      await tx.query('CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public');
    } else {
      await tx.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    }
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  });
  await refuseNewerSchema(db);
  const applied: string[] = [];
  for (const m of migrationFiles().filter((f) => opts.upTo === undefined || f.version <= opts.upTo)) {
    const t0 = performance.now();
    const done = await db.transaction(async (tx) => {
      if (db.driver === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(hashtext('calhub-migrate'))`);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (seen.length) return false;
      for (const stmt of splitSql(m.sql)) await tx.query(stmt);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (!done) continue;
    applied.push(m.name);
    opts.onApplied?.(m.name, Math.round(performance.now() - t0));
  }
  return applied;
}

/** The store was migrated by a newer calhub than this one. */
export class SchemaNewerError extends HubError {
  constructor(names: string[]) {
    super('SCHEMA_NEWER', 'never', `the database holds migrations this calhub does not have (${names.join(', ')}): a newer calhub upgraded it. Run that version (or newer), or restore a backup made before the upgrade; this one would run on a schema it does not know`);
    this.name = 'SchemaNewerError';
  }
}

/**
 * An older calhub on a newer schema started and wrote as if nothing had changed: columns it does not
 * know were left stale (an account's access after a reconnect), and `migrate` called the schema current.
 */
async function refuseNewerSchema(db: Db): Promise<void> {
  const known = Math.max(0, ...migrationFiles().map((m) => m.version));
  const newer = await db.query<{ name: string }>('SELECT name FROM schema_migrations WHERE version > $1 ORDER BY version', [known]);
  if (newer.length) throw new SchemaNewerError(newer.map((r) => r.name));
}

/**
 * Splits on semicolons that end a line, outside `$$` bodies (the webhook triggers' functions);
 * the migrations keep to that form.
 */
export function splitSql(sql: string): string[] {
  const parts = sql.split('$$');
  const statements: string[] = [];
  let current = '';
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      current += `$$${part}$$`;
      return;
    }
    const pieces = part.split(/;\s*$/m);
    current += pieces[0];
    for (const piece of pieces.slice(1)) {
      statements.push(current);
      current = piece;
    }
  });
  statements.push(current);
  return statements.map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter(Boolean);
}
