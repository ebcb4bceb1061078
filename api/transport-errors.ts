/**
 * Answers the server gives before a route's handler runs, documented on each operation they can
 * reach (the OpenAPI document left them out, so generated clients had no type for them):
 * - 431 HEADERS_TOO_LARGE on every route: the request line (a long URL too) and headers over
 *   Node's 16 KiB, answered by the HTTP parser (errors.ts rawClientError);
 * - 414 URI_TOO_LONG where the path has a parameter: one over MAX_PATH_PARAM_LENGTH (100) characters (app.ts frameworkErrors);
 * - 415 UNSUPPORTED_MEDIA_TYPE where the method takes a body (POST, PUT, PATCH and DELETE: Fastify
 *   parses a body on each): a body that is not JSON.
 */
import type { RouteOptions } from 'fastify';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const error = { $ref: 'Error#' } as const;

type Schema = { hide?: boolean; response?: Record<string, unknown> };

/** For an onRoute hook registered before @fastify/swagger, so the document carries what it adds. */
export function documentTransportErrors(r: RouteOptions): void {
  const schema = r.schema as Schema | undefined;
  if (!schema || schema.hide) return;
  const methods = (Array.isArray(r.method) ? r.method : [r.method]).map((m) => m.toUpperCase());
  const added: Record<string, unknown> = { 431: error };
  if (r.url.includes(':')) added[414] = error;
  if (methods.some((m) => BODY_METHODS.has(m))) added[415] = error;
  r.schema = { ...schema, response: { ...added, ...schema.response } };
}
