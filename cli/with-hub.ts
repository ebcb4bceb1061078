import { HubError } from '../shared/errors.ts';
import type { Hub, HubOptions } from '../hub/index.ts';
import { tenantToCheck } from './command-run.ts';
import { hostingHub } from './hosted.ts';

// Loaded by a command that runs, not by its --help (~0.7 s of CPU: the hub and every package it uses).
const hubApi = () => import('../hub/index.ts');

/** How long a command waits for the queue's Redis before it exits 3 (cli/exit-codes.ts). */
export const REDIS_ANSWER_WITHIN_MS = 10_000;

/** Opens the hub for one command (log lines to stderr: stdout is the result), runs fn, closes it. */
export async function withHub<T>(opts: HubOptions, fn: (hub: Hub) => Promise<T>): Promise<T> {
  // Run by `calhub start` for a command process (cli/hosted.ts): its hub, which stays open.
  const running = hostingHub();
  if (running) {
    await checkTenant(running);
    return fn(running);
  }
  const hub = await (await hubApi()).openHub({ quiet: true, redisAnswerWithinMs: REDIS_ANSWER_WITHIN_MS, ...opts });
  try {
    await checkTenant(hub);
    return await fn(hub);
  } finally {
    await hub.close();
  }
}

/** The tenant the command names with --tenant exists (cli/command-run.ts): exit 2, NOT_FOUND, as for any unknown id. */
async function checkTenant(hub: Hub): Promise<void> {
  const tenantId = tenantToCheck();
  if (tenantId && !(await hub.store.tenants.get(tenantId))) throw new HubError('NOT_FOUND', 'never', `no tenant ${tenantId}`); // as hub/errors.ts MissingError says it
}
