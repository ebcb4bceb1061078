import http from 'node:http';

/** Passes one request on to `target` unchanged and streams the answer back (test proxies in front of a DAV server). */
export function forwardTo(target: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const up = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  up.on('error', () => res.writeHead(502).end());
  req.pipe(up);
}
