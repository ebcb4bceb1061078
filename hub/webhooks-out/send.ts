/**
 * One POST of a webhook to a tenant's URL, through the SSRF guard shared with CalDAV
 * (shared/net): every connection resolves, checks and pins its address, IP literals are checked
 * before connecting, redirects are not followed (a 3xx is a failed attempt), the whole attempt
 * has 5 s, and at most 4 KB of the answer is read and dropped: a receiver's answer can echo what it
 * was sent or carry its own secrets (stack traces, tokens), so what is kept of a failed attempt is its
 * status and a scrubbed description of the answer (its media type and size), never its text.
 */
import http from 'node:http';
import https from 'node:https';
import { assertLiteralAllowed, guardedLookup, systemResolver, type Resolver } from '../../shared/net/index.ts';

export const SEND_TIMEOUT_MS = 5_000;
export const MAX_RESPONSE_BYTES = 4_096;

export interface SendOptions {
  /** WEBHOOKS_ALLOW_PRIVATE_NETWORKS: loopback/private targets and plain http allowed. */
  allowPrivateNetworks: boolean;
  resolver?: Resolver;
  timeoutMs?: number;
}

export interface SendResult {
  ok: boolean;
  status: number | null;
  /** Why it failed, for the delivery log; never the signature, the secret or the receiver's answer text. */
  error: string | null;
  latencyMs: number;
}

type Agents = { 'http:': http.Agent; 'https:': https.Agent };
const agentCache = new Map<string, Agents>();

function agentsFor(opts: SendOptions): Agents {
  const key = opts.resolver ? null : String(opts.allowPrivateNetworks);
  const cached = key ? agentCache.get(key) : undefined;
  if (cached) return cached;
  const lookup = opts.allowPrivateNetworks ? undefined : guardedLookup(opts.resolver ?? systemResolver);
  const common = { keepAlive: true, maxSockets: 32, timeout: 30_000, ...(lookup ? { lookup } : {}) };
  const agents: Agents = { 'http:': new http.Agent(common), 'https:': new https.Agent(common) };
  if (key) agentCache.set(key, agents);
  return agents;
}

/** Whether a URL may be an endpoint at all (scheme and form; addresses are checked on connect). */
export function endpointUrlProblem(raw: string, allowPrivateNetworks: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:' && !(allowPrivateNetworks && url.protocol === 'http:')) {
    return allowPrivateNetworks ? 'must be http:// or https://' : 'must be https:// (plain http only with WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true)';
  }
  if (url.username || url.password) return 'must not carry credentials';
  if (url.hash) return 'must not have a #fragment';
  return null;
}

/** `text/html` of a content-type header, when it is one; nothing else of the header (its parameters can be anything). */
function mediaType(header: string | undefined): string | null {
  const m = /^\s*([a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63})\s*(;|$)/i.exec(header ?? '');
  return m ? m[1]!.toLowerCase() : null;
}

/** What a failed attempt's answer was, without its text: `HTTP 500: text/html, 1234 bytes`. */
export function answerReason(status: number, contentType: string | undefined, contentLength: string | undefined, bytesRead: number, capped: boolean): string {
  const declared = contentLength !== undefined && /^[0-9]{1,15}$/.test(contentLength) ? Number(contentLength) : null;
  const size = declared ?? bytesRead;
  if (size === 0 && !capped) return `HTTP ${status}`;
  const type = mediaType(contentType) ?? 'no content-type';
  return `HTTP ${status}: ${type}, ${declared === null && capped ? `${MAX_RESPONSE_BYTES} or more` : size} bytes`;
}

/** Where a redirect pointed, without its query or fragment (tokens travel there). */
function redirectTarget(location: string | undefined, base: URL): string {
  if (!location) return '(no location)';
  try {
    const u = new URL(location, base);
    return `${u.origin}${u.pathname}`.slice(0, 300);
  } catch {
    return '(an unreadable location)';
  }
}

const blockedMessage = (e: Error) => e.message.replace('CALDAV_ALLOW_PRIVATE_NETWORKS', 'WEBHOOKS_ALLOW_PRIVATE_NETWORKS');

export function sendWebhook(rawUrl: string, headers: Record<string, string>, body: string, opts: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const done = (ok: boolean, status: number | null, error: string | null): SendResult => ({ ok, status, error, latencyMs: performance.now() - started });
  const problem = endpointUrlProblem(rawUrl, opts.allowPrivateNetworks);
  if (problem) return Promise.resolve(done(false, null, `URL ${problem}`));
  const url = new URL(rawUrl);
  try {
    if (!opts.allowPrivateNetworks) assertLiteralAllowed(url.hostname);
  } catch (e) {
    return Promise.resolve(done(false, null, blockedMessage(e as Error)));
  }
  const payload = Buffer.from(body);
  const mod = url.protocol === 'https:' ? https : http;
  const timeoutMs = opts.timeoutMs ?? SEND_TIMEOUT_MS;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (r: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = mod.request(
      url,
      {
        method: 'POST',
        agent: agentsFor(opts)[url.protocol as keyof Agents],
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length), 'user-agent': 'calhub-webhooks/1' },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        // Only counted: the text is never kept (see the top of this file).
        let size = 0;
        const end = () => {
          if (status >= 200 && status < 300) finish(done(true, status, null));
          else if (status >= 300 && status < 400) finish(done(false, status, `redirect (HTTP ${status}) to ${redirectTarget(res.headers.location, url)} not followed`));
          else finish(done(false, status, answerReason(status, res.headers['content-type'], res.headers['content-length'], Math.min(size, MAX_RESPONSE_BYTES), size >= MAX_RESPONSE_BYTES)));
        };
        res.on('data', (c: Buffer) => {
          if (size >= MAX_RESPONSE_BYTES) return;
          size += c.length;
          // Enough read: the rest of a large answer is not our business.
          if (size >= MAX_RESPONSE_BYTES) {
            end();
            res.destroy();
          }
        });
        res.on('end', end);
        res.on('error', () => end());
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (e) => finish(done(false, null, e.name === 'SsrfBlockedError' ? blockedMessage(e) : e.message)));
    req.end(payload);
  });
}
