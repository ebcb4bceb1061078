/**
 * The embedded database shared over its socket (what `calhub start` does so CLI commands can run
 * beside it): queries and transactions from several connections at once never mix their messages.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import pg from 'pg';
import { embeddedPaths } from './embedded.ts';
import { Store } from './store.ts';

it('parameterized queries and transactions from several connections over the socket stay whole', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'calhub-socket-'));
  const store = await Store.open({ dataDir: dir, shareEmbedded: true });
  // A second process's view: a pg pool on the socket, as the CLI opens it.
  const other = new pg.Pool({ host: embeddedPaths(dir).runDir, port: 5432, user: 'postgres', database: 'template1', max: 4 });
  const failures: string[] = [];
  const sum = async (q: { query(sql: string, params: unknown[]): Promise<unknown> }, i: number) => {
    try {
      const r = (await q.query('SELECT $1::int + $2::int AS s, $3::text AS t', [i, 1, `x${i}`])) as Array<{ s: number; t: string }> | { rows: Array<{ s: number; t: string }> };
      const row = Array.isArray(r) ? r[0] : r.rows[0];
      if (row?.s !== i + 1 || row.t !== `x${i}`) failures.push(`query ${i} got ${JSON.stringify(row)}`);
    } catch (e) {
      failures.push(`query ${i}: ${String((e as Error).cause ?? e)}`);
    }
  };
  const transactions = async (from: number) => {
    for (let k = from; k < from + 60; k++) {
      await store.db.transaction(async (tx) => {
        await tx.query('SELECT $1::int', [k]);
        await sum(tx, k);
      });
    }
  };
  try {
    await Promise.all([transactions(10_000), transactions(20_000), ...Array.from({ length: 400 }, (_, i) => sum(i % 2 ? store.db : other, i))]);
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} queries failed or got another query's rows`);
  } finally {
    await other.end();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('a client of the socket is embedded (PGlite\'s one session) though it speaks to it as to a server', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'calhub-socket-'));
  const served = await Store.open({ dataDir: dir, shareEmbedded: true });
  const client = await Store.open({ dataDir: dir, shareEmbedded: true, embeddedClient: true });
  try {
    assert.deepEqual([served.db.driver, served.db.embedded], ['pglite', true]);
    // `calhub start`'s API and sync threads: statements run in the store thread, yet `calhub status` names the store pglite.
    assert.deepEqual([client.db.driver, client.db.embedded], ['postgres', true]);
  } finally {
    await client.close();
    await served.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
