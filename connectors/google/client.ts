/**
 * The thin layer over @googleapis/calendar: root URL from config (the emulator differs from
 * Google only there), no client-side retries (the queue owns retries, house style #10) but one:
 * a GET on a keep-alive connection the server had just closed is sent again at once
 * (shared/stale-connection.ts, through gaxios' own retry), one forced token refresh after a 401, and
 * every failure through mapGoogleError.
 */
import type * as GoogleSdk from '@googleapis/calendar';
import type { calendar_v3 } from '@googleapis/calendar';
import type { ConnectorContext } from '../connector.ts';
import { AccessTokenExpiredError, GrantRevokedError } from '../errors.ts';
import { describeFailure, mapGoogleError } from './errors.ts';
import { isIdempotentRead, isStaleConnection } from '../../shared/stale-connection.ts';

export const GOOGLE_API_ROOT = 'https://www.googleapis.com/';

/** gaxios' retry, narrowed to a read that failed on a closed connection before any answer: once, at once. */
const STALE_READ_RETRY = {
  retry: 1,
  noResponseRetries: 1,
  retryDelay: 0,
  shouldRetry: (err: { config?: { method?: string; signal?: AbortSignal | null; retryConfig?: { currentRetryAttempt?: number } }; response?: unknown }): boolean =>
    !err.response && !err.config?.signal?.aborted && (err.config?.retryConfig?.currentRetryAttempt ?? 0) < 1 && isIdempotentRead(err.config?.method) && isStaleConnection(err),
};

export interface CallOptions {
  headers: Record<string, string>;
  retry: true;
  retryConfig: typeof STALE_READ_RETRY;
  signal: AbortSignal;
  /** config.fetch: the SDK's global options do not reach gaxios, each request's do. */
  fetchImplementation?: typeof fetch;
}

// Imported on the first call: the SDK took ~150 ms of CPU to load in every calhub process,
// Google account or not (issue 15).
let sdk: Promise<typeof GoogleSdk> | null = null;

export class GoogleClient {
  #api: calendar_v3.Calendar | null = null;

  constructor(
    private readonly baseUrl: string = GOOGLE_API_ROOT,
    private readonly fetchImpl?: typeof fetch,
  ) {}

  /** The SDK's client: inside a `call` (it is loaded there). */
  get api(): calendar_v3.Calendar {
    if (!this.#api) throw new Error('GoogleClient.api is used inside call(), which loads the SDK');
    return this.#api;
  }

  async call<T>(ctx: ConnectorContext, fn: (opts: CallOptions) => Promise<{ data: T }>, extraHeaders: Record<string, string> = {}): Promise<T> {
    if (!this.#api) {
      const { calendar } = await (sdk ??= import('@googleapis/calendar'));
      this.#api ??= calendar({
        version: 'v3',
        rootUrl: this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`,
        retry: false,
        ...(this.fetchImpl ? { fetchImplementation: this.fetchImpl } : {}),
      });
    }
    const creds = ctx.credentials;
    if (creds.kind !== 'oauth') throw new GrantRevokedError('google: the account has no OAuth credentials', { provider: 'google' });
    const attempt = async (forceRefresh: boolean) => {
      const token = await creds.getAccessToken(forceRefresh);
      // Never a request on an aborted signal: node-fetch (gaxios' fetch on Node) then destroys the
      // request body's stream with an error nobody hears, an uncaught exception (aborted-write.int).
      ctx.signal.throwIfAborted();
      return (await fn({ headers: { ...extraHeaders, Authorization: `Bearer ${token}` }, retry: true, retryConfig: STALE_READ_RETRY, signal: ctx.signal, ...(this.fetchImpl ? { fetchImplementation: this.fetchImpl } : {}) })).data;
    };
    try {
      return await attempt(false);
    } catch (first) {
      if (describeFailure(first).status !== 401) throw mapGoogleError(first, ctx.now());
      // The one inline retry allowed: refresh the access token and repeat once.
      try {
        return await attempt(true);
      } catch (second) {
        const mapped = mapGoogleError(second, ctx.now());
        throw mapped instanceof AccessTokenExpiredError ? new AccessTokenExpiredError('google: 401 after a forced token refresh', { provider: 'google', httpStatus: 401, cause: second }) : mapped;
      }
    }
  }
}
