/**
 * The seed of one model-based test: `MODEL_SEED` replays the seed a failure printed; in CI
 * `MODEL_SEED_BASE` (set by scripts/run-tests.mjs) gives each test a fixed seed of its own, so a
 * red CI names the change that broke a run, not whichever run drew a new counterexample; anywhere
 * else fast-check draws a new one each time.
 */
export function modelSeed(testName: string): number | undefined {
  if (process.env.MODEL_SEED) return Number(process.env.MODEL_SEED);
  if (!process.env.MODEL_SEED_BASE) return undefined;
  let h = Number(process.env.MODEL_SEED_BASE) | 0;
  for (const c of testName) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}

/**
 * How many runs one model-based test makes: `envName` (e.g. MODEL_RUNS) when set; under fixed seeds
 * (`MODEL_SEED_BASE`, set by scripts/run-tests.mjs in CI) a bounded share, half of `full`, since CI
 * replays the same runs every time and long forms belong to `npm run test:model`; anywhere else
 * (`npm run test:model`, plain `npm test`) the full count, with new seeds.
 */
export function modelRuns(envName: string, full: number): number {
  const set = process.env[envName];
  if (set) return Number(set);
  return process.env.MODEL_SEED_BASE && !process.env.MODEL_SEED ? Math.ceil(full / 2) : full;
}
