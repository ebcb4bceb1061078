#!/usr/bin/env node
// `npm run test:soak -- --minutes N [--fuzz ITERATIONS]`: the mixed-load soak with the RSS check and
// the iCalendar fuzzing (test/soak/soak.ts). Needs Redis (started like `npm test` starts it) and radicale.
import { spawnSync } from 'node:child_process';
import { ensureServices } from './ensure-services.mjs';

await ensureServices();
const r = spawnSync(process.execPath, ['--import', 'tsx', new URL('../test/soak/soak.ts', import.meta.url).pathname, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } });
process.exit(r.status ?? 1);
