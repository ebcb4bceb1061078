import type { FastifyInstance } from 'fastify';
import { nestedDeeperThan, textProblem } from '../shared/model/index.ts';
import { ApiError, errorBody } from './errors.ts';

/**
 * Every route: a NUL character or a lone UTF-16 surrogate in a path id, a query parameter or any
 * body field (names included) is refused with 400 INVALID_TEXT naming the field, before the
 * route's schema and before anything is written. PostgreSQL can store neither, and deep in a write
 * it surfaced as 500 STORE_FAILED (issue 18). The webhook receivers answer providers in their own
 * codes, so there it is their WEBHOOK_INVALID_REQUEST. A body nested deeper than any request
 * needs is refused first (400 INVALID_REQUEST): walks of it further in (schemas, hashing, the
 * store's JSON) need not each survive thousands of levels.
 */
export const MAX_BODY_DEPTH = 32;
export function installTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req, reply) => {
    if (nestedDeeperThan(req.body, MAX_BODY_DEPTH)) {
      const message = `body nests arrays and objects more than ${MAX_BODY_DEPTH} levels deep; no calhub request needs more than a few`;
      if (req.url.startsWith('/webhooks/')) return reply.code(400).send(errorBody('WEBHOOK_INVALID_REQUEST', message));
      throw new ApiError('INVALID_REQUEST', message);
    }
    const problem = textProblem(req.params, 'params') ?? textProblem(req.query, 'querystring') ?? textProblem(req.body, 'body');
    if (!problem) return;
    const message = `${problem}; send well-formed text without NUL characters`;
    if (req.url.startsWith('/webhooks/')) return reply.code(400).send(errorBody('WEBHOOK_INVALID_REQUEST', message));
    throw new ApiError('INVALID_TEXT', message);
  });
}
