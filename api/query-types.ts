import type { FastifyInstance } from 'fastify';

type QuerySchema = { properties?: Record<string, { type?: unknown }> };

/**
 * Query parameters the schema types as integer or boolean arrive as text. Ajv's coerceTypes stays
 * off (bodies must not turn "42" into 42), and its query-only coercion would also take " 5", "1e3"
 * or "0x10" as numbers; so only plain digits and exactly "true"/"false" are converted here, and
 * anything else stays text for the schema to refuse with 400. The OpenAPI document (and so the typed
 * client) then says `limit: number` and `ifFree: boolean`, which is what a client means.
 */
export function installQueryTypes(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const props = (req.routeOptions.schema?.querystring as QuerySchema | undefined)?.properties;
    const query = req.query as Record<string, unknown> | undefined;
    if (!props || !query) return;
    for (const [name, value] of Object.entries(query)) {
      const type = props[name]?.type;
      if (typeof value !== 'string') continue;
      if (type === 'integer' && /^[0-9]{1,15}$/.test(value)) query[name] = Number(value);
      else if (type === 'boolean' && (value === 'true' || value === 'false')) query[name] = value === 'true';
    }
  });
}
