#!/usr/bin/env node
// `npm run test:soak -- --minutes N [--fuzz ITERATIONS] [--kill-rounds K]`: first the long form of
// the worker SIGKILL test (test/integration/kill-worker.int.test.ts, K rounds, default 27, with new
// seeds; CI's `npm test` makes a bounded share of them; 0 skips it), then the mixed-load soak with
// the RSS check and the iCalendar fuzzing (test/soak/soak.ts). Needs Redis, PostgreSQL and radicale
// (started like `npm test` starts them).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { ensureServices } from './ensure-services.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--kill-rounds');
const killRounds = at >= 0 ? Number(args[at + 1]) : 27;
if (at >= 0) args.splice(at, 2);
if (!Number.isInteger(killRounds) || killRounds < 0) {
  console.error('--kill-rounds takes a whole number (0 skips the SIGKILL rounds)');
  process.exit(2);
}

await ensureServices();
let child = null;
// A signal to this process alone (kill <pid>) reaches the running child, which stops what it
// started; ending here instead would leave it running, orphaned.
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => child?.kill(s));
const run = (argv, env) =>
  new Promise((resolve) => {
    child = spawn(process.execPath, argv, { stdio: 'inherit', env });
    child.once('exit', (code, signal) => resolve(code ?? 128 + (constants.signals[signal] ?? 1)));
  });

if (killRounds > 0) {
  // New seeds, whatever CI says: the fixed seeds and the bounded share are for `npm test` in CI.
  const env = { ...process.env, KILL_ROUNDS: String(killRounds) };
  delete env.CI;
  delete env.MODEL_SEED_BASE;
  const code = await run([new URL('./run-tests.mjs', import.meta.url).pathname, 'test/integration/kill-worker.int.test.ts'], env);
  if (code !== 0) process.exit(code);
}
process.exit(await run(['--import', 'tsx', new URL('../test/soak/soak.ts', import.meta.url).pathname, ...args], { ...process.env, NODE_ENV: 'test' }));
