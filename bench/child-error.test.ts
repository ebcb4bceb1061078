import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { TransientError } from '../connectors/errors.ts';
import { childErrorLine, childFailure } from './child-error.ts';

const run = promisify(execFile);

describe('bench child failures', () => {
  it('a child that prints its error line is reported by code, reason and message, with its cause', () => {
    const e = new TransientError('REPORT /bench/ did not finish in time: no byte of an answer within 60000 ms (CALDAV_REQUEST_DEADLINE_MS)', { provider: 'caldav', reason: 'deadline', cause: new Error('This operation was aborted') });
    const stdout = `some progress\n${childErrorLine(e)}\n`;
    assert.equal(childFailure('connector', { stdout, stderr: 'at x (y.ts:1:2)\nat z' }),
      'connector: CONNECTOR_TRANSIENT/deadline: REPORT /bench/ did not finish in time: no byte of an answer within 60000 ms (CALDAV_REQUEST_DEADLINE_MS) (cause: Error: This operation was aborted)');
  });

  it('a child that died without one is reported by how it ended and its first error line, not a stack tail', async () => {
    const script = 'const e = new Error("boom"); e.code = "E_X"; throw e;';
    const failed = await run(process.execPath, ['-e', script]).then(() => null, (e: unknown) => e);
    const said = childFailure('pglite', failed);
    assert.match(said, /^pglite: exited 1: Error: boom$/);
    assert.equal(childFailure('postgres', { signal: 'SIGTERM', killed: true, stdout: '', stderr: '' }), "postgres: killed by SIGTERM (the parent's timeout)");
  });
});
