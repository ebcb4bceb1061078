/**
 * CALHUB_HEAP_GROWTH_PERCENT: how far past its live size V8 lets a heap grow before its next full
 * collection. Left to V8, a long sync's heap grew to ~4× what it kept alive, so the hub's RSS grew
 * with the calendar it synced. Process-wide: threads started afterwards inherit it, and V8 reads it
 * whenever it sizes a heap, so it takes effect at once.
 */
import { setFlagsFromString } from 'node:v8';

export function applyHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
