#!/usr/bin/env node
// The `calhub` command. calhub runs its TypeScript sources directly through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
// Everything calhub creates (data dir, PGlite files, the managed Redis AOF and socket, generated
// secrets) is the owner's alone, whatever the shell's umask (issue 18: 968 of 1,130 files were
// world-writable). The modules that create them also set their modes; this covers the rest.
process.umask(0o077);
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
