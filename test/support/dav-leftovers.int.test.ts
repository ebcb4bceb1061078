/** A test or soak run that ends without stopping its Radicale leaves no server running and, at the next start, no folder behind. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { removeLeftovers } from './dav-leftovers.ts';
import { startRadicale } from './dav-servers.ts';

/** Running and not a zombie (a killed orphan waits for its new parent to reap it). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, ms = 5000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (cond()) return true;
  return cond();
}

const left: Array<{ pid: number; dir: string }> = [];

/** A process that starts a Radicale and then is killed (`wait`) or fails (`throw`); resolves once it has exited. */
async function runChild(how: 'wait' | 'throw'): Promise<{ pid: number; dir: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'radicale-child.ts'), how], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((r) => child.once('exit', r));
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the child exited with ${code} before its server started: ${err}`)));
  });
  const server = JSON.parse(line) as { pid: number; dir: string };
  left.push(server);
  if (how === 'wait') child.kill('SIGKILL');
  await exited;
  return server;
}

after(() => {
  // On code that leaves them, this test does not.
  for (const s of left) {
    if (running(s.pid)) process.kill(s.pid, 'SIGKILL');
    rmSync(s.dir, { recursive: true, force: true });
  }
});

describe('Radicale servers a run did not stop', () => {
  it('a run that fails with an error takes its server and folder with it', async () => {
    const s = await runChild('throw');
    assert.ok(await until(() => !running(s.pid)), 'the Radicale outlived the process that started it');
    assert.equal(existsSync(s.dir), false, 'its folder outlived the process that started it');
  });

  it('a run killed outright: the next start stops its orphaned server and removes its folder', async () => {
    const s = await runChild('wait');
    assert.ok(running(s.pid), 'precondition: SIGKILL leaves the server running');
    const next = await startRadicale({ memoryDisk: true });
    try {
      assert.ok(await until(() => !running(s.pid)), 'the orphaned Radicale still runs after the next start');
      assert.equal(existsSync(s.dir), false, 'the killed run\'s folder is still there after the next start');
    } finally {
      await next.stop();
    }
  });

  it('keeps folders whose owner lives, and new or in-use ones without an owner file', () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'calhub-leftovers-test-'));
    try {
      const dead = spawnSync('true').pid!;
      const make = (name: string, owner: object | null, ageMs = 0) => {
        const dir = path.join(parent, `x-${name}`);
        mkdirSync(dir);
        if (owner) writeFileSync(path.join(dir, 'owner.json'), JSON.stringify(owner));
        const t = new Date(Date.now() - ageMs);
        utimesSync(dir, t, t);
        return dir;
      };
      make('live', { owner: process.pid });
      make('dead', { owner: dead, server: dead });
      make('old', null, 3_600_000);
      make('new', null);
      // Named on a running process's command line (a server started by code that wrote no owner file).
      const user = make('used', null, 3_600_000);
      const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', user], { stdio: 'ignore' });
      try {
        assert.deepEqual(removeLeftovers(parent, 'x-').map((d) => path.basename(d)).sort(), ['x-dead', 'x-old']);
      } finally {
        holder.kill('SIGKILL');
      }
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
