/**
 * `calhub worker` told to stop while it is still starting, waiting on a Redis that does not answer:
 * the first SIGTERM ends it within a few seconds. It was unheard until a second signal (systemd's
 * SIGKILL after its stop timeout), because the signal was only looked at once the launch was up.
 * Meanwhile Redis's refusals are not printed to stderr as raw stacks by queues nobody listened to.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { BIN, ROOT } from '../support/cli.ts';

const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('a worker stopped while it waits for Redis', () => {
  const schema = `t_stopstart_${process.pid}_${randomBytes(3).toString('hex')}`;
  let db: pg.Client;
  let deadPort = 0;
  before(async () => {
    db = new pg.Client({ connectionString: PG });
    await db.connect();
    await db.query(`CREATE SCHEMA ${schema}`);
    // A port nothing listens on: taken and let go again.
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    deadPort = (probe.address() as { port: number }).port;
    probe.close();
  });
  after(async () => {
    await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db?.end();
  });

  it('ends on the first SIGTERM, within seconds', async (t) => {
    const env = {
      ...process.env,
      DATABASE_URL: `${PG}?options=${encodeURIComponent(`-c search_path=${schema},public`)}`,
      CALHUB_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      REDIS_URL: `redis://127.0.0.1:${deadPort}/0`,
      LOG_LEVEL: 'warn',
    };
    const child = spawn(process.execPath, [BIN, 'worker'], { cwd: ROOT, env });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    // A failed assertion before the SIGTERM must not leave the worker running (one did for half an hour).
    t.after(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
    // Stopped once it is waiting for Redis (it logs that Redis is unreachable), not after a fixed time.
    for (const until = Date.now() + 60_000; !/"msg":"Redis unreachable"/.test(log); await new Promise((r) => setTimeout(r, 100))) {
      assert.ok(Date.now() < until && child.exitCode === null, `the worker never said it waits for Redis: ${log}${err}`);
    }
    assert.equal(child.exitCode, null, `the worker is still starting (it waits for Redis): ${err}`);
    const sent = Date.now();
    child.kill('SIGTERM');
    const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const [code] = await exited;
    clearTimeout(timeout);
    assert.equal(code, 0, err);
    assert.ok(Date.now() - sent < 12_000, `it took ${Date.now() - sent} ms`);
    assert.match(err, /stopped before it finished starting/);
    // Redis's refusals are logged as JSON lines, not printed by BullMQ as raw stacks (one per retry).
    assert.doesNotMatch(err, /^Error: connect ECONNREFUSED/m);
  });
});
