#!/usr/bin/env node
// `npm run build` (npm start and npm test run it through bootstrap.mjs): bundles the TypeScript
// sources of `calhub` and of `calhub start`'s threads into dist/, so a command starts without
// tsx. Through tsx each of the ~300 modules crossed the loader on every start, and each thread
// of `calhub start` ran a loader of its own: `calhub --help` took 2.7 s of CPU, 1.0 s built.
// bin/dist.mjs uses dist/ only while it is fresh (every input unchanged since the build); a
// stale or missing build runs the sources through tsx, as development always may.
// Prints nothing when the build is fresh; `--check` only exits 1 when it is not.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE, DIST, ENTRIES, fresh, inputStamp, root } from '../bin/dist.mjs';

if (fresh()) process.exit(0);
if (process.argv.includes('--check')) process.exit(1);

// One build at a time: `calhub serve` and `calhub worker` started together on a stale build both
// build, and one's removal of dist/ met the other's rename into it (ENOTEMPTY; that process then
// ran from the sources). The second waits, and finds the first's build fresh.
const LOCK = `${DIST}.lock`;
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};
for (let waited = 0; ; waited += 100) {
  try {
    writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
    break;
  } catch (e) {
    if (e.code !== 'EEXIST') throw e;
  }
  let holder = 0;
  try {
    holder = Number(readFileSync(LOCK, 'utf8'));
  } catch {
    continue; // released meanwhile
  }
  // A build that died (or a lock held longer than any build takes) is no one's; an empty one is being written.
  if (holder && (!alive(holder) || waited > 120_000)) rmSync(LOCK, { force: true });
  else await new Promise((r) => setTimeout(r, 100));
}
process.on('exit', () => {
  try {
    if (readFileSync(LOCK, 'utf8') === String(process.pid)) rmSync(LOCK, { force: true });
  } catch {
    // gone already
  }
});
if (fresh()) process.exit(0);
// What a build that died left behind.
for (const name of readdirSync(root)) {
  const pid = /^dist\.(\d+)\.tmp$/.exec(name)?.[1];
  if (pid && !alive(Number(pid))) rmSync(join(root, name), { recursive: true, force: true });
}

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
// A hub running from the old build imports some chunks only when first needed (a CLI command
// handed to it): they move into the new build under their own names, so a build made while a
// hub runs (a second `calhub start`, `npm test`) does not leave it unable to load them.
// They stay for one build only (the manifest lists them), so dist/ does not grow build by build.
const CHUNK = /-[A-Z0-9]{8}\.js(\.map)?$/;
const made = new Set(readdirSync(out));
const manifestOf = (dir) => {
  try {
    return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return {};
  }
};
const carriedBefore = new Set(manifestOf(DIST).carried ?? []);
const carried = (existsSync(DIST) ? readdirSync(DIST) : []).filter((name) => CHUNK.test(name) && !made.has(name) && !carriedBefore.has(name));
for (const name of carried) renameSync(join(DIST, name), join(out, name));
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify({ ...manifestOf(out), carried }, null, 1)}\n`);
rmSync(DIST, { recursive: true, force: true });
try {
  renameSync(out, DIST);
} catch (e) {
  // Another build of the same sources won the race.
  rmSync(out, { recursive: true, force: true });
  if (!fresh()) throw e;
}
