#!/usr/bin/env node
// Runs the tests with node's own runner, in three tiers (docs/architecture.md, "Tests"):
//   --unit   `*.test.ts` next to the code: pure, no PostgreSQL server, Redis or DAV server (< 60 s)
//   --model  `*.model.test.ts`: the model-based sync runs (random command lists, minutes; three
//            chunks on the PostgreSQL server, started if it is not running)
//   (none)   every tier, plus `*.int.test.ts` against real Redis, PostgreSQL, Radicale, Xandikos
//            and the emulators: what `npm test` and CI run
// Path filters narrow any tier. Node 20's --test takes no globs, so this script finds the files.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureServices } from './ensure-services.mjs';
import { SecretScan } from './secret-scan.mjs';
import { dropLeftoverSchemas } from './test-schema-leftovers.mjs';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const modelOnly = args.includes('--model');
const filters = args.filter((a) => !a.startsWith('--'));
const SKIP_DIRS = new Set(['node_modules', '.git', '.calhub', 'dist', 'coverage', '.test-tmp']);

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name) || name.startsWith('.calhub')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const tier = (f) => (f.endsWith('.int.test.ts') ? 'int' : f.endsWith('.model.test.ts') ? 'model' : 'unit');
// Node 20's runner sorts the files it is given by path, so their order here does not choose which start first.
let files = findTests(root).sort();
if (unitOnly) files = files.filter((f) => tier(f) === 'unit');
if (modelOnly) files = files.filter((f) => tier(f) === 'model');
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Three of the five model chunks run on the PostgreSQL server.
if (!unitOnly) {
  await ensureServices();
  // Test processes killed earlier (timeouts, ^C) left their schemas on the server: drop those.
  const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'; // as test/support/test-store.ts
  await dropLeftoverSchemas(databaseUrl).then(
    ({ dropped, skipped }) => {
      if (dropped.length) console.error(`# dropped ${dropped.length} test schema(s) left by processes that no longer run`);
      if (skipped) console.error(`# leftover test schemas not dropped: ${skipped}`);
    },
    (e) => console.error(`# leftover test schemas not checked: ${e.message}`),
  );
}

// CI replays the model-based runs from fixed seeds (sync-engine/test-support/model-seed.ts), as
// Hypothesis's derandomize does; everywhere else each run draws its own and prints it on failure.
const env = { ...process.env, NODE_ENV: 'test' };
if (process.env.CI === 'true' && !process.env.MODEL_SEED && !process.env.MODEL_SEED_BASE) {
  env.MODEL_SEED_BASE = '20261206';
  console.log('model-based runs replay fixed seeds (CI, MODEL_SEED_BASE=20261206); outside CI each run draws new ones');
}

const concurrency = process.env.TEST_CONCURRENCY ?? '2';
mkdirSync(join(root, '.test-tmp'), { recursive: true });
// An in-memory store starts from a saved, unmigrated initdb (shared/store/pglite-image.ts): ~4 s
// of CPU less per store, ~200 stores a run. The first store made saves it; an empty value turns it off.
env.CALHUB_TEST_PGLITE_IMAGE = process.env.CALHUB_TEST_PGLITE_IMAGE ?? join(root, '.test-tmp', 'pglite-image');
const timesFile = join(root, '.test-tmp', `file-times-${process.pid}.jsonl`);
const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${join(root, 'scripts', 'file-times-reporter.mjs')}`, `--test-reporter-destination=${timesFile}`];
// --test-force-exit: a file whose tests are done ends even if a handle it leaked (a client left
// reconnecting to a server the test stopped) would keep it alive; without it one such file held a
// whole CI run until its hard limit. A hook that never returns still fails by its test's timeout.
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-force-exit', `--test-concurrency=${concurrency}`, ...reporters, ...files],
  { cwd: root, stdio: ['inherit', 'pipe', 'pipe'], env },
);
// A signal to this script reaches the runner, which stops its test files (and they what they started).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));

// Every line is scanned for secrets on its way out. The runner prints its summary (the ℹ lines)
// and then, when a test failed or a todo test did not pass, the list of those tests; the scan's
// verdict comes last of all. So the summary is printed again at the very end: the output always
// ends with the test runner's summary, whatever came after it.
const scan = new SecretScan();
const SUMMARY = /^\u2139 (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /;
let summary = [];
const pipe = (stream, out) =>
  new Promise((resolve) => {
    const rl = createInterface({ input: stream, crlfDelay: Infinity });
    rl.on('line', (line) => {
      scan.scan(line);
      if (out === process.stdout && SUMMARY.test(line)) summary = line.startsWith('\u2139 tests ') ? [line] : [...summary, line];
      out.write(`${line}\n`);
    });
    rl.on('close', resolve);
  });
const [code] = await Promise.all([new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1))), pipe(child.stdout, process.stdout), pipe(child.stderr, process.stderr)]);
console.log(scan.report());
console.log(slowestFiles(timesFile, 30));
if (summary.length) console.log(`summary (repeated from above):\n${summary.join('\n')}`);
process.exit(scan.found.length ? 1 : code);

// The files that took longest, so a run over the CI time aim shows where the time went. The whole
// table, sorted, is kept in .test-tmp/file-times-last.txt for whoever looks at the run next.
function slowestFiles(path, count) {
  const totals = new Map();
  let lines = [];
  try {
    lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    rmSync(path);
  } catch {
    return 'slowest test files: no timings recorded';
  }
  for (const line of lines) {
    const { file, ms } = JSON.parse(line);
    const name = file ? relative(root, file) : '(unknown file)';
    totals.set(name, (totals.get(name) ?? 0) + ms);
  }
  const all = [...totals].sort((a, b) => b[1] - a[1]).map(([f, ms]) => `  ${(ms / 1000).toFixed(1).padStart(7)}  ${f}`);
  const kept = join(root, '.test-tmp', 'file-times-last.txt');
  let where = `whole table (${all.length} files): ${relative(root, kept)}`;
  try {
    writeFileSync(kept, `seconds of their top-level tests, ${new Date().toISOString()}, ${all.length} files\n${all.join('\n')}\n`);
  } catch (e) {
    where = `whole table not kept: ${e.message}`;
  }
  return [`slowest test files (seconds of their top-level tests; ${where}):`, ...all.slice(0, count)].join('\n');
}
