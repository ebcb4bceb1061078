/**
 * A tenant's webhook receiver in its own process: every POST /hook is verified with the
 * `standardwebhooks` library against RECEIVER_SECRETS (comma-separated whsec_… values, any may
 * match) with the library's default 5-minute timestamp tolerance. Refused requests answer 401 and
 * are counted; accepted ones are kept in arrival order (duplicates included). `POST /control`
 * `{"failing": true}` makes it answer 503 to valid webhooks until switched back; `{"failingTypes":
 * ["account.updated"]}` to those of these types only (a receiver that cannot take one kind).
 * Prints `{"port": n}` once listening; exits when stdin closes.
 */
import http from 'node:http';
import { Webhook } from 'standardwebhooks';

const secrets = (process.env.RECEIVER_SECRETS ?? '').split(',').filter(Boolean);
const accepted: Array<{ id: string; type: string; payload: unknown; at: number }> = [];
let refused = 0;
let failedOnPurpose = 0;
let failing = false;
let failingTypes: string[] = [];

function verify(body: string, headers: Record<string, string>): unknown {
  let last: unknown;
  for (const s of secrets) {
    try {
      return new Webhook(s).verify(body, headers);
    } catch (e) {
      last = e;
    }
  }
  throw last ?? new Error('no secret configured');
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'GET' && req.url === '/state') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted, refused, failedOnPurpose }));
      return;
    }
    if (req.method === 'POST' && req.url === '/control') {
      const c = JSON.parse(body) as { failing?: boolean; failingTypes?: string[]; secrets?: string[]; reset?: boolean };
      if (c.failing !== undefined) failing = c.failing;
      if (c.failingTypes) failingTypes = c.failingTypes;
      if (c.secrets) secrets.splice(0, secrets.length, ...c.secrets);
      if (c.reset) {
        accepted.splice(0);
        refused = 0;
        failedOnPurpose = 0;
      }
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'POST' && req.url === '/hook') {
      let payload: { id: string; type: string };
      try {
        payload = verify(body, req.headers as Record<string, string>) as { id: string; type: string };
      } catch {
        refused += 1;
        res.writeHead(401).end('bad signature');
        return;
      }
      if (failing || failingTypes.includes(payload.type)) {
        failedOnPurpose += 1;
        res.writeHead(503).end('down for a while');
        return;
      }
      if (payload.id !== req.headers['webhook-id']) {
        refused += 1;
        res.writeHead(400).end('payload id differs from webhook-id');
        return;
      }
      accepted.push({ id: payload.id, type: payload.type, payload, at: Date.now() });
      res.writeHead(200).end('ok');
      return;
    }
    res.writeHead(404).end();
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
