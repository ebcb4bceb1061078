/**
 * A POST that takes no input (rotate-secret, test) validates its body as `{}` with no properties,
 * and accepts no body at all too (webhook-routes.ts noBodyNeeded). @fastify/swagger marks every
 * body schema required, so the typed client demanded a body of that shape; here such a body is
 * documented as optional, as the server treats it.
 */
type Operation = { requestBody?: { required?: boolean; content?: Record<string, { schema?: { type?: unknown; properties?: object; additionalProperties?: unknown } }> } };

const takesNothing = (s: { type?: unknown; properties?: object; additionalProperties?: unknown } | undefined) =>
  s?.type === 'object' && s.additionalProperties === false && Object.keys(s.properties ?? {}).length === 0;

export function markEmptyBodiesOptional<T extends object>(doc: T): T {
  const paths = (doc as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  for (const ops of Object.values(paths)) {
    for (const op of Object.values(ops)) {
      const body = op.requestBody;
      if (body?.content && Object.values(body.content).every((c) => takesNothing(c.schema))) body.required = false;
    }
  }
  return doc;
}
