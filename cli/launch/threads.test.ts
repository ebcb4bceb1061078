import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../shared/logger.ts';
import { isHubError } from '../../shared/errors.ts';
import { getPriority } from 'node:os';
import { startThread } from './threads.ts';
import { threadId } from './thread-nice.ts';

const entry = new URL('./test-support/probe-thread.ts', import.meta.url);
const log = createLogger({ level: 'silent' });
const start = (mode: string) => startThread({ entry, data: { name: 'sync', pretty: false, colorize: false, mode }, env: process.env, log });

describe('threads of calhub start', () => {
  it('answers calls (its own and memory) and stops when asked, without counting as a crash', async () => {
    const t = await start('ok');
    assert.equal(await t.call<number>('answer'), 42);
    assert.ok((await t.call<{ heapUsed: number }>('memory')).heapUsed > 0);
    await assert.rejects(t.call('nothing'), /no handler nothing/);
    let crashed = false;
    void t.crashed.then(() => (crashed = true));
    await t.stop();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(crashed, false);
  });

  it('a thread runs as many nice steps below its starter as it is told, and the starter keeps its priority (CALHUB_THREAD_NICE)', { skip: process.platform !== 'linux' && 'thread priorities are set on Linux only' }, async () => {
    const before = getPriority(threadId()!);
    const t = await startThread({ entry, data: { name: 'sync', pretty: false, colorize: false, mode: 'ok', nice: 3 }, env: process.env, log });
    try {
      assert.equal(await t.call<number>('priority'), Math.min(19, before + 3));
      assert.equal(getPriority(threadId()!), before, "the starting thread's priority is its own");
      assert.equal(getPriority(process.pid), before);
    } finally {
      await t.stop();
    }
  });

  it('a thread runs within the heap limits it is given (calhub start bounds each young generation)', async () => {
    const t = await startThread({ entry, data: { name: 'sync', pretty: false, colorize: false, mode: 'ok' }, env: process.env, log, limits: { maxYoungGenerationSizeMb: 12 } });
    try {
      assert.equal((await t.call<{ maxYoungGenerationSizeMb: number }>('limits')).maxYoungGenerationSizeMb, 12);
    } finally {
      await t.stop();
    }
  });

  it('a thread that cannot start rejects with its error, code kept (the CLI maps it to an exit code)', async () => {
    const e = await start('fail').then(() => null, (x: unknown) => x);
    assert.ok(isHubError(e), String(e));
    assert.equal(e.code, 'STORE_FAILED');
    assert.match(e.message, /cannot open it/);
  });

  it('a thread that dies on its own resolves crashed, and stop() afterwards returns at once', async () => {
    const t = await start('crash');
    const e = await t.crashed;
    assert.match(e.message, /boom/);
    await t.stop();
  });
});
