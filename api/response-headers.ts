/**
 * Response headers in the OpenAPI document (the route schemas describe bodies only; adding
 * `headers` there would reach the response serializers):
 * - Retry-After on every 429 (RATE_LIMITED, WRITE_BUDGET_EXCEEDED) and on 503, where
 *   STORE_UNAVAILABLE sends it (any /v1 route can meet a store outage, so each documents 503);
 * - the rate-limit fields of the per-key API limit (api/rate-limit-headers.ts) on every /v1 answer
 *   that passed authentication: successes and 429.
 */
import { RATE_LIMIT_HEADERS } from './rate-limit-headers.ts';

type Response = { description?: string; headers?: Record<string, unknown>; content?: unknown };
type Operation = { responses?: Record<string, Response> };

const retryAfter = {
  'Retry-After': {
    description: 'Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE.',
    schema: { type: 'integer', minimum: 0 },
  },
};

export function documentResponseHeaders<T extends object>(doc: T): T {
  const paths = (doc as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  for (const [path, ops] of Object.entries(paths)) {
    const api = path.startsWith('/v1/');
    for (const op of Object.values(ops)) {
      const responses = (op.responses ??= {});
      if (api && !responses['503']) responses['503'] = { description: 'The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE)', content: responses['500']?.content };
      for (const [status, r] of Object.entries(responses)) {
        const limited = api && (/^2/.test(status) || status === '429');
        const retry = status === '429' || (status === '503' && api);
        if (!limited && !retry) continue;
        r.headers = { ...r.headers, ...(limited ? RATE_LIMIT_HEADERS : {}), ...(retry ? retryAfter : {}) };
      }
    }
  }
  return doc;
}
