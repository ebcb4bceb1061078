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

/** Settings that change what any command reads or writes: the store, the queue, the secrets. */
const STORE_SETTINGS = ['CALHUB_DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_PREFIX', 'CALHUB_ENCRYPTION_KEYS', 'CALHUB_SECRETS_DIR'];

/** The settings a hub that declined names as different; [] for another reason. */
export function differentSettings(reason: string): string[] {
  return reason.startsWith(DIFFERENT_SETTINGS) ? reason.slice(DIFFERENT_SETTINGS.length).split(', ') : [];
}

/**
 * The work is the command's own. When the running hub has other settings that matter to it, it
 * says which: a command run with its own then reads another store, or checks an address by
 * another policy, and the user needs to know why. `alsoMatter`: this command's own (a network
 * policy it checks addresses by); the store's always matter, an `accounts list` needs no other.
 */
export const declinedFor =
  (alsoMatter: string[] = []) =>
  (reason: string): null => {
    const names = differentSettings(reason).filter((n) => STORE_SETTINGS.includes(n) || alsoMatter.includes(n) || !/^[A-Z_]+$/.test(n));
    if (names.length) process.stderr.write(`calhub: the calhub running on this data dir has other settings (${names.join(', ')}); this command runs with its own, and the hub's syncs use the hub's\n`);
    return null;
  };

/**
 * The result of `op` done by the running `calhub start` of this data dir, with `progress` called
 * for each progress line; null when no hub runs there or it declines (the caller does the work),
 * or what `onDeclined` makes of the hub's reason.
 */
export async function onRunningHub<T>(
  op: Operation,
  args: unknown,
  progress: (p: never) => void = () => undefined,
  onDeclined: (reason: string) => T | null = declinedFor(),
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
        else {
          answer(() => {
            try {
              resolve(onDeclined(line.declined));
            } catch (e) {
              reject(e); // the command refuses to do the work itself (connect-caldav.ts)
            }
          });
        }
      }
    });
    // Nobody listens (a hub that stopped without removing its socket): the work is ours.
    socket.on('error', (e) => answer(() => (sent ? reject(new Error(`the running calhub stopped answering: ${e.message}`)) : resolve(null))));
    socket.on('close', () => answer(() => reject(new Error('the running calhub closed the connection before answering (did it stop?)'))));
  });
}
