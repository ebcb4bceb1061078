import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/calhub.mjs', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `calhub …` as a user would, in its own process. */
export function calhub(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts `calhub start` and resolves once it logs its URL. */
export function startHub(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; log: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'start'], { cwd: ROOT, env: { ...process.env, PORT: '0', ...env } });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // a hub that never came up must not keep the test process alive
      reject(new Error(`calhub start did not come up:\n${out}`));
    }, 90_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = /"url":"(http:\/\/[^"]+)"[^\n]*calhub is listening/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, log: () => out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`calhub start exited with ${code}:\n${out}`)));
  });
}

/**
 * Sends SIGTERM and waits for the exit code. After `ms` it SIGKILLs the hub (and shuts down the
 * redis-server it manages in `dataDir`, which would otherwise outlive it) and returns null.
 */
export async function stopHub(child: ChildProcess, dataDir?: string, ms = 30_000): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const code = await exited;
  clearTimeout(timer);
  if (child.signalCode !== 'SIGKILL') return code;
  const portFile = dataDir ? join(dataDir, 'run', 'redis.port') : null;
  if (portFile && existsSync(portFile)) {
    await new Promise<void>((resolve) => {
      const s = net.connect(Number(readFileSync(portFile, 'utf8').trim()), '127.0.0.1', () => s.end('SHUTDOWN NOSAVE\r\n'));
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });
  }
  return null;
}
