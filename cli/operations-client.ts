/** The command's side of cli/operations.ts: hand the work to a running hub, or learn that none takes it. */
import { existsSync } from 'node:fs';
import net from 'node:net';
import { loadConfig } from '../shared/config/index.ts';
import { ConfigError, HubError, type RetryClass } from '../shared/errors.ts';
import { DIFFERENT_SETTINGS, identityOf, operationsSocket, type Operation, type OperationLine } from './operations.ts';

/** An error the hub raised, rebuilt so that the command reports it (message, code, exit code) as if it had run here. */
function rebuilt(e: { name: string; code: string | null; retry: string | null; message: string }): Error {
  if (e.code === null) return new Error(e.message);
  const err = new HubError(e.code, (e.retry ?? 'never') as RetryClass, e.message);
  // ConfigError's constructor builds its message; the hub's is already built.
  if (e.name === 'ConfigError') Object.setPrototypeOf(err, ConfigError.prototype);
  err.name = e.name;
  return err;
}

/**
 * The work is the command's own. When the running hub has other settings, it says which: a
 * command run with its own (CALDAV_ALLOW_PRIVATE_NETWORKS=true for a loopback server, say) then
 * succeeds where the hub's later syncs refuse, and the user needs to know why.
 */
function declined(reason: string): null {
  if (reason.startsWith(DIFFERENT_SETTINGS)) {
    const names = reason.slice(DIFFERENT_SETTINGS.length);
    process.stderr.write(`calhub: the calhub running on this data dir has other settings (${names}); this command runs with its own, and the hub's syncs use the hub's\n`);
  }
  return null;
}

/**
 * The result of `op` done by the running `calhub start` of this data dir, with `progress` called
 * for each progress line; null when no hub runs there or it declines (the caller does the work),
 * or what `onDeclined` makes of the hub's reason.
 */
export async function onRunningHub<T>(
  op: Operation,
  args: unknown,
  progress: (p: never) => void = () => undefined,
  onDeclined: (reason: string) => T | null = declined,
): Promise<T | null> {
  const config = loadConfig();
  const path = operationsSocket(config.dataDir);
  if (!existsSync(path)) return null;
  return new Promise<T | null>((resolve, reject) => {
    let answered = false;
    let sent = false;
    let buffer = '';
    const answer = (fn: () => void) => {
      if (answered) return;
      answered = true;
      fn();
      socket.end();
    };
    const socket = net.connect(path, () => {
      sent = true;
      socket.write(`${JSON.stringify({ op, identity: identityOf(config), args })}\n`);
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, nl)) as OperationLine;
        buffer = buffer.slice(nl + 1);
        if ('progress' in line) progress(line.progress as never);
        else if ('result' in line) answer(() => resolve(line.result as T));
        else if ('error' in line) answer(() => reject(rebuilt(line.error)));
        else answer(() => resolve(onDeclined(line.declined)));
      }
    });
    // Nobody listens (a hub that stopped without removing its socket): the work is ours.
    socket.on('error', (e) => answer(() => (sent ? reject(new Error(`the running calhub stopped answering: ${e.message}`)) : resolve(null))));
    socket.on('close', () => answer(() => reject(new Error('the running calhub closed the connection before answering (did it stop?)'))));
  });
}
