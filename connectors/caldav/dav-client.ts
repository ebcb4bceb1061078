/**
 * Raw DAV requests over an injectable fetch: authentication, redirects followed one hop at a time
 * (each hop reconnects through the SSRF guard), and statuses mapped to hub errors by the caller's
 * choice of `expect`. Everything above this file speaks in DavResult, never in Response.
 */
import type { AccessCredentials, ConnectorContext } from '../connector.ts';
import { getDomain } from 'tldts';
import { HubError } from '../../shared/errors.ts';
import { TransientError, UnsupportedError } from '../errors.ts';
import { RequestDeadline } from './deadline.ts';
import { DEFAULT_CALDAV_LIMITS, ResponseTooLargeError, SLICE_MS, yieldToLoop, type CaldavLimits } from './limits.ts';
import { mapCaldavNetworkError, mapCaldavStatus } from './map-caldav-error.ts';
import { MultistatusStream, type StreamedResponse } from './multistatus-stream.ts';

const MAX_REDIRECTS = 5;

export interface DavRequest {
  method: string;
  url: string;
  depth?: '0' | '1' | 'infinity';
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Statuses the caller handles itself; any other non-2xx status throws a mapped hub error. */
  accept?: number[];
}

/** Reads a body up to `max` bytes; the stream is cancelled (and its connection dropped) beyond it. */
async function readCapped(res: Response, max: number, what: string, progress: (n: number) => void): Promise<string> {
  if (!res.body) return '';
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await res.body.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(`${what}: response of ${declared} bytes is over the ${max}-byte limit`);
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    progress(value.byteLength);
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(`${what}: response over the ${max}-byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface DavResult {
  status: number;
  /** The URL that answered, after redirects. */
  url: string;
  headers: Headers;
  /** The body; empty for a multistatus that was streamed. */
  text: string;
}

export interface MultistatusResult extends DavResult {
  /** True when a 2xx body was read as a multistatus (and handed over response by response). */
  streamed: boolean;
  syncToken: string | null;
}

export interface StreamCaps {
  /** Most bytes the whole body may take. */
  maxBytes: number;
  /** The error for a body over maxBytes (default ResponseTooLargeError). */
  tooLarge?: (message: string) => Error;
}

/** Called for each <response> as it completes; `url` is the URL that answered (hrefs resolve against it). */
export type ResponseHandler = (r: StreamedResponse, url: string) => void | Promise<void>;

type Consume = (res: Response, url: URL, what: string, progress: (n: number) => void) => Promise<string | null>;

/**
 * Two origins of one site: the same registrable domain by the public-suffix list (private
 * suffixes such as github.io and herokuapp.com included), so `a.co.uk` and `b.co.uk` are two sites.
 */
function sameSite(a: URL, b: URL): boolean {
  const opts = { allowPrivateDomains: true };
  const da = getDomain(a.hostname, opts);
  return da !== null && da === getDomain(b.hostname, opts);
}

/** Where a redirect leaves the site the account was connected to: calhub does not follow it. */
export class CrossSiteRedirectError extends UnsupportedError {
  constructor(from: URL, to: URL) {
    super(`the server at ${from.host} redirected to another site (${to.host}); calhub does not follow it. If that is really your server, connect with its URL`, {
      provider: 'caldav',
      reason: 'cross-site-redirect',
    });
  }
}

/**
 * Credentials go only to the origin (scheme, host, port) they were given for: the account's URL,
 * or else the first URL this client requests. A redirect to another origin of the same site is
 * followed without them; one to another site is refused. An href naming another host is
 * requested without them.
 */
export class DavClient {
  private origin: string | null;

  constructor(
    private readonly fetchFn: typeof fetch,
    private readonly ctx: ConnectorContext,
    readonly limits: CaldavLimits = DEFAULT_CALDAV_LIMITS,
    credentialUrl?: string,
  ) {
    this.origin = credentialUrl ? new URL(credentialUrl).origin : null;
  }

  private get credentials(): AccessCredentials {
    return this.ctx.credentials;
  }

  private async authHeader(forceRefresh: boolean): Promise<string | null> {
    const c = this.credentials;
    if (c.kind === 'basic') return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
    if (c.kind === 'oauth') return `Bearer ${await c.getAccessToken(forceRefresh)}`;
    return null;
  }

  async request(req: DavRequest): Promise<DavResult> {
    return this.run(req, null);
  }

  /**
   * A request whose 2xx answer is a multistatus read as it arrives: `onResponse` gets each
   * <response> as soon as it is complete and nothing of the body is kept, so memory is bounded
   * per item (maxItemBytes and a little), not per answer. Any other status is read whole (capped
   * by maxResponseBytes) into `text`, as `request` does.
   */
  async multistatus(req: DavRequest, onResponse: ResponseHandler, caps: StreamCaps): Promise<MultistatusResult> {
    const maxItemChars = this.limits.maxItemBytes + 64 * 1024;
    const consume: Consume = async (res, url, what, progress) => {
      if (!res.body) throw new TransientError(`${what}: empty body where a multistatus was expected`, { provider: 'caldav' });
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      const ms = new MultistatusStream(maxItemChars);
      const answered = url.toString();
      const parse = <T>(f: () => T): T => {
        try {
          return f();
        } catch (e) {
          if (e instanceof HubError) throw e;
          throw new TransientError(`${what}: ${(e as Error).message}`, { provider: 'caldav', reason: 'malformed-response' });
        }
      };
      let size = 0;
      let since = performance.now();
      const hand = async (rs: ReturnType<MultistatusStream['write']>) => {
        for (const r of rs) {
          await onResponse(r, answered);
          // Handlers map items synchronously: the loop gets a turn once a slice is used up.
          if (performance.now() - since > SLICE_MS) {
            await yieldToLoop();
            since = performance.now();
          }
        }
      };
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          progress(value.byteLength);
          size += value.byteLength;
          if (size > caps.maxBytes) {
            const message = `${what}: response over the ${caps.maxBytes}-byte limit`;
            throw caps.tooLarge ? caps.tooLarge(message) : new ResponseTooLargeError(message);
          }
          await hand(parse(() => ms.write(decoder.decode(value, { stream: true }))));
        }
        await hand(parse(() => ms.write(decoder.decode())));
        const end = parse(() => ms.end());
        await hand(end.responses);
        return end.syncToken;
      } catch (e) {
        // The connection is dropped rather than read to its end.
        await reader.cancel().catch(() => undefined);
        throw e;
      }
    };
    return this.run(req, consume);
  }

  private async run(req: DavRequest, consume: Consume | null): Promise<MultistatusResult> {
    let res = await this.send(req, false, consume);
    // Bearer tokens get one inline refresh (house style #10); a password does not change by retrying.
    if (res.status === 401 && this.credentials.kind === 'oauth') res = await this.send(req, true, consume);
    const ok = res.status >= 200 && res.status < 300;
    if (!ok && !(req.accept ?? []).includes(res.status)) {
      throw mapCaldavStatus({
        status: res.status, method: req.method, url: res.url, body: res.text, retryAfter: res.headers.get('retry-after'),
        oauth: this.credentials.kind === 'oauth', now: this.ctx.now(),
      });
    }
    return res;
  }

  private async send(req: DavRequest, forceRefresh: boolean, consume: Consume | null): Promise<MultistatusResult> {
    let url = new URL(req.url);
    this.origin ??= url.origin;
    const auth = await this.authHeader(forceRefresh);
    let method = req.method;
    let body = req.body;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { ...req.headers };
      if (auth && url.origin === this.origin) headers['authorization'] = auth;
      if (req.depth) headers['depth'] = req.depth;
      if (body !== undefined) headers['content-type'] = req.contentType ?? 'application/xml; charset=utf-8';
      let res: Response;
      let text = '';
      let syncToken: string | null = null;
      let streamed = false;
      // A deadline per request, headers and body: an idle timeout alone lets a server that drips
      // one byte at a time hold a worker for ever. A body that keeps flowing pushes it back
      // (deadline.ts), so a large listing is not cut. The run's own signal aborts it too.
      const deadline = new RequestDeadline({ graceMs: this.limits.requestDeadlineMs, minBytesPerSec: this.limits.minBytesPerSec });
      const signal = AbortSignal.any([this.ctx.signal, deadline.signal]);
      const progress = (n: number) => deadline.progress(n);
      try {
        res = await abortable(this.fetchFn(url, { method, headers, body, redirect: 'manual', signal }), signal);
        const what = `${method} ${url.pathname}`;
        streamed = consume !== null && res.status >= 200 && res.status < 300;
        if (streamed) syncToken = await abortable(consume!(res, url, what, progress), signal);
        else text = await abortable(readCapped(res, this.limits.maxResponseBytes, what, progress), signal);
      } catch (e) {
        // Deadline and abort first: a body they cut short may surface as any error.
        if (deadline.expired) throw new TransientError(`${method} ${url.pathname} did not finish in time: ${(deadline.signal.reason as Error).message} (CALDAV_REQUEST_DEADLINE_MS)`, { provider: 'caldav', reason: 'deadline', cause: e });
        if (this.ctx.signal.aborted) throw new TransientError(`${method} ${url.pathname} aborted: ${String(this.ctx.signal.reason?.message ?? this.ctx.signal.reason)}`, { provider: 'caldav', reason: 'aborted', cause: e });
        // Our own verdicts (a cap, a malformed answer, a handler's error) pass as they are.
        if (e instanceof HubError) throw e;
        throw mapCaldavNetworkError(e, method, url.toString());
      } finally {
        deadline.clear();
      }
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location && hop < MAX_REDIRECTS) {
        const next = new URL(location, url);
        if (next.protocol !== 'http:' && next.protocol !== 'https:') return { status: res.status, url: url.toString(), headers: res.headers, text, streamed, syncToken };
        if (next.origin !== url.origin && !sameSite(url, next)) throw new CrossSiteRedirectError(url, next);
        // 301/302/303 may turn a non-GET into GET (RFC 9110 §15.4); DAV methods are kept as DAV clients do.
        if (res.status === 303) {
          method = 'GET';
          body = undefined;
        }
        url = next;
        continue;
      }
      return { status: res.status, url: url.toString(), headers: res.headers, text, streamed, syncToken };
    }
  }
}

/** Rejects as soon as `signal` aborts, whether or not the underlying stream notices. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // `p` fails too (its request was made with this signal): left unheard, that rejection ended
    // the process (the 60-minute soak, a run's budget spent just before a request).
    p.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
