/**
 * The calendar memo of `calhub serve` on PostgreSQL: the writer is another hub with no channel to
 * the memo's, as a `calhub worker` or a CLI command in another process is; its writes reach the
 * memo only through LISTEN/NOTIFY (shared/store/change-bus.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../shared/config/index.ts';
import { createLogger } from '../shared/logger.ts';
import { MEMO_NEVER_RECHECKS, runCalendarMemoContract } from './calendar-memo.contract.ts';
import { openHub } from './open-hub.ts';

const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

runCalendarMemoContract('free/busy calendar memo of calhub serve, told of another process\'s writes on PostgreSQL', async () => {
  const schema = `t_memo_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const dir = await mkdtemp(join(tmpdir(), 'calhub-memo-pg-'));
  const config = loadConfig({
    ...process.env,
    CALHUB_DATA_DIR: dir,
    CALHUB_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    DATABASE_URL: `${PG}?options=${encodeURIComponent(`-c search_path=${schema},public`)}`,
    REDIS_URL: '',
  });
  const logger = createLogger({ level: 'silent' });
  const api = await openHub({ config, logger, changes: { memo: MEMO_NEVER_RECHECKS } });
  const sync = await openHub({ config, logger });
  return {
    api,
    sync,
    dispose: async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
