/** The queues the dashboard at /admin/queues shows: sync and maintenance, on the hub's Redis. */
import { Queue } from 'bullmq';
import { MAINTENANCE_QUEUE } from '../sync-engine/index.ts';
import type { Hub } from './open-hub.ts';

/** Null without a queue, or without CALHUB_ADMIN_PASSWORD: then there is no dashboard at all. */
export function dashboardQueues(hub: Hub): { password: string; queues: Queue[]; close(): Promise<void> } | null {
  if (!hub.engine || !hub.config.adminPassword) return null;
  const sync = hub.engine.queue;
  const maintenance = new Queue(MAINTENANCE_QUEUE, { connection: sync.opts.connection, prefix: sync.opts.prefix });
  return { password: hub.config.adminPassword, queues: [sync, maintenance], close: () => maintenance.close() };
}
