/**
 * Reads a tenant's free/busy from the hub's port the way a client of `calhub start` does: from
 * another process (http-reader-child.ts), so the client's own work and garbage do not run on the
 * event loop whose latency it measures.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Latencies {
  freebusy: number[];
  healthz: number[];
}

/** Resolves once the first request is answered; `stop` ends the loop and gives every latency (ms). */
export async function startReader(url: string, key: string, calendarIds: string[], window: { timeMin: string; timeMax: string }): Promise<{ stop: () => Promise<Latencies> }> {
  const body = JSON.stringify({ calendarIds, ...window });
  const child = fork(fileURLToPath(new URL('./http-reader-child.ts', import.meta.url)), [JSON.stringify({ url, key, body })], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let started: () => void = () => undefined;
  const up = new Promise<void>((resolve) => (started = resolve));
  const done = new Promise<Latencies>((resolve, reject) => {
    child.on('message', (m: 'started' | Latencies | { error: string }) => {
      if (m === 'started') started();
      else if ('error' in m) reject(new Error(m.error));
      else resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`the reader exited with ${code} before answering`)));
  });
  done.catch(() => undefined);
  await Promise.race([up, done]);
  return {
    stop: async () => {
      if (child.connected) child.send('stop');
      return done;
    },
  };
}
