/**
 * The load generator for bench/api.bench.ts, run as a child process so its work does not sit on the
 * server's event loop. Reads one JSON argument, prints one JSON line of results.
 *
 * Open loop: request i is due at start + i / rate, whatever happened to earlier ones, and its
 * latency counts from when it was due (so a stalled server cannot hide its backlog). autocannon's
 * `overallRate` was not this: each connection sends back to back until its per-second budget is
 * spent, so every second began with a burst at full speed and the server saw 10 requests queued.
 */
import http from 'node:http';
import { percentile } from './stats.ts';

type Job = {
  url: string; body: string; headers: Record<string, string>; rate: number; seconds: number; connections: number;
  /** A header given an increasing number per request, from `counterFrom` (Google's message number: a repeated one is a replay). */
  counterHeader?: string; counterFrom?: number;
};

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const url = new URL(job.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
const total = Math.round(job.rate * job.seconds);
const interval = 1000 / job.rate;
const headers = { ...job.headers, 'content-length': String(Buffer.byteLength(job.body)) };
const samples: number[] = [];
let non2xx = 0;
let errors = 0;
let bytes = 0;
let sent = 0;
let finished = 0;
let lastEnd = 0;
const started = performance.now();

function report(): void {
  const answered = samples.length + non2xx;
  console.log(
    JSON.stringify({
      count: samples.length,
      non2xx,
      errors: errors + (total - finished),
      rps: samples.length / ((lastEnd - started) / 1000),
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      max: percentile(samples, 100),
      meanBytes: answered ? Math.round(bytes / answered) : 0,
    }),
  );
  agent.destroy();
  process.exit(0);
}

function done(): void {
  finished++;
  lastEnd = performance.now();
  if (finished === total) report();
}

function fire(due: number): void {
  const h = job.counterHeader ? { ...headers, [job.counterHeader]: String((job.counterFrom ?? 1) + sent) } : headers;
  const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: h }, (res) => {
    let n = 0;
    res.on('data', (chunk: Buffer) => (n += chunk.length));
    res.on('end', () => {
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) samples.push(performance.now() - due);
      else non2xx++;
      bytes += n;
      done();
    });
    res.on('error', () => (errors++, done()));
  });
  req.on('error', () => (errors++, done()));
  req.end(job.body);
}

const ticker = setInterval(() => {
  const now = performance.now();
  while (sent < total && started + sent * interval <= now) fire(started + sent++ * interval);
  if (sent >= total) clearInterval(ticker);
}, 1);
// Whatever has not answered 30 s after the last request was due counts as an error.
setTimeout(report, job.seconds * 1000 + 30_000).unref();
