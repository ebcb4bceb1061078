import { openHub, type Hub, type HubOptions } from '../hub/index.ts';

/** Opens the hub for one command (log lines to stderr: stdout is the result), runs fn, closes it. */
export async function withHub<T>(opts: HubOptions, fn: (hub: Hub) => Promise<T>): Promise<T> {
  const hub = await openHub({ quiet: true, ...opts });
  try {
    return await fn(hub);
  } finally {
    await hub.close();
  }
}
