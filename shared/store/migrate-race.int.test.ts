import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { migrate } from './migrate.ts';
import { openPg } from './pg-driver.ts';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// Split roles start together on an empty database: every one of them must come up, not just the first.
test('concurrent migrators on a fresh schema all succeed', async () => {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    for (let round = 0; round < 6; round++) {
      const schema = `t_migrace_${process.pid}_${round}_${Date.now().toString(36)}`;
      try {
        const dbs = await Promise.all(Array.from({ length: 4 }, () => openPg({ connectionString: url, schema, max: 2 })));
        try {
          const results = await Promise.allSettled(dbs.map((db) => migrate(db)));
          const failed = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason?.cause ?? (r as PromiseRejectedResult).reason));
          assert.deepEqual(failed, [], `round ${round}`);
          const applied = results.flatMap((r) => (r as PromiseFulfilledResult<string[]>).value);
          assert.equal(new Set(applied).size, applied.length, 'each migration applied once');
        } finally {
          await Promise.all(dbs.map((db) => db.close()));
        }
      } finally {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }
    }
  } finally {
    await admin.end();
  }
});
