#!/usr/bin/env node
// The `calhub` command: dist/ when its build is fresh (scripts/build.mjs; npm start and npm test
// build it), else the TypeScript sources through tsx.
import { builtEntry } from './dist.mjs';

// Everything calhub creates (data dir, PGlite files, the managed Redis AOF and socket, generated
// secrets) is the owner's alone, whatever the shell's umask (issue 18: 968 of 1,130 files were
// world-writable). The modules that create them also set their modes; this covers the rest.
process.umask(0o077);
const source = new URL('../cli/main.ts', import.meta.url);
const built = builtEntry(source);
if (!built) (await import('tsx/esm/api')).register();
const { main } = await import(built ?? source.href);
process.exitCode = await main(process.argv.slice(2));
