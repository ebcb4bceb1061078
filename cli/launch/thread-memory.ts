/**
 * Each thread's own memory (V8 heap, and `external`: PGlite's WebAssembly memory in the store
 * thread) as a gauge beside the process's RSS, so /metrics says what each thread of `calhub
 * start` costs (issue 15 bounds the whole process).
 */
import { Gauge, type Registry } from 'prom-client';
import type { HubThread } from './threads.ts';

/** What a thread answers to `memory` (thread-main.ts). */
type Memory = { heapUsed: number; heapTotal: number; external: number };

export function threadMemoryGauge(registry: Registry, threads: HubThread[]): void {
  new Gauge({
    name: 'calhub_thread_memory_bytes',
    help: 'Memory of each thread of calhub start (main, store, sync): V8 heap used and total, and external memory (PGlite WebAssembly in the store thread)',
    labelNames: ['thread', 'kind'],
    registers: [registry],
    async collect() {
      const own = process.memoryUsage();
      const all: Array<[string, Memory | null]> = [['main', { heapUsed: own.heapUsed, heapTotal: own.heapTotal, external: own.external }]];
      for (const t of threads) all.push([t.name, await t.call<Memory>('memory', 2000).catch(() => null)]);
      for (const [thread, m] of all) {
        if (!m) continue;
        this.set({ thread, kind: 'heap_used' }, m.heapUsed);
        this.set({ thread, kind: 'heap_total' }, m.heapTotal);
        this.set({ thread, kind: 'external' }, m.external);
      }
    },
  });
}
