/**
 * A POST that takes no input (test) validates its body as `{}` with no properties, or one whose fields are all optional (rotate-secret),
 * and accepts no body at all too (webhook-routes.ts noBodyNeeded). @fastify/swagger marks every
 * body schema required, so the typed client demanded a body of that shape; here such a body is
 * documented as optional, as the server treats it.
 */

type Operation = { requestBody?: { required?: boolean; content?: Record<string, { schema?: { type?: unknown; properties?: object; additionalProperties?: unknown; required?: string[] } }> } };

const takesNothing = (s: { type?: unknown; properties?: object; additionalProperties?: unknown } | undefined) =>
  s?.type === 'object' && s.additionalProperties === false && Object.keys(s.properties ?? {}).length === 0;

/** Routes whose body has only optional fields and that accept no body at all too (noBodyNeeded). */
export const OPTIONAL_BODY_ROUTES = new Set(['post /v1/webhooks/{id}/rotate-secret', 'post /v1/accounts/{id}/resync']);

export function markEmptyBodiesOptional<T extends object>(doc: T): T {
  const paths = (doc as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const body = op.requestBody;
      if (!body?.content) continue;
      if (OPTIONAL_BODY_ROUTES.has(`${method} ${path}`) || Object.values(body.content).every((c) => takesNothing(c.schema))) body.required = false;
    }
  }
  return doc;
}
