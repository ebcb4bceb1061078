/**
 * A client of the hub in a process of its own (http-reader.ts): POST /v1/freebusy every 10 ms, each
 * followed by GET /healthz, on one kept-alive connection, until the parent sends 'stop'; then it
 * sends back every latency in ms and exits. 'started' tells the parent the first pair is answered.
 */
import http from 'node:http';

const { url, key, body } = JSON.parse(process.argv[2]!) as { url: string; key: string; body: string };
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function call(method: string, path: string, payload?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method, agent, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

let on = true;
process.on('message', (m) => {
  if (m === 'stop') on = false;
});
const freebusy: number[] = [];
const healthz: number[] = [];
try {
  while (on) {
    let t = performance.now();
    const r = await call('POST', '/v1/freebusy', body);
    freebusy.push(performance.now() - t);
    if (r.status !== 200) throw new Error(`free/busy answered ${r.status}: ${r.body.slice(0, 200)}`);
    t = performance.now();
    await call('GET', '/healthz');
    healthz.push(performance.now() - t);
    if (healthz.length === 1) process.send!('started');
    await sleep(10);
  }
  process.send!({ freebusy, healthz }, () => process.exit(0));
} catch (e) {
  process.send!({ error: (e as Error).message }, () => process.exit(1));
}
