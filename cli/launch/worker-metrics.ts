/**
 * `calhub worker`'s own small HTTP listener (WORKER_METRICS_PORT): `/metrics` and `/healthz`.
 * A worker opens no API port, and its sync metrics (calhub_sync_runs_total, run durations, rate
 * limit waits) live only in its process: without this no process exported them in the production
 * shape, and the alert rules in deploy/prometheus on them could never fire.
 */
import { createServer } from 'node:http';
import { ConfigError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Metrics } from '../../shared/metrics.ts';

export interface WorkerMetricsServer {
  url: string;
  close(): Promise<void>;
}

export async function serveWorkerMetrics(metrics: Metrics, host: string, port: number, log: Logger): Promise<WorkerMetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'NOT_FOUND', message: 'only /metrics and /healthz are served here' }));
      return;
    }
    metrics.text().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (e: unknown) => {
        log.error({ err: e }, 'worker metrics could not be collected');
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'INTERNAL', message: 'metrics could not be collected' }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    // A second worker on the host with the same setting: say which setting, not a bare EADDRINUSE.
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' || e.code === 'EACCES' ? new ConfigError('WORKER_METRICS_PORT', `a port free on ${host} (${port}: ${e.code === 'EADDRINUSE' ? 'in use' : 'not permitted'}); each worker on a host needs its own`, e) : e),
    );
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
