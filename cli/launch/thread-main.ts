/**
 * A thread's side of the protocol in threads.ts: start the thread's part of the hub, say `ready`
 * (or `failed`), answer calls, close on `stop`. Its log lines go straight to the process's stdout
 * (fd 1), not through the main thread, so a busy thread's logging costs the API nothing; each
 * carries `thread` to tell them apart.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { createLogger, type Logger } from '../../shared/logger.ts';
import { lowerThreadPriority } from './thread-nice.ts';
import { errorData, type FromThread, type ThreadData, type ToThread } from './threads.ts';

export interface ThreadBody {
  /** What the main thread may ask for (threads.ts `call`). */
  handlers?: Record<string, () => Promise<unknown>>;
  close(): Promise<void>;
}

export const threadData = workerData as ThreadData;

/** The thread's logger: the same output, level and redaction as the main thread's, plus `thread`. */
export function threadLogger(level: string): Logger {
  const d = threadData;
  // Synchronous writes of whole lines: lines of different threads never interleave mid-line.
  const destination = pino.destination({ fd: 1, sync: true });
  return createLogger({ level, destination, pretty: d.pretty, colorize: d.colorize }).child({ thread: d.name });
}

export function threadMemory(): { heapUsed: number; heapTotal: number; external: number } {
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
}

export async function runThread(start: () => Promise<ThreadBody>): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runThread runs inside a worker thread of calhub start');
  const send = (m: FromThread) => port.postMessage(m);
  // Below the API thread's priority, as the launcher says (CALHUB_THREAD_NICE, thread-nice.ts).
  if (typeof threadData.nice === 'number') lowerThreadPriority(threadData.nice);
  let body: ThreadBody;
  try {
    body = await start();
  } catch (e) {
    send({ type: 'failed', error: errorData(e) });
    // Whatever it opened before failing (a half-open connection, a timer) must not keep it alive.
    process.exit(1);
  }
  // Every thread reports its own isolate's memory (the process's RSS covers them all).
  const handlers: Record<string, () => Promise<unknown>> = { memory: async () => threadMemory(), ...body.handlers };
  port.on('message', (m: ToThread) => {
    if (m.type === 'call') {
      const handler = handlers[m.name];
      const answer = handler ? handler() : Promise.reject(new Error(`no handler ${m.name}`));
      answer.then(
        (value) => send({ type: 'reply', id: m.id, value }),
        (e: unknown) => send({ type: 'reply', id: m.id, error: errorData(e) }),
      );
    } else if (m.type === 'stop') {
      // close() logs what failed itself; the thread ends either way.
      void body.close().catch(() => undefined).finally(() => {
        send({ type: 'stopped' });
        // Ends this thread only (not the process), whatever timers or sockets are still open.
        process.exit(0);
      });
    }
  });
  send({ type: 'ready' });
}
