/**
 * A test process killed before its store closed leaves its schema on the PostgreSQL server; the
 * runner's start drops it (scripts/test-schema-leftovers.mjs), and nothing else: not the schema of
 * a process that still runs, not a name of another form, not a schema on another machine's server.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openTestStore, TEST_DATABASE_URL } from '../test/support/test-store.ts';
// @ts-expect-error plain Node script without type declarations (the runner imports it before tsx)
import { dropLeftoverSchemas, TEST_SCHEMA } from './test-schema-leftovers.mjs';

const hex = () => randomBytes(4).toString('hex');

describe('test schemas left by processes that no longer run', { skip: process.env.TEST_STORE === 'pglite' && 'no PostgreSQL server (TEST_STORE=pglite)' }, () => {
  const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  const made: string[] = [];
  const exists = async (name: string) => (await db.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name])).rowCount === 1;
  const make = async (name: string) => {
    made.push(name);
    await db.query(`CREATE SCHEMA "${name}"`);
    await db.query(`CREATE TABLE "${name}".events (id int)`);
  };
  before(() => db.connect());
  after(async () => {
    for (const name of made) await db.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await db.end();
  });

  it('a test process killed with its store open: its schema stays, and the next start drops it', async () => {
    const code = `import { openTestStore } from ${JSON.stringify(new URL('../test/support/test-store.ts', import.meta.url).pathname)};
      const store = await openTestStore();
      const [row] = await store.db.query('SELECT current_schema() AS name');
      console.log(row.name);
      setInterval(() => {}, 60_000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((r) => child.once('exit', r));
    const name = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (c) => reject(new Error(`the child exited with ${c} before its store opened`)));
    });
    made.push(name);
    assert.match(name, TEST_SCHEMA, 'openTestStore names its schema as the cleanup looks for it');
    child.kill('SIGKILL');
    await exited;
    assert.ok(await exists(name), 'precondition: a killed process leaves its schema');
    const { dropped } = await dropLeftoverSchemas(TEST_DATABASE_URL);
    assert.ok(dropped.includes(name), `dropped: ${dropped.join(', ')}`);
    assert.equal(await exists(name), false, 'the killed process\'s schema is still there');
  });

  it('keeps the schema of a running process and every name not of the test form', async () => {
    const gone = spawnSync('true').pid!;
    const ownStore = await openTestStore();
    try {
      const [own] = await ownStore.db.query<{ name: string }>('SELECT current_schema() AS name');
      const leftover = `t_int_${gone}_${hex()}`;
      const running = `t_int_${process.pid}_${hex()}`;
      const otherForms = [`t_int_${gone}_${hex()}_x`, `x_t_int_${gone}_${hex()}`, `t_int_${gone}_${hex().toUpperCase()}`, `t_int_${gone}`];
      for (const name of [leftover, running, ...otherForms]) await make(name);
      const { dropped } = await dropLeftoverSchemas(TEST_DATABASE_URL);
      assert.ok(dropped.includes(leftover));
      for (const name of [own!.name, running, ...otherForms]) {
        assert.ok(!dropped.includes(name), `${name} was dropped`);
        assert.ok(await exists(name), `${name} is gone`);
      }
      assert.ok(dropped.every((n: string) => TEST_SCHEMA.test(n)), `dropped: ${dropped.join(', ')}`);
    } finally {
      await ownStore.close();
    }
  });

  it('does not look at a server on another machine, whose schemas\' pids are not this machine\'s', async () => {
    const answer = await dropLeftoverSchemas('postgres://postgres@db.invalid:5432/test');
    assert.deepEqual(answer.dropped, []);
    assert.match(answer.skipped, /not on this machine/);
  });
});
