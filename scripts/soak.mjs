#!/usr/bin/env node
// `npm run test:soak -- --minutes N [--fuzz ITERATIONS]`: the mixed-load soak with the RSS check and
// the iCalendar fuzzing (test/soak/soak.ts). Needs Redis (started like `npm test` starts it) and radicale.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { ensureServices } from './ensure-services.mjs';

await ensureServices();
const child = spawn(process.execPath, ['--import', 'tsx', new URL('../test/soak/soak.ts', import.meta.url).pathname, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } });
// A signal to this process alone (kill <pid>) reaches the soak, which stops what it started;
// ending here instead would leave it running, orphaned.
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => child.kill(s));
child.once('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));
