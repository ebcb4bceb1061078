/**
 * `calhub start`'s sync thread: the worker role, as `calhub worker` runs it (hub.startWorkers:
 * sync jobs, CalDAV polling, maintenance, the outbound webhook dispatcher, the channel
 * supervisor). Parsing provider answers, expanding series and planning pages happen here, off the
 * thread that answers HTTP. It opens its own hub on the same store socket and the same Redis (the
 * managed one: its socket and password files), so it needs nothing from the main thread but the
 * environment.
 */
import { openHub } from '../../hub/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createMetrics } from '../../shared/metrics.ts';
import { runThread, threadData, threadLogger } from './thread-main.ts';
import { startWorkerRole } from './worker-role.ts';

await runThread(async () => {
  const config = loadConfig(process.env);
  const log = threadLogger(config.logLevel);
  // Counters and histograms only: /metrics on the main thread adds them to its own (Node's
  // defaults there cover the whole process).
  const metrics = createMetrics({ defaults: false });
  const embedded = !config.databaseUrl;
  // Its store writes are reported to the API thread's calendar memo (launch.ts).
  const channel = threadData['changes'];
  const changes = typeof channel === 'string' ? { changes: { channel } } : {};
  const hub = await openHub({ config, logger: log, metrics, queue: 'required', shareEmbedded: embedded, embeddedClient: embedded, ...changes });
  try {
    await startWorkerRole(hub, log, metrics);
  } catch (e) {
    await hub.close();
    throw e;
  }
  return { handlers: { metrics: () => metrics.counted() }, close: () => hub.close() };
});
