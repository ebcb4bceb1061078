import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { HubError } from './errors.ts';
import { createLogger } from './logger.ts';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { isTTY?: boolean };
  stream.isTTY = isTTY;
  return { stream, text: () => chunks.join('') };
}

describe('logger output', () => {
  it('an err that is not an Error (a described error, a string) is logged, scrubbed, and never throws', () => {
    const out = sink(false);
    const log = createLogger({ destination: out.stream });
    log.warn({ err: { code: 'SECRET_UNREADABLE', detail: 'see https://u:pw@dav.example.com/' } }, 'revocation failed');
    log.warn({ err: 'plain text' }, 'odd');
    const [a, b] = out.text().trim().split('\n').map((l) => JSON.parse(l) as { err: Record<string, unknown> });
    assert.equal(a!.err.code, 'SECRET_UNREADABLE');
    assert.doesNotMatch(JSON.stringify(a), /pw@/);
    assert.equal(b!.err.message, 'plain text');
  });

  it("a provider's classified error is logged without its stack (code, message, provider status); an unexpected one keeps it", () => {
    const out = sink(false);
    const log = createLogger({ destination: out.stream });
    const outage = new HubError('CONNECTOR_TRANSIENT', 'backoff', 'Google answered 503', { provider: 'google', httpStatus: 503 });
    log.warn({ err: outage }, 'sync run failed');
    log.warn({ err: Object.assign(new Error(`CONNECTOR_TRANSIENT: wrapped`), { cause: outage }) }, 'sync run failed');
    log.warn({ err: new TypeError('x is undefined') }, 'sync run failed');
    const [known, wrapped, bug] = out.text().trim().split('\n').map((l) => JSON.parse(l) as { err: Record<string, unknown> });
    assert.deepEqual(known!.err, { type: 'HubError', code: 'CONNECTOR_TRANSIENT', message: 'Google answered 503', provider: 'google', httpStatus: 503 });
    assert.equal(wrapped!.err.stack, undefined);
    assert.equal(wrapped!.err.httpStatus, 503);
    assert.match(String(bug!.err.stack), /TypeError: x is undefined/);
  });

  it('writes JSON lines when the destination is not a terminal', () => {
    const out = sink(false);
    createLogger({ destination: out.stream }).info({ calendarId: 'cal_1', password: 'hunter2' }, 'synced');
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    assert.equal(line.msg, 'synced');
    assert.equal(line.calendarId, 'cal_1');
    assert.equal(line.password, '[redacted]');
  });

  it('writes coloured human lines on a terminal, secrets still redacted', () => {
    const out = sink(true);
    createLogger({ destination: out.stream }).warn({ runId: '42', refresh_token: 'rt-secret' }, 'sync run failed');
    const text = out.text();
    assert.doesNotMatch(text, /^\{/, 'not JSON');
    assert.match(text, /\x1b\[/, 'ANSI colours');
    assert.match(text, /sync run failed/);
    assert.match(text, /runId.*42/);
    assert.doesNotMatch(text, /rt-secret/);
  });

  it('loads pino-pretty only for a terminal (a hub logging to a file or pipe never holds it)', () => {
    // A process of its own: this file's other tests load it.
    const script = `
      import { createRequire } from 'node:module';
      const { createLogger } = await import(${JSON.stringify(new URL('./logger.ts', import.meta.url).href)});
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/pino-pretty/'));
      createLogger({ level: 'silent' }).info('x');
      const before = loaded();
      createLogger({ level: 'silent', pretty: true });
      console.log(JSON.stringify({ before, after: loaded() }));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop()!), { before: false, after: true });
  });
});
