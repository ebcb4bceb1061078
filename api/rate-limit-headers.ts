/**
 * The per-key API limit made visible before it is hit, in the separate-field form of the IETF
 * httpapi draft "RateLimit header fields for HTTP" (draft-ietf-httpapi-ratelimit-headers-06:
 * RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy), the form most
 * clients and gateways read. The limit is a token bucket (shared/rate-limit.ts): `burst`
 * requests at once, refilled at `perSecond`; the fields come from the take that decided the
 * request (api/auth.ts), so they cost no extra count.
 */
import type { RateLimitOptions } from '../shared/rate-limit.ts';

/** The fields for a take that left `remaining` whole tokens. */
export function rateLimitFields(o: RateLimitOptions, remaining: number): Record<string, string> {
  const left = Math.max(0, Math.min(o.burst, remaining));
  return {
    'ratelimit-limit': String(o.burst),
    'ratelimit-remaining': String(left),
    // Until the bucket is full again: the draft's "time until the quota is restored".
    'ratelimit-reset': String(Math.ceil((o.burst - left) / o.perSecond)),
    'ratelimit-policy': `${o.burst};w=${Math.max(1, Math.ceil(o.burst / o.perSecond))}`,
  };
}

const integer = { type: 'integer', minimum: 0 } as const;

/** As the OpenAPI document declares them (api/response-headers.ts). */
export const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': { description: "The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06.", schema: integer },
  'RateLimit-Remaining': { description: 'Requests this key may still make at once, after this one (as this server process counted it).', schema: integer },
  'RateLimit-Reset': { description: 'Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC).', schema: integer },
  'RateLimit-Policy': { description: 'The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`.', schema: { type: 'string' } },
} as const;
