#!/usr/bin/env node
// `npm run build` (npm start and npm test run it through bootstrap.mjs): bundles the TypeScript
// sources of `calhub` and of `calhub start`'s threads into dist/, so a command starts without
// tsx. Through tsx each of the ~300 modules crossed the loader on every start, and each thread
// of `calhub start` ran a loader of its own: `calhub --help` took 2.7 s of CPU, 1.0 s built.
// bin/dist.mjs uses dist/ only while it is fresh (every input unchanged since the build); a
// stale or missing build runs the sources through tsx, as development always may.
// Prints nothing when the build is fresh; `--check` only exits 1 when it is not.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE, DIST, ENTRIES, fresh, inputStamp, root } from '../bin/dist.mjs';

if (fresh()) process.exit(0);
if (process.argv.includes('--check')) process.exit(1);

// import.meta.url keeps naming the source file: the migrations are read next to their module,
// and the thread entries and thread-boot.mjs are named by their source paths (bin/dist.mjs maps
// an entry to its bundle).
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

const out = `${DIST}.${process.pid}.tmp`;
rmSync(out, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([src, js]) => [js.replace(/\.js$/, ''), src])),
  outdir: out,
  ...BUNDLE,
  // Class and function names appear in logs and errors (err.name, constructor names).
  keepNames: true,
  sourcemap: 'linked',
  metafile: true,
  plugins: [sourceUrls],
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify({ entries: ENTRIES, inputs: Object.fromEntries(inputs.map((f) => [f, inputStamp(f)])) }, null, 1)}\n`);
// Swapped in whole: a command starting meanwhile runs the old build, the sources or the new build.
// A build of the same sources that finished first is left alone: commands may be running from it.
if (fresh()) {
  rmSync(out, { recursive: true, force: true });
  process.exit(0);
}
rmSync(DIST, { recursive: true, force: true });
try {
  renameSync(out, DIST);
} catch (e) {
  // Another build of the same sources won the race.
  rmSync(out, { recursive: true, force: true });
  if (!fresh()) throw e;
}
