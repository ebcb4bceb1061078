#!/usr/bin/env node
// The `calhub` command: dist/ when its build is fresh (scripts/build.mjs; npm start and npm test
// build it), else the TypeScript sources through tsx.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { builtEntry } from './dist.mjs';

const HUB_ROLES = new Set(['start', 'serve', 'worker']);

const source = new URL('../cli/main.ts', import.meta.url);
let built = builtEntry(source);
// The hub's roles build a stale dist/ first, as `npm start` does: from the sources each of
// `calhub start`'s three threads runs a tsx loader of its own for as long as it runs (issue 15:
// ~150 MB more resident), and so `npx calhub start` from a fresh clone was not what `npm start`
// is. A build takes about a second; should it fail (no esbuild: `npm ci --omit=dev`), the
// sources run. Other commands run the sources rather than wait for a build.
if (!built && HUB_ROLES.has(process.argv[2] ?? '') && process.env.CALHUB_FROM_SOURCES !== '1') {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], { stdio: 'inherit' });
  if (r.status !== 0) process.stderr.write('calhub: the build failed; running from the TypeScript sources\n');
  built = builtEntry(source);
}
// Everything calhub creates (data dir, PGlite files, the managed Redis AOF and socket, generated
// secrets) is the owner's alone, whatever the shell's umask (issue 18: 968 of 1,130 files were
// world-writable). The modules that create them also set their modes; this covers the rest.
process.umask(0o077);
if (!built) (await import('tsx/esm/api')).register();
const { main } = await import(built ?? source.href);
process.exitCode = await main(process.argv.slice(2));
