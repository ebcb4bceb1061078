// Each integration test's store is a schema `t_int_<pid>_<8 hex>` on the PostgreSQL server
// (test/support/test-store.ts), dropped when the store closes. A test process that is killed or
// times out never closes it, and its schema (tables, indexes, rows) stays on the server for good.
// The runner drops, at its start, the schemas whose process no longer runs. Only names of exactly
// that form, only a process that is gone (kill -0 says so; someone else's process counts as
// running), and only on a server on this machine: a pid says nothing about another machine's processes.

/** test-store.ts's schema name: the pid of the process that made it and 4 random bytes. */
export const TEST_SCHEMA = /^t_int_(\d+)_[0-9a-f]{8}$/;

const THIS_MACHINE = new Set(['127.0.0.1', 'localhost', '[::1]', '']); // '': a Unix socket

export function running(pid) {
  if (!Number.isSafeInteger(pid) || pid <= 0) return true; // no process of ours: never drop it
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Drops the test schemas whose process no longer runs; answers their names, or why none was looked at. */
export async function dropLeftoverSchemas(databaseUrl, isRunning = running) {
  const host = new URL(databaseUrl).hostname;
  if (!THIS_MACHINE.has(host)) return { dropped: [], skipped: `the server (${host}) is not on this machine` };
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const dropped = [];
  try {
    const { rows } = await client.query('SELECT nspname FROM pg_namespace ORDER BY nspname');
    for (const { nspname: name } of rows) {
      const m = TEST_SCHEMA.exec(name);
      if (!m || isRunning(Number(m[1]))) continue;
      try {
        // A lock still held (the killed process's backend not yet gone) waits 2 s, then the next run drops it.
        await client.query('BEGIN');
        await client.query(`SET LOCAL lock_timeout = '2s'`);
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
        await client.query('COMMIT');
        dropped.push(name);
      } catch {
        await client.query('ROLLBACK').catch(() => undefined);
      }
    }
  } finally {
    await client.end();
  }
  return { dropped };
}
