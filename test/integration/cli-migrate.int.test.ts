/**
 * `calhub migrate` and the hub's start say which migrations they applied, not the whole schema:
 * every one on a new data dir, none (and the version) on one already current.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { calhub, startHub, stopHub } from '../support/cli.ts';

describe('which migrations ran', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const fresh = () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'calhub-migrate-'));
    dirs.push(dataDir);
    return { dataDir, env: { CALHUB_DATA_DIR: dataDir, LOG_LEVEL: 'info', REDIS_URL: '', DATABASE_URL: '' } };
  };

  it('calhub migrate lists what it applied now, then none', async () => {
    const { env } = fresh();
    const first = await calhub(['migrate', '--json'], env);
    assert.equal(first.code, 0, first.stderr);
    const m = JSON.parse(first.stdout) as { appliedNow: string[]; applied: string[]; available: string[] };
    assert.ok(m.available.length > 1);
    assert.deepEqual(m.appliedNow, m.available, 'a new data dir gets every migration');
    const again = await calhub(['migrate'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, `migrations applied: none; schema is current at ${m.available.at(-1)!.slice(0, 4)}\n`);
    // It named the files only: each one now says how long it took, then one summary line.
    const human = await calhub(['migrate'], fresh().env);
    const lines = human.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, -1).map((l) => l.replace(/ in \d+ ms$/, '')), m.available.map((n) => `applied ${n}`));
    assert.match(lines.at(-1)!, new RegExp(`^migrations applied: ${m.available.length}, took \\d+ ms; schema now at ${m.available.at(-1)!.slice(0, 4)}$`));
  });

  it('calhub start logs one line naming the migrations its start applied', async () => {
    const { dataDir, env } = fresh();
    const said = (log: string) => log.split('\n').filter((l) => l.includes('migrations applied'));
    const first = await startHub(env);
    await stopHub(first.child, dataDir);
    const lines = said(first.log());
    assert.equal(lines.length, 1, first.log().slice(-3000));
    assert.match(lines[0]!, /migrations applied: \d+, took \d+ ms; schema now at \d{4}/);
    const each = first.log().split('\n').filter((l) => /"migration":"0\d{3}_/.test(l));
    assert.ok(each.length > 1 && each.every((l) => /"ms":\d+/.test(l) && /applied in \d+ ms/.test(l)), each.slice(0, 2).join('\n'));
    const second = await startHub(env);
    await stopHub(second.child, dataDir);
    assert.equal(said(second.log()).length, 1);
    assert.match(said(second.log())[0]!, /migrations applied: none; schema is current at \d{4}/);
  });
});
