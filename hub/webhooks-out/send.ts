/**
 * One POST of a webhook to a tenant's URL, through the SSRF guard shared with CalDAV
 * (shared/net): every connection resolves, checks and pins its address, IP literals are checked
 * before connecting, redirects are not followed (a 3xx is a failed attempt), the whole attempt
 * has 5 s, and at most 4 KB of the answer is read (kept for the delivery log).
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
  /** Why it failed, for the delivery log; never the signature or the secret. */
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
        const chunks: Buffer[] = [];
        let size = 0;
        const end = () => {
          const text = Buffer.concat(chunks).toString('utf8').slice(0, 200);
          if (status >= 200 && status < 300) finish(done(true, status, null));
          else if (status >= 300 && status < 400) finish(done(false, status, `redirect to ${res.headers.location ?? '(no location)'} not followed`));
          else finish(done(false, status, `HTTP ${status}${text ? `: ${text}` : ''}`));
        };
        res.on('data', (c: Buffer) => {
          if (size >= MAX_RESPONSE_BYTES) return;
          chunks.push(c.subarray(0, MAX_RESPONSE_BYTES - size));
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
