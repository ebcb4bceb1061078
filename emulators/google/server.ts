/**
 * The emulator's HTTP server: routing, bearer-token auth, injected latency and faults, and the
 * request log. Paths mirror Google's, so a client only changes its origin.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createControl, type GoogleEmulatorControl } from './control.ts';
import { faultError, GoogleHttpError, notFound, unauthorized } from './errors.ts';
import { parseQuery, readBody, send, type Req, type Res, type Route } from './http.ts';
import { installPush } from './push.ts';
import { calendarListRoutes } from './routes/calendar-list.ts';
import { calendarsRoutes } from './routes/calendars.ts';
import { controlRoutes } from './routes/control.ts';
import { eventRoutes } from './routes/events.ts';
import { freeBusyRoutes } from './routes/freebusy.ts';
import { oauthRoutes } from './routes/oauth.ts';
import { watchRoutes } from './routes/watch.ts';
import { EmulatorState, type EmulatorOptions } from './state.ts';

export interface StartOptions extends EmulatorOptions {
  port?: number;
  host?: string;
}

export interface RunningGoogleEmulator {
  url: string;
  close(): Promise<void>;
  control: GoogleEmulatorControl;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function authenticate(state: EmulatorState, req: Req): void {
  const header = req.headers.authorization;
  if (!header) throw unauthorized(true);
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  const user = m ? state.userOfToken(m[1]!) : null;
  if (!user) throw unauthorized(false);
  req.user = { email: user.email, scope: user.scope, clientId: user.grant.clientId };
}

async function handle(state: EmulatorState, routes: Route[], origin: string, raw: IncomingMessage): Promise<{ out: Res; req: Req | null; drop?: boolean }> {
  const url = new URL(raw.url ?? '/', origin);
  const method = raw.method ?? 'GET';
  let req: Req | null = null;
  let drop = false;
  try {
    const body = await readBody(raw);
    req = { method, path: url.pathname, params: {}, query: parseQuery(url), headers: raw.headers, body, origin };
    const found = routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (!found) throw notFound();
    const m = found.pattern.exec(url.pathname)!;
    found.names.forEach((n, i) => (req!.params[n] = decodeURIComponent(m[i + 1]!)));
    if (!url.pathname.startsWith('/_emulator/')) {
      if (state.latencyMs > 0) await sleep(state.latencyMs);
      const fault = state.takeFault(method, url.pathname);
      if (fault?.dropResponse) drop = true;
      else if (fault) throw faultError(fault.status, fault.reason, fault.retryAfter);
    }
    if (found.auth) authenticate(state, req);
    return { out: await found.handler(req), req, drop };
  } catch (e) {
    if (e instanceof GoogleHttpError) return { out: { status: e.status, headers: e.headers, json: e.body() }, req };
    console.error('google emulator: unexpected error', e);
    const err = new GoogleHttpError(500, { domain: 'global', reason: 'backendError', message: 'Backend Error' });
    return { out: { status: 500, json: err.body() }, req };
  }
}

function record(state: EmulatorState, raw: IncomingMessage, req: Req | null, out: Res): void {
  if (req?.path.startsWith('/_emulator/')) return;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw.headers)) if (v !== undefined) headers[k] = k === 'authorization' ? 'REDACTED' : String(v);
  state.requests.push({
    at: new Date(state.now()).toISOString(),
    method: raw.method ?? 'GET',
    path: req?.path ?? raw.url ?? '',
    query: req?.query ?? {},
    headers,
    body: req?.path === '/token' || req?.path === '/revoke' ? 'REDACTED' : (req?.body ?? null),
    status: out.status,
  });
}

export function startGoogleEmulator(opts: StartOptions = {}): Promise<RunningGoogleEmulator> {
  const state = new EmulatorState(opts);
  installPush(state);
  const control = createControl(state);
  const routes = [
    ...watchRoutes(state),
    ...calendarListRoutes(state),
    ...calendarsRoutes(state),
    ...eventRoutes(state),
    ...freeBusyRoutes(state),
    ...oauthRoutes(state),
    ...controlRoutes(control),
  ];
  let origin = '';
  const server = createServer((raw: IncomingMessage, res: ServerResponse) => {
    void handle(state, routes, origin, raw).then(({ out, req, drop }) => {
      record(state, raw, req, out);
      if (drop) res.socket?.destroy();
      else send(res, out);
    });
  });
  // Node's 5 s keep-alive closed idle sockets under a client that had just chosen to reuse them
  // (ECONNRESET on a loaded machine), as the Graph emulator's did; Google's front ends keep
  // connections far longer, so the emulator does too.
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      const addr = server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      origin = `http://${host}:${addr.port}`;
      resolve({
        url: origin,
        control,
        close: async () => {
          await flushQuietly(control);
          server.closeAllConnections();
          await new Promise<void>((r) => server.close(() => r()));
        },
      });
    });
  });
}

async function flushQuietly(control: GoogleEmulatorControl): Promise<void> {
  await control.flushNotifications().catch(() => undefined);
}
