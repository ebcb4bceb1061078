/**
 * What a killed test run leaves of the DAV servers it started: their temporary folders (in
 * /dev/shm, memory that stays taken until reboot) and, when the run was killed outright, the
 * server process itself, orphaned. Each folder records who owns it (`owner.json`: the pid of the
 * process that started the server, and the server's); a new start removes the folders whose owner
 * is gone and stops their orphaned server.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const OWNER_FILE = 'owner.json';
/**
 * A folder without an owner file (made by code from before owner files) younger than this may be
 * one a run is still seeding before it starts the server; older and named by no process: left over.
 */
const UNOWNED_GRACE_MS = 15 * 60_000;

interface Owner {
  owner: number;
  server?: number;
}

export function recordOwner(dir: string, o: Owner): void {
  writeFileSync(path.join(dir, OWNER_FILE), JSON.stringify(o));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // someone else's process: alive
  }
}

function commandLine(pid: number | string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Whether any running process names `dir` on its command line (a server started by older code, which wrote no owner file). */
function inUse(dir: string): boolean {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return true; // no /proc: cannot tell, keep it
  }
  return pids.some((p) => commandLine(p).includes(dir));
}

function readOwner(dir: string): Owner | null {
  try {
    const o = JSON.parse(readFileSync(path.join(dir, OWNER_FILE), 'utf8')) as Owner;
    return Number.isInteger(o.owner) ? o : null;
  } catch {
    return null;
  }
}

/** Removes `<parent>/<prefix>*` folders whose owner is gone, stopping a server still running in one; returns what it removed. */
export function removeLeftovers(parent: string, prefix: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(parent).filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const dir = path.join(parent, name);
    try {
      const o = readOwner(dir);
      if (o) {
        if (alive(o.owner)) continue;
        // The pid could have been reused since: only a process started with this folder's config is ours.
        if (o.server && alive(o.server) && commandLine(o.server).includes(dir)) process.kill(o.server, 'SIGKILL');
      } else if (now - statSync(dir).mtimeMs < UNOWNED_GRACE_MS || inUse(dir)) {
        continue;
      }
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // another run removed it first, or it is not ours to remove: leave it
    }
  }
  return removed;
}
