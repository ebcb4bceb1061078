/**
 * calhub's typed TypeScript client: openapi-fetch over the types openapi-typescript generates from
 * the server's /openapi.json (schema.ts). Every path, parameter, body and answer is typed; a call
 * answers `{ data, error, response }` with `error` typed as calhub's `{ error: { code, message } }`.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema.ts';

export type { components, paths };
export type CalhubClient = Client<paths>;

export interface CalhubClientOptions {
  /** The hub's base URL, e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  /** A tenant API key (`calhub tenants create` prints one). */
  apiKey: string;
  /** Another fetch (tests, proxies); default: the global one. */
  fetch?: (request: Request) => Promise<Response>;
}

export function createCalhubClient(o: CalhubClientOptions): CalhubClient {
  return createClient<paths>({
    baseUrl: o.baseUrl.replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${o.apiKey}` },
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
}
