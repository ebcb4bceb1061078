/**
 * When a failed webhook is tried again: exponential from 5 s by a factor of 3, capped at 8 h, with
 * ±20 % jitter so endpoints that failed together do not retry together. After RETRY_WINDOW_MS of
 * failing the endpoint is disabled (its messages stay owed; `replay` sends them).
 *
 * | failure | delay  |   | failure | delay  |
 * |---------|--------|---|---------|--------|
 * | 1       | 5 s    |   | 6       | 20 min |
 * | 2       | 15 s   |   | 7       | 1 h    |
 * | 3       | 45 s   |   | 8       | 3 h    |
 * | 4       | 2.3 min|   | 9+      | 8 h    |
 * | 5       | 7 min  |   | give up | 3 days after the first failure |
 */
export const RETRY_WINDOW_MS = 3 * 86_400_000;
const BASE_MS = 5_000;
const CAP_MS = 8 * 3_600_000;

export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const plain = Math.min(CAP_MS, BASE_MS * 3 ** Math.max(0, failures - 1));
  return Math.round(plain * (0.8 + 0.4 * random()));
}
