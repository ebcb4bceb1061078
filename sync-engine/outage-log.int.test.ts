import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Store } from '../shared/store/index.ts';
import { SyncEngine } from './engine.ts';
import { memoryEnv } from './test-support/memory-env.ts';

// With Redis down, each worker wrote an error line with its stack several times a second.
test('a sync worker whose Redis is unreachable logs it once, not per reconnect attempt', async (t) => {
  // On the PostgreSQL server: an in-memory PGlite cost this file most of its ~30 s (WASM start and
  // migrations), and the store is not what it is about.
  const schema = `t_outage_log_${process.pid}_${randomBytes(3).toString('hex')}`;
  const store = await Store.open({ databaseUrl: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', schema });
  t.after(async () => {
    await store.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await store.close();
  });
  const env = await memoryEnv({ calendars: 1, store });
  const lines: string[] = [];
  const capture = { ...env.deps.log, error: (_: unknown, m?: string) => void lines.push(String(m)), warn: () => {}, info: () => {}, debug: () => {}, child: () => capture };
  env.deps.log = capture as unknown as typeof env.deps.log;
  // Port 1: nothing listens; ioredis retries quickly.
  const connection = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: null, retryStrategy: () => 100, lazyConnect: true });
  connection.on('error', () => {});
  let attempts = 0;
  connection.on('reconnecting', () => void (attempts += 1));
  const engine = new SyncEngine({ connection, prefix: 'calhub-test-outage', deps: env.deps });
  engine.startWorker(1);
  // Many reconnect attempts (not a fixed time): each one used to add a line.
  for (const until = Date.now() + 20_000; attempts < 15; await sleep(50)) assert.ok(Date.now() < until, `only ${attempts} reconnect attempts in 20 s`);
  const said = lines.filter((l) => /Redis|worker error/.test(l));
  assert.deepEqual(said, ['Redis unreachable']);
  await Promise.race([engine.close(), sleep(3000)]);
  connection.disconnect();
  await env.close();
});
