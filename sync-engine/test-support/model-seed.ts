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
