/**
 * `calhub start`'s store thread: the embedded PGlite database and the socket server that serves
 * it (shared/store/embedded.ts). PGlite executes every statement synchronously in WebAssembly;
 * here that blocks only this thread, while the API and the sync work reach it through the socket
 * like any other calhub process of the data dir.
 */
import { serveEmbedded } from '../../shared/embedded-store.ts';
import { runThread, threadData, threadLogger } from './thread-main.ts';

await runThread(async () => {
  const log = threadLogger(String(threadData['logLevel'] ?? 'info'));
  const dataDir = String(threadData['dataDir']);
  const served = await serveEmbedded(dataDir);
  // Another process already serves this data dir: the main thread connects to it (and the
  // managed Redis refuses a second hub on the same data dir, as before threads).
  if (!served) log.info({ dataDir }, 'the embedded database is served by another process');
  return { close: async () => served?.close().catch((e: unknown) => log.error({ err: e }, 'closing the embedded database failed')) };
});
