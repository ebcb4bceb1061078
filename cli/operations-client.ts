/** The command's side of cli/operations.ts: hand the work to a running hub, or learn that none takes it. */
import { existsSync } from 'node:fs';
import net from 'node:net';
import { loadConfig } from '../shared/config/index.ts';
import { ConfigError, HubError, type RetryClass } from '../shared/errors.ts';
import { BAD_USAGE, DIFFERENT_SETTINGS, HELP, identityOf, operationsSocket, STORE_SETTINGS, type Operation, type OperationLine } from './operations.ts';

/** An error the hub raised, rebuilt so that the command reports it (message, code, exit code) as if it had run here. */
function rebuilt(e: { name: string; code: string | null; retry: string | null; message: string }): Error {
  if (e.code === null) return new Error(e.message);
  const err = new HubError(e.code, (e.retry ?? 'never') as RetryClass, e.message);
  // ConfigError's constructor builds its message; the hub's is already built.
  if (e.name === 'ConfigError') Object.setPrototypeOf(err, ConfigError.prototype);
  err.name = e.name;
  return err;
}

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
 * For a command that reaches the providers (`resync`, `channels renew`, `accounts disconnect`, …;
 * cli/hostable-commands.ts): a hub of this data dir that declined. Run here, the command would
 * reach the providers with this process's settings while the hub syncs the same calendars with
 * its own (next to `calhub start --sandbox`, without the emulators' addresses, which only the hub
 * has: the sandbox's tokens went to the real Google). Refused, naming the settings, or the hub's
 * reason when it declined for another (it could not load the command: a dist/ rebuilt under it;
 * a hub of another version) — those ran here silently. Only bad usage and --help are the
 * command's own to report; with no hub running the command still does the work itself.
 */
export const refuseOtherSettings =
  (what: string) =>
  (reason: string): null => {
    if (reason === BAD_USAGE || reason === HELP) return null;
    const names = differentSettings(reason);
    const run = `${what} here would reach the providers with this command's settings while the hub syncs the same calendars with its own`;
    if (names.length) throw new ConfigError(names.join(', '), `the running calhub's value for this command too: ${run}, so run it with the hub's settings and the hub does it (or stop the hub)`);
    throw new ConfigError('the calhub running on this data dir', `to do ${what}, but it declined (${reason}): ${run}, so restart the hub (\`calhub start\` again, with this build) and run it again, or stop the hub`);
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
