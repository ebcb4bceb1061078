import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TenantPace } from './tenant-pace.ts';

/** A pace on a hand-moved clock whose rests are recorded instead of slept. */
function paced(opts: ConstructorParameters<typeof TenantPace>[0] = {}) {
  let now = 0;
  const rests: number[] = [];
  const pace = new TenantPace({ now: () => now, sleep: async (ms) => void rests.push(ms), ...opts });
  return { pace, rests, advance: (ms: number) => (now += ms) };
}

describe('tenant pace: bulk work yields to lighter tenants (issue 12)', () => {
  it('a tenant alone never rests, however much it works', async () => {
    const { pace, rests } = paced();
    const end = pace.begin('A');
    for (let i = 0; i < 50; i++) await pace.after('A', 100);
    end();
    assert.deepEqual(rests, []);
  });

  it('a heavy tenant rests three times each piece while a lighter one runs, and stops resting when it ends', async () => {
    const { pace, rests } = paced();
    pace.begin('A');
    for (let i = 0; i < 10; i++) await pace.after('A', 100);
    const endB = pace.begin('B');
    await pace.after('B', 50);
    await pace.after('A', 100);
    await pace.after('A', 400);
    assert.deepEqual(rests, [300, 500], 'ratio 3, at most maxRestMs');
    await pace.after('B', 50);
    assert.equal(rests.length, 2, 'the lighter tenant never rests');
    endB();
    await pace.after('A', 100);
    assert.equal(rests.length, 2, 'no lighter tenant running: no rest');
  });

  it('a tenant with more runs going rests once it has worked more lately than one with fewer, not only twice as much', async () => {
    const { pace, rests } = paced();
    pace.begin('B');
    for (let i = 0; i < 4; i++) await pace.after('B', 100);
    for (let i = 0; i < 3; i++) pace.begin('A');
    for (let i = 0; i < 4; i++) await pace.after('A', 100);
    assert.deepEqual(rests, [], 'A at 400 ms of work, not past B\'s 400 nor the 500 ms floor');
    await pace.after('A', 100);
    await pace.after('A', 100);
    assert.deepEqual(rests, [300, 300], 'past B\'s recent work with three runs against one: A rests, though not twice as heavy');
    await pace.after('B', 100);
    assert.equal(rests.length, 2, 'B, with fewer runs, never rests for A');
  });

  it('tenants of like size, or below the floor, do not rest for each other', async () => {
    const { pace, rests } = paced();
    pace.begin('A');
    pace.begin('B');
    for (let i = 0; i < 20; i++) {
      await pace.after('A', 100);
      await pace.after('B', 80);
    }
    assert.deepEqual(rests, []);
    const small = paced();
    small.pace.begin('C');
    small.pace.begin('D');
    await small.pace.after('C', 300);
    assert.deepEqual(small.rests, [], 'below 500 ms of recent work');
  });

  it('past work fades: a tenant heavy a minute ago is not heavier now', async () => {
    const { pace, rests, advance } = paced();
    pace.begin('A');
    pace.begin('B');
    for (let i = 0; i < 20; i++) await pace.after('A', 100);
    assert.ok(rests.length > 0);
    const before = rests.length;
    advance(60_000);
    await pace.after('B', 600);
    assert.equal(rests.length, before + 1, 'B is now the heavier one and rests');
    await pace.after('A', 100);
    assert.equal(rests.length, before + 1, 'A forgot its minute-old work and is now the lighter one');
  });

  it('knows whether another tenant has a run going (a lone tenant applies whole pages)', () => {
    const { pace } = paced();
    const endA = pace.begin('A');
    assert.equal(pace.othersRunning('A'), false);
    const endB = pace.begin('B');
    assert.equal(pace.othersRunning('A'), true);
    endB();
    assert.equal(pace.othersRunning('A'), false);
    endA();
  });

  it('a run that ends twice counts once', () => {
    const { pace } = paced();
    const end = pace.begin('A');
    pace.begin('A');
    end();
    end();
    assert.equal(pace.usage('A'), 0);
  });
});
