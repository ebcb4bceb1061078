/** A thread for threads.test.ts: behaves as its workerData `mode` says. */
import { resourceLimits } from 'node:worker_threads';
import { getPriority } from 'node:os';
import { runThread, threadData } from '../thread-main.ts';
import { threadId } from '../thread-nice.ts';

const mode = String(threadData['mode']);
await runThread(async () => {
  if (mode === 'fail') throw Object.assign(new Error('cannot open it'), { code: 'STORE_FAILED', retry: 'backoff' });
  if (mode === 'crash') setTimeout(() => { throw new Error('boom'); }, 50);
  return { handlers: { answer: async () => 42, limits: async () => resourceLimits, priority: async () => getPriority(threadId() ?? 0) }, close: async () => undefined };
});
