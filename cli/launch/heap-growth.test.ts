import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { loadConfig } from '../../shared/config/index.ts';
import { ConfigError } from '../../shared/errors.ts';

/** A process keeping ~20 MB alive while it makes garbage, as a sync does; its largest heap in MB. */
function peakHeap(percent: number): number {
  const script = `
    const { applyHeapGrowth } = await import(${JSON.stringify(new URL('./heap-growth.ts', import.meta.url).href)});
    applyHeapGrowth(${percent});
    const live = []; for (let i = 0; i < 200000; i++) live.push({ a: 'x' + i, b: [i] });
    let peak = 0, junk;
    for (let r = 0; r < 300; r++) {
      junk = []; for (let i = 0; i < 50000; i++) junk.push({ s: 'y' + i + r, n: [i, r] });
      peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    console.log(Math.round(peak / 1e6));`;
  return Number(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' }).trim());
}

describe('CALHUB_HEAP_GROWTH_PERCENT', () => {
  it('is 50 unless set, 0 leaves V8 its own choice, and a bad value names the variable', () => {
    assert.equal(loadConfig({}).heapGrowthPercent, 50);
    assert.equal(loadConfig({ CALHUB_HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent, 0);
    for (const bad of ['-1', '401', 'half']) {
      assert.throws(() => loadConfig({ CALHUB_HEAP_GROWTH_PERCENT: bad }), (e: unknown) => e instanceof ConfigError && e.message === `CALHUB_HEAP_GROWTH_PERCENT: expected an integer from 0 to 400, got "${bad}"`, bad);
    }
  });

  it("keeps a churning process's heap near its live size: 50 % peaks well below V8's own choice", () => {
    const own = peakHeap(0);
    const half = peakHeap(50);
    assert.ok(half < own * 0.8, `peak heap ${half} MB at 50 % against ${own} MB left to V8`);
  });
});
