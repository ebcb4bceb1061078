/**
 * The Graph SDK client, wired for calhub: a single middleware that adds the bearer token, refreshes
 * it once after a 401, honours the abort signal and uses the injectable fetch. The SDK's default
 * chain is left out on purpose: its RetryHandler would retry 429/503 itself, and calhub retries in
 * the queue only (house style #10). Its AuthenticationHandler also skips non-graph.microsoft.com
 * hosts, which would break the emulator base URL. The one retry in the chain is StaleConnectionRetry:
 * a read sent on a keep-alive connection the server had just closed goes again, once, at once.
 */
import type * as GraphSdk from '@microsoft/microsoft-graph-client';
import type { Client, Context, GraphRequest, Middleware } from '@microsoft/microsoft-graph-client';
import type { ConnectorContext } from '../connector.ts';
import { isHubError } from '../../shared/errors.ts';
import { mapMicrosoftError } from './map-microsoft-error.ts';
import { isIdempotentRead, isStaleConnection } from '../../shared/stale-connection.ts';

export const GRAPH_ORIGIN = 'https://graph.microsoft.com';

export interface GraphConfig {
  baseUrl: string;
  fetch: typeof fetch;
}

export interface GraphApi {
  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<T>;
  post<T = unknown>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  patch<T = unknown>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  delete(path: string, headers?: Record<string, string>): Promise<void>;
}

class BearerMiddleware implements Middleware {
  /** A hub error raised while getting a token; the SDK would otherwise wrap it in a GraphError. */
  failure: unknown = null;
  constructor(private readonly cfg: GraphConfig, private readonly ctx: ConnectorContext) {}

  async execute(context: Context): Promise<void> {
    const creds = this.ctx.credentials;
    const send = async (force: boolean) => {
      const headers = new Headers(context.options?.headers as ConstructorParameters<typeof Headers>[0]);
      if (creds.kind === 'oauth') {
        try {
          headers.set('authorization', `Bearer ${await creds.getAccessToken(force)}`);
        } catch (e) {
          this.failure = e;
          throw e;
        }
      }
      return this.cfg.fetch(context.request as string, { ...(context.options as RequestInit), headers, signal: this.ctx.signal });
    };
    let res = await send(false);
    if (res.status === 401 && creds.kind === 'oauth') {
      await res.arrayBuffer();
      res = await send(true);
    }
    context.response = res;
  }
}

/** Sends an idempotent read again once when it failed on a closed connection before any answer (shared/stale-connection.ts). */
class StaleConnectionRetry implements Middleware {
  private next: Middleware | null = null;
  constructor(private readonly auth: BearerMiddleware, private readonly ctx: ConnectorContext) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    try {
      await this.next!.execute(context);
    } catch (e) {
      // A failure getting a token is no connection's fault; a write may have been received.
      if (this.auth.failure || this.ctx.signal.aborted || !isIdempotentRead(context.options?.method) || !isStaleConnection(e)) throw e;
      await this.next!.execute(context);
    }
  }
}

/** Turns an absolute nextLink/deltaLink into the path the SDK expects (it only parses https hosts). */
export function relativeGraphPath(link: string, baseUrl: string): string {
  for (const origin of [baseUrl.replace(/\/$/, ''), GRAPH_ORIGIN]) {
    if (link.startsWith(origin)) return link.slice(origin.length).replace(/^\/v1\.0/, '');
  }
  return link;
}

// Imported on the first request: every calhub process loaded the SDK, Microsoft account or not (issue 15).
let sdk: Promise<typeof GraphSdk> | null = null;

/** A Graph client for one connector call; every failure leaves as a connectors/errors.ts error. */
export function graphApi(cfg: GraphConfig, ctx: ConnectorContext): GraphApi {
  const auth = new BearerMiddleware(cfg, ctx);
  const chain = [new StaleConnectionRetry(auth, ctx), auth];
  let client: Client | null = null;
  const run = async <T>(path: string, headers: Record<string, string> = {}, fn: (req: GraphRequest) => Promise<T>): Promise<T> => {
    try {
      client ??= (await (sdk ??= import('@microsoft/microsoft-graph-client'))).Client.initWithMiddleware({ baseUrl: cfg.baseUrl.replace(/\/$/, ''), defaultVersion: 'v1.0', middleware: chain });
      return await fn(client.api(relativeGraphPath(path, cfg.baseUrl)).headers(headers));
    } catch (e) {
      const hub = auth.failure;
      auth.failure = null;
      if (isHubError(hub)) throw hub;
      throw mapMicrosoftError(e);
    }
  };
  return {
    get: (path, headers) => run(path, headers, (r) => r.get()),
    post: (path, body, headers) => run(path, headers, (r) => r.post(body)),
    patch: (path, body, headers) => run(path, headers, (r) => r.patch(body)),
    delete: async (path, headers) => {
      await run(path, headers, (r) => r.delete());
    },
  };
}
