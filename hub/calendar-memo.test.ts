/** The calendar memo across the threads of `calhub start` on a data dir: the reports cross a BroadcastChannel (launch.ts). */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../shared/config/index.ts';
import { createLogger } from '../shared/logger.ts';
import { MEMO_NEVER_RECHECKS, runCalendarMemoContract } from './calendar-memo.contract.ts';
import { openHub } from './open-hub.ts';

runCalendarMemoContract('free/busy calendar memo across the threads of calhub start', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'calhub-memo-'));
  const config = loadConfig({ ...process.env, CALHUB_DATA_DIR: dir, CALHUB_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`, DATABASE_URL: '', REDIS_URL: '' });
  const logger = createLogger({ level: 'silent' });
  const channel = `calhub-memo-test-${randomBytes(4).toString('hex')}`;
  const api = await openHub({ config, logger, shareEmbedded: true, changes: { channel, memo: MEMO_NEVER_RECHECKS } });
  const sync = await openHub({ config, logger, shareEmbedded: true, embeddedClient: true, changes: { channel } });
  return { api, sync, dispose: () => rm(dir, { recursive: true, force: true }) };
});
