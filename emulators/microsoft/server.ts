/** The HTTP front: identity routes, control API, then Graph with auth, faults and throttling. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleControl } from './control-routes.ts';
import { handleBatch } from './batch.ts';
import { routeGraph } from './graph-routes.ts';
import { GraphHttpError, prefsOf, sendGraphError, sendJson } from './http.ts';
import { handleIdentity, isIdentityPath } from './identity-routes.ts';
import type { EmulatorState } from './state.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createEmulatorServer(s: EmulatorState): Server {
  // Node's 5 s keep-alive closed idle sockets under a client that had just chosen to reuse them
  // (ECONNRESET on a loaded machine, where the client's own 4 s timer fired late); Graph's front
  // ends keep connections far longer, so the emulator does too.
  const server = createServer((req, res) => {
    handle(s, req, res).catch((e: unknown) => {
      if (e instanceof GraphHttpError) return sendGraphError(res, e);
      if (!res.headersSent) sendGraphError(res, new GraphHttpError(500, 'generalException', e instanceof Error ? e.message : 'internal error'));
      else res.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  return server;
}

async function handle(s: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', s.baseUrl || 'http://localhost');
  if (url.pathname.startsWith('/_emulator/')) return handleControl(s, req, res, url);
  if (isIdentityPath(url.pathname)) {
    const fault = url.pathname.endsWith('/token') ? s.takeFault(req.method ?? 'POST', url.pathname, 'token') : null;
    return handleIdentity(req, res, url, s.idp, [...s.mailboxes.values()], fault);
  }
  if (!url.pathname.startsWith('/v1.0/')) return sendGraphError(res, new GraphHttpError(404, 'BadRequest', 'Invalid version.'));
  res.on('finish', () => {
    s.record({
      method: req.method ?? 'GET', path: url.pathname, query: url.search, prefer: (req.headers.prefer as string | undefined) ?? null,
      ifMatch: (req.headers['if-match'] as string | undefined) ?? null, status: res.statusCode, at: new Date().toISOString(),
    });
  });
  const auth = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const checked = auth ? s.idp.check(auth) : 'invalid';
  if (checked === 'invalid' || checked === 'expired') {
    const msg = checked === 'expired' ? 'Lifetime validation failed, the token is expired.' : 'IDX14100: JWT is not well formed.';
    return sendGraphError(res, new GraphHttpError(401, 'InvalidAuthenticationToken', msg, { 'www-authenticate': 'Bearer realm=""' }));
  }
  const mb = s.mailboxes.get(checked.grant.userId);
  if (!mb) return sendGraphError(res, new GraphHttpError(404, 'ErrorInvalidUser', 'The mailbox no longer exists.'));
  if (mb.inFlight >= s.concurrencyLimit) {
    // Calendar 429s carry Retry-After (§E B.7); Graph does not say how long, one second is our choice.
    return sendGraphError(res, new GraphHttpError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', { 'retry-after': '1' }));
  }
  const w = s.window.get(mb.id);
  const now = Date.now();
  if (!w || now - w.startMs >= 600_000) s.window.set(mb.id, { startMs: now, count: 1 });
  else if (++w.count > s.requestLimit) {
    const retry = Math.ceil((w.startMs + 600_000 - now) / 1000);
    return sendGraphError(res, new GraphHttpError(429, 'TooManyRequests', 'Please retry again later.', { 'retry-after': String(retry) }));
  }
  mb.inFlight += 1;
  try {
    if (s.latencyMs > 0) await sleep(s.latencyMs);
    const fault = s.takeFault(req.method ?? 'GET', url.pathname.slice('/v1.0'.length));
    // Graph faults wait too (a 2xx one answered at once, without the request's answer: a client
    // deadline could not be tested, and the connector read an event without an id).
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault && !fault.dropResponse && fault.status >= 400) {
      const code = fault.code ?? (fault.status === 429 ? 'TooManyRequests' : fault.status === 503 ? 'serviceNotAvailable' : fault.status === 401 ? 'InvalidAuthenticationToken' : 'generalException');
      const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
      throw new GraphHttpError(fault.status, code, fault.message ?? (fault.status === 429 ? 'Please retry again later.' : 'Injected failure.'), headers);
    }
    const prefs = prefsOf(req);
    const result = url.pathname === '/v1.0/$batch' && req.method === 'POST'
      ? { status: 200, body: await handleBatch(s, req, { mb, appId: checked.grant.clientId, scopes: checked.grant.scope, grant: checked.grant }) }
      : await routeGraph(s, req, url, { mb, appId: checked.grant.clientId, scopes: checked.grant.scope, grant: checked.grant }, prefs);
    if (fault?.dropResponse) {
      res.socket?.destroy();
      return;
    }
    // A 2xx/3xx fault carries the request out; `emptyBody` answers its status with nothing (a
    // gateway that lost the body), else the normal answer comes back (late, with delayMs).
    if (fault?.emptyBody) {
      res.writeHead(fault.status);
      res.end();
      return;
    }
    const headers: Record<string, string> = { ...(result.headers ?? {}) };
    if (prefs.timeZone) headers['preference-applied'] = `outlook.timezone="${prefs.timeZone}"`;
    if (result.body === undefined) {
      res.writeHead(result.status, headers);
      res.end();
    } else sendJson(res, result.status, result.body, headers);
  } finally {
    mb.inFlight -= 1;
  }
}
