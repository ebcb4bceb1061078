/**
 * `calhub accounts connect google|microsoft` waits for the browser to come back. A loopback
 * listener on an ephemeral port is the flow's redirect URI (`/connected`): the browser lands there
 * with `accountId` or `error`. calhub's own callback address (`<base>/oauth/<provider>/callback`,
 * the one registered with the provider) is served by the running hub; when nothing listens there,
 * this command serves it for the length of the flow and runs the same callback use case.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hub } from '../hub/index.ts';

// Loaded by a command that runs, not by its --help (~0.7 s of CPU: the hub and every package it uses).
const hubApi = () => import('../hub/index.ts');

export interface ConnectWait {
  redirectUri: string;
  /** Whether this process serves calhub's callback address (no hub was listening there). */
  servesCallback: boolean;
  /** The redirect's query once the browser arrives: `accountId=…` or `error=…`. */
  result: Promise<URLSearchParams>;
  close(): Promise<void>;
}

// Fixed text only: nothing from the request is written into these pages.
const PAGE = (title: string, text: string) =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1><p>${text}</p></main></body></html>\n`;

const send = (res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'", ...headers });
  res.end(body);
};

function listen(server: http.Server, port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve(false) : reject(e));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(true);
    });
  });
}

const close = (server: http.Server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));

/**
 * The loopback address the browser lands on at the end of the flow (`/connected`, an ephemeral
 * port), and the wait for it. Alone, it is what `accounts connect` next to a running hub needs:
 * that hub serves calhub's callback address and sends the browser here (cli/operations.ts).
 */
export async function waitForBrowser(timeoutMs: number): Promise<Omit<ConnectWait, 'servesCallback'> & { fail(e: Error): void }> {
  let settle!: (q: URLSearchParams) => void;
  let fail!: (e: Error) => void;
  const result = new Promise<URLSearchParams>((resolve, reject) => ((settle = resolve), (fail = reject)));
  result.catch(() => undefined); // rejected only when nobody waits any more (close) or on timeout, which the caller awaits

  const done = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/connected') return send(res, 404, PAGE('Not found', 'Nothing here.'));
    const ok = url.searchParams.has('accountId') && !url.searchParams.has('error');
    send(res, 200, ok ? PAGE('Calendar connected', 'You can close this window and return to the terminal.') : PAGE('Not connected', 'The connection did not complete; the terminal says why.'));
    settle(url.searchParams);
  });
  await listen(done, 0, '127.0.0.1');
  const redirectUri = `http://127.0.0.1:${(done.address() as AddressInfo).port}/connected`;
  const timer = setTimeout(() => fail(new Error(`no answer from the browser within ${Math.round(timeoutMs / 1000)} s; run the command again`)), timeoutMs);
  timer.unref();
  return {
    redirectUri,
    result,
    fail,
    async close() {
      clearTimeout(timer);
      // Keep-alive connections from the browser must not hold the process open.
      done.closeAllConnections();
      await close(done);
    },
  };
}

export async function waitForConnect(hub: Hub, timeoutMs: number): Promise<ConnectWait> {
  const browser = await waitForBrowser(timeoutMs);

  // calhub's callback address: serve it here only when it is on this machine and free.
  const api = await hubApi();
  const base = new URL(api.hubBaseUrl(hub));
  const callback = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const m = /^\/oauth\/([^/]+)\/callback$/.exec(url.pathname);
    if (req.method !== 'GET' || !m || !api.isOAuthProvider(m[1]!)) return send(res, 404, PAGE('Not found', 'Nothing here.'));
    api.oauthCallback(hub, m[1], url.searchParams).then(
      (out) => (out.redirect ? send(res, 302, '', { location: out.redirect }) : send(res, 400, PAGE('This sign-in link does not work', 'Start the connection again from the terminal.'))),
      (e: unknown) => {
        send(res, 500, PAGE('Something went wrong', 'The terminal says what.'));
        browser.fail(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname) && base.protocol === 'http:';
  const servesCallback = local && (await listen(callback, Number(base.port || 80), base.hostname.replace(/^\[|\]$/g, '')));

  return {
    redirectUri: browser.redirectUri,
    servesCallback,
    result: browser.result,
    async close() {
      callback.closeAllConnections();
      await Promise.all([browser.close(), close(callback)]);
    },
  };
}
