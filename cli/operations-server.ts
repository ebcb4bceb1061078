/** The hub's side of cli/operations.ts: `calhub start` does a command's work with the hub it runs. */
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { dirname } from 'node:path';
import { deploymentStatus, isOAuthProvider, operatorAuthorizeUrl, planResync, type Hub, type ResyncTarget } from '../hub/index.ts';
import { isHubError, ValidationError } from '../shared/errors.ts';
import { handedToHub, HOSTABLE_MODULES, loadFrom, parseCommandArgs, settingsUsedBy } from './hostable-commands.ts';
import { invoke } from './command-run.ts';
import { connectCaldavAccount, type CaldavLoginArgs } from './connect-caldav-run.ts';
import { hostedRun } from './hosted.ts';
import { BAD_USAGE, DIFFERENT_SETTINGS, HELP, identityDiff, identityOf, operationsSocket, settingsThatMatter, type Operation, type OperationLine, type OperationRequest } from './operations.ts';
import { runResync } from './resync-run.ts';
import { accessLevel } from './access-level.ts';

const MAX_REQUEST_BYTES = 64 * 1024;
const OPERATIONS = new Set<unknown>(['accounts connect caldav', 'accounts connect oauth', 'resync', 'status', 'command', 'settings'] satisfies Operation[]);

/** The command process does the work itself (a `declined` line), as it would with no hub running. */
class Declined extends Error {}

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw new ValidationError(`${what}: expected a string`);
  return v;
};

function targetOf(v: unknown): ResyncTarget {
  const t = (v ?? {}) as Record<string, unknown>;
  if (typeof t.accountId === 'string') return { accountId: t.accountId };
  if (typeof t.tenantId === 'string') return { tenantId: t.tenantId };
  if (t.all === true) return { all: true };
  throw new ValidationError('name exactly one of: an account id, --tenant <id>, --all');
}

async function perform(hub: Hub, req: OperationRequest, send: (l: OperationLine) => void, signal: AbortSignal, note: string | null): Promise<unknown> {
  const a = (req.args ?? {}) as Record<string, unknown>;
  if (req.op === 'command') return runCommand(hub, a, send, note);
  if (req.op === 'settings') return { same: true }; // a hub configured otherwise declined above, naming the settings
  if (req.op === 'status') {
    const within = a.expiringWithinMs;
    if (within !== undefined && (typeof within !== 'number' || !(within > 0))) throw new ValidationError('expiringWithinMs: expected a positive number');
    if (a.allChannels !== undefined && typeof a.allChannels !== 'boolean') throw new ValidationError('allChannels: expected true or false');
    return deploymentStatus(hub, { expiringWithinMs: within, redisError: null, allChannels: a.allChannels === true });
  }
  if (req.op === 'accounts connect caldav') {
    const login = (a.login ?? {}) as Record<string, unknown>;
    const args: CaldavLoginArgs = { serverUrl: str(login.serverUrl, 'url'), username: str(login.username, 'username'), password: str(login.password, 'password') };
    if (login.access !== undefined) args.access = accessLevel(login.access);
    if (login.email !== undefined) args.email = str(login.email, 'email');
    return connectCaldavAccount(hub, str(a.tenantId, 'tenant'), args);
  }
  if (req.op === 'accounts connect oauth') {
    // With this hub's OAuth app; its callback sends the browser to the command's loopback address.
    const provider = a.provider;
    if (typeof provider !== 'string' || !isOAuthProvider(provider)) throw new ValidationError('provider: expected google or microsoft');
    const opt = (v: unknown) => (typeof v === 'string' ? v : null);
    return operatorAuthorizeUrl(hub, str(a.tenantId, 'tenant'), provider, { redirectUri: str(a.redirectUri, 'redirectUri'), access: accessLevel(a.access), loginHint: opt(a.loginHint), accountId: opt(a.accountId) });
  }
  // The plan reads the providers with the hub's own settings (the sandbox's emulators, say), not the command's.
  if (a.dryRun === true) return planResync(hub, targetOf(a.target), { full: a.full === true });
  return runResync(hub, targetOf(a.target), { full: a.full === true, wait: a.wait === true, signal }, (rows) => send({ progress: rows }));
}

/**
 * A command of cli/command-table.ts's list, run as its process would have: bad usage is declined,
 * so that the process reports it with the command's help, as it does with no hub running.
 * `note`: what the command is told before its output when it runs here with settings of its own
 * that differ; only once it runs (a usage error came after it, and it was about nothing).
 */
async function runCommand(hub: Hub, a: Record<string, unknown>, send: (l: OperationLine) => void, note: string | null): Promise<{ exitCode: number }> {
  const name = a.name;
  if (typeof name !== 'string' || !handedToHub(name)) throw new Declined(`not a command this hub runs: ${String(name)}`);
  if (!Array.isArray(a.args) || !a.args.every((x) => typeof x === 'string')) throw new Declined('args: expected a list of strings');
  // A dist/ rebuilt under a running hub takes away the chunks it would load: the command can still.
  const command = await loadFrom(HOSTABLE_MODULES, name).catch((e: unknown) => {
    throw new Declined(`this hub cannot load the command: ${e instanceof Error ? e.message : String(e)}`);
  });
  let parsed;
  try {
    parsed = parseCommandArgs(command, a.args as string[]);
  } catch {
    throw new Declined(BAD_USAGE);
  }
  if (parsed.values.help) throw new Declined(HELP);
  if (note) send({ progress: { stream: 'stderr', text: note } });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const write = (stream: 'stdout' | 'stderr', text: string) => send({ progress: { stream, text } });
  return { exitCode: await hostedRun({ hub, write }, () => invoke(command, { values, positionals: parsed.positionals })) };
}

export interface OperationsServer {
  close(): Promise<void>;
}

/** Serves the data dir's operations socket for `hub` until close(); null when it cannot (the commands then work on their own). */
export async function serveOperations(hub: Hub): Promise<OperationsServer | null> {
  const path = operationsSocket(hub.config.dataDir);
  const identity = identityOf(hub.config);
  const running = new Set<{ socket: net.Socket; abort: AbortController }>();
  const server = net.createServer((socket) => {
    const entry = { socket, abort: new AbortController() };
    running.add(entry);
    let buffer = '';
    let started = false;
    const send = (l: OperationLine) => void (socket.writable && socket.write(`${JSON.stringify(l)}\n`));
    const finish = (l: OperationLine) => {
      send(l);
      socket.end();
    };
    socket.setEncoding('utf8');
    socket.on('error', () => undefined); // the command went away: the close below stops its wait
    socket.on('close', () => {
      entry.abort.abort();
      running.delete(entry);
    });
    socket.on('data', (chunk: string) => {
      if (started) return;
      buffer += chunk;
      if (buffer.length > MAX_REQUEST_BYTES) return finish({ declined: 'request too large' });
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      started = true;
      let req: OperationRequest;
      try {
        req = JSON.parse(buffer.slice(0, nl)) as OperationRequest;
      } catch {
        return finish({ declined: 'not a request' });
      }
      // Another store, queue or key ring (or a command from another version): its own process does it.
      const differ = identityDiff(identity, req.identity);
      const matter = settingsThatMatter(req, differ);
      if (matter.length) return finish({ declined: `${DIFFERENT_SETTINGS}${matter.join(', ')}` });
      if (!OPERATIONS.has(req.op)) return finish({ declined: `unknown operation ${String(req.op)}` });
      // Done here with this hub's settings, whatever the command's say: told so, once, when it runs.
      // Only the settings the command goes by (a store's differing declined above; 'its version' always).
      const used = req.op === 'command' ? differ.filter((n) => !/^[A-Z_]+$/.test(n) || settingsUsedBy(String((req.args as { name?: unknown } | null)?.name)).includes(n)) : [];
      const note = used.length ? `calhub: done by the calhub running on this data dir, with its settings (this command's ${used.join(', ')} differ)\n` : null;
      perform(hub, req, send, entry.abort.signal, note).then(
        (result) => finish({ result }),
        (e: unknown) => {
          if (entry.abort.signal.aborted) return;
          if (e instanceof Declined) return finish({ declined: e.message });
          const err = e instanceof Error ? e : new Error(String(e));
          finish({ error: { name: err.name, code: isHubError(err) ? err.code : null, retry: isHubError(err) ? err.retry : null, message: err.message } });
        },
      );
    });
  });
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    rmSync(path, { force: true }); // left by a hub that did not stop cleanly
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    chmodSync(path, 0o600);
  } catch (e) {
    hub.log.warn({ err: e }, 'commands cannot hand their work to this hub (they will do it themselves)');
    server.close();
    return null;
  }
  server.unref();
  return {
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const r of running) {
        r.abort.abort();
        r.socket.destroy();
      }
      await closed;
      rmSync(path, { force: true });
    },
  };
}
