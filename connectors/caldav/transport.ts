/**
 * A `fetch` over node:http/https whose every connection goes through the SSRF guard (ssrf.ts).
 * It never follows redirects itself: the DAV client follows them hop by hop, and each hop opens
 * its connection through this guard again. Bodies are capped so a hostile server cannot exhaust
 * memory.
 */
import { isIdempotentRead, isStaleConnection } from '../../shared/stale-connection.ts';
import http from 'node:http';
import https from 'node:https';
import { ResponseTooLargeError } from './limits.ts';
import { assertLiteralAllowed, guardedLookup, systemResolver, type Resolver } from '../../shared/net/index.ts';

/** A backstop only: the DAV client applies the real caps (limits.ts) while it reads. */
export const MAX_BODY_BYTES = 1024 * 1024 * 1024;
/**
 * No byte for this long fails the request (a slow server's REPORT over a big calendar stays under
 * it). The DAV client asks for at least its own deadline's grace, so a server allowed longer to
 * its first byte (CALDAV_REQUEST_DEADLINE_MS) is not cut here first.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
const IDLE_MS = 120_000;

export interface GuardedFetchOptions {
  allowPrivateNetworks?: boolean;
  /** Tests inject a resolver; production uses the system's. */
  resolver?: Resolver;
  /** Bodies larger than this are cut mid-stream (the DAV client applies its own, smaller caps as well). */
  maxBodyBytes?: number;
  /** No byte for this long fails a request (default DEFAULT_IDLE_TIMEOUT_MS). */
  idleTimeoutMs?: number;
}

const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * The body as a web stream with backpressure (the socket pauses while the reader is busy). A
 * request destroyed mid-body (abort, deadline, cap, idle timeout) errors the stream, never hangs it.
 */
function streamOf(res: http.IncomingMessage, req: http.ClientRequest, url: URL, maxBody: number): ReadableStream<Uint8Array> {
  let size = 0;
  let settled = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        controller.error(e);
      };
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBody) {
          const e = new ResponseTooLargeError(`response from ${url.host} over the ${maxBody}-byte limit`);
          req.destroy(e);
          fail(e);
          return;
        }
        if (settled) return;
        controller.enqueue(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) res.pause();
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        controller.close();
      });
      res.on('error', fail);
      req.on('error', fail);
      // Deferred, so the error that destroyed it (cap, abort) is the one reported.
      res.on('close', () => {
        if (!res.complete) setImmediate(() => fail(new Error(`response from ${url.host} ended early`)));
      });
    },
    pull() {
      res.resume();
    },
    cancel() {
      settled = true;
      req.destroy();
    },
  }, { highWaterMark: 8 });
}

type Agents = { 'http:': http.Agent; 'https:': https.Agent };

function makeAgents(lookup: ReturnType<typeof guardedLookup> | undefined): Agents {
  // Idle keep-alive sockets are closed after IDLE_MS; a socket stays pinned to the checked address.
  const common = { keepAlive: true, maxSockets: 4, timeout: IDLE_MS, ...(lookup ? { lookup } : {}) };
  return { 'http:': new http.Agent(common), 'https:': new https.Agent(common) };
}

/** Connectors are created per job: they share agents (and so connections) unless a resolver is injected. */
const shared = new Map<boolean, Agents>();

export function createGuardedFetch(opts: GuardedFetchOptions = {}): typeof fetch {
  const allow = opts.allowPrivateNetworks ?? false;
  let agents: Agents;
  if (opts.resolver) agents = makeAgents(allow ? undefined : guardedLookup(opts.resolver));
  else {
    agents = shared.get(allow) ?? makeAgents(allow ? undefined : guardedLookup(systemResolver));
    shared.set(allow, agents);
  }

  const maxBody = Math.min(opts.maxBodyBytes ?? MAX_BODY_BYTES, MAX_BODY_BYTES);
  const idleMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const guardedFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`unsupported URL scheme ${url.protocol}`);
    // Node connects to IP literals without calling `lookup`, so they are checked here.
    if (!allow) assertLiteralAllowed(url.hostname);
    const headers = new Headers(init.headers);
    const body = init.body === undefined || init.body === null ? undefined : Buffer.from(String(init.body));
    if (body) headers.set('content-length', String(body.length));
    const mod = url.protocol === 'https:' ? https : http;
    const method = init.method ?? 'GET';
    const send = (retried: boolean): Promise<Response> => new Promise<Response>((resolve, reject) => {
      const req = mod.request(
        url,
        { method, headers: Object.fromEntries(headers), agent: agents[url.protocol as keyof Agents], timeout: idleMs, signal: init.signal ?? undefined },
        (res) => {
          const status = res.statusCode ?? 502;
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const x of v) h.append(k, x);
            else if (v !== undefined) h.set(k, v);
          }
          if (NULL_BODY.has(status) || status < 200) res.resume();
          const body = NULL_BODY.has(status) || status < 200 ? null : streamOf(res, req, url, maxBody);
          const response = new Response(body, { status: status < 200 || status > 599 ? 502 : status, headers: h });
          Object.defineProperty(response, 'url', { value: url.toString() });
          // Resolved at the headers: the body streams, so the DAV client can read a listing as it comes.
          resolve(response);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`request to ${url.host} timed out after ${idleMs} ms without a byte`)));
      req.on('error', (e) => {
        // A pooled connection the server closed as it was reused (Node's documented check): a
        // read goes again once on a new one (shared/stale-connection.ts); a write never does.
        if (!retried && req.reusedSocket && !init.signal?.aborted && isIdempotentRead(method) && isStaleConnection(e)) resolve(send(true));
        else reject(e);
      });
      req.end(body);
    });
    return send(false);
  };
  return guardedFetch as typeof fetch;
}
