// Integration tests need PostgreSQL (127.0.0.1:5432, trust auth, database `test`) and Redis
// (127.0.0.1:6379). On a developer machine or CI they are usually running; when they are not,
// start them the way this machine kind starts them, and say so.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import net from 'node:net';

function reachable(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => { s.destroy(); resolve(false); });
  });
}

async function waitFor(port, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await reachable(port)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

function tryRun(cmd) {
  try {
    execSync(cmd, { stdio: 'ignore' });
  } catch {
    // the reachability check below reports the failure
  }
}

export async function ensureServices() {
  if (!(await reachable(6379))) {
    console.error('# redis not reachable on 127.0.0.1:6379: starting redis-server');
    tryRun('redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no');
    if (!(await waitFor(6379, 10000))) throw new Error('redis-server could not be started on 127.0.0.1:6379');
  }
  if (!(await reachable(5432))) {
    console.error('# postgresql not reachable on 127.0.0.1:5432: starting the cluster');
    if (existsSync('/etc/postgresql')) {
      const version = readdirSync('/etc/postgresql')[0];
      tryRun(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`);
    }
    if (!(await waitFor(5432, 20000))) throw new Error('PostgreSQL could not be started on 127.0.0.1:5432');
  }
}
