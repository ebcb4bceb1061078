/**
 * The queue dashboard (bull-board) at /admin/queues: the sync and maintenance queues, their jobs,
 * failures and retries. Off unless CALHUB_ADMIN_PASSWORD is set; every request under the prefix,
 * its assets and JSON API included, needs HTTP Basic credentials `admin:<password>`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const ADMIN_PREFIX = '/admin/queues';
export const ADMIN_USER = 'admin';

export interface AdminQueuesOptions {
  password: string;
  queues: Queue[];
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time check of a Basic `Authorization` header against admin:<password>. */
export function adminAuthorized(header: string | undefined, password: string): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]!, 'base64').toString('utf8');
  return timingSafeEqual(digest(given), digest(`${ADMIN_USER}:${password}`));
}

function challenge(reply: FastifyReply): FastifyReply {
  return reply
    .code(401)
    .header('www-authenticate', 'Basic realm="calhub admin", charset="UTF-8"')
    .header('cache-control', 'no-store')
    .send({ error: { code: 'ADMIN_UNAUTHORIZED', message: 'the queue dashboard needs the admin credential (user admin, password CALHUB_ADMIN_PASSWORD)' } });
}

export async function registerAdminQueues(app: FastifyInstance, opts: AdminQueuesOptions): Promise<void> {
  const server = new FastifyAdapter();
  server.setBasePath(ADMIN_PREFIX);
  createBullBoard({ queues: opts.queues.map((q) => new BullMQAdapter(q)), serverAdapter: server, options: { uiConfig: { boardTitle: 'calhub queues' } } });
  await app.register(async (admin) => {
    // The dashboard's own routes stay out of the OpenAPI document: they are not the tenant API.
    admin.addHook('onRoute', (r) => void (r.schema = { ...(r.schema ?? {}), hide: true }));
    admin.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      if (!adminAuthorized(req.headers.authorization, opts.password)) return challenge(reply);
    });
    await admin.register(server.registerPlugin(), { prefix: ADMIN_PREFIX });
  });
}
