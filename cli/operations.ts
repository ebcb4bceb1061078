/**
 * `accounts connect caldav`, `resync`, `status` and the commands that only read and write the
 * store or the queue (cli/command-table.ts) hand their work to a running `calhub start` of the
 * same data dir, over a unix socket in it, instead of opening the store and the queue themselves: a
 * command that loads the hub spends ~0.5 s of CPU on loading its modules before it does anything,
 * and on the path a new user takes (connect, then `resync --wait`) that was a third of the time
 * (issue 15). The socket is the owner's alone (mode 0600 in the 0700 data dir, which already
 * holds the store and the key file), so it gives nobody more than the data dir does.
 *
 * The hub does the work only for a command with the same store, queue and key ring (and, for a
 * command that checks addresses by a network policy of its own, the same policy): `identityOf`,
 * `settingsThatMatter`. Otherwise it declines, and the command does the work in its own process,
 * as it always could, or — one that reaches the providers — refuses, naming the settings. Lines of JSON both ways: one request; then progress
 * lines, and one `result`, `error` or `declined` line. A `command` runs as the command would
 * have (cli/hosted.ts): its output comes back as progress lines, its exit code as the result.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Config } from '../shared/config/index.ts';

/**
 * `settings`: only whether the hub is configured as the command (`keys rotate` asks before it
 * changes the ring). `accounts connect oauth`: the authorize URL of the operator's flow, made with
 * the hub's OAuth app; the hub's callback completes it (cli/connect-oauth-run.ts).
 */
export type Operation = 'accounts connect caldav' | 'accounts connect oauth' | 'resync' | 'status' | 'command' | 'settings';

export interface OperationRequest {
  op: Operation;
  identity: Record<string, string>;
  args: unknown;
}

export type OperationLine =
  | { progress: unknown }
  | { result: unknown }
  | { error: { name: string; code: string | null; retry: string | null; message: string } }
  | { declined: string };

export const operationsSocket = (dataDir: string): string => join(dataDir, 'run', 'calhub-ops.sock');

/**
 * What must match between the command and the hub for the hub's work to be what the command would
 * have done: a digest of each setting, named by its variable, so a hub that declines can say which
 * differ (never their values).
 */
export function identityOf(c: Config): Record<string, string> {
  const same: Record<string, unknown> = {
    CALHUB_DATA_DIR: c.dataDir,
    DATABASE_URL: c.databaseUrl,
    REDIS_URL: c.redisUrl,
    REDIS_CLUSTER_NODES: c.redisClusterNodes,
    REDIS_PREFIX: c.redisPrefix,
    CALHUB_ENCRYPTION_KEYS: c.encryptionKeys,
    CALHUB_SECRETS_DIR: c.secretsDir,
    CALDAV_ALLOW_PRIVATE_NETWORKS: c.caldavAllowPrivateNetworks,
    // `webhooks create` and `webhooks test` check an endpoint's address by it.
    WEBHOOKS_ALLOW_PRIVATE_NETWORKS: c.webhooksAllowPrivateNetworks,
  };
  return Object.fromEntries(Object.entries(same).map(([name, v]) => [name, createHash('sha256').update(JSON.stringify(v ?? null)).digest('hex')]));
}

/** The settings whose digests differ (a request from an older version sends none: 'its version'). */
export function identityDiff(mine: Record<string, string>, theirs: unknown): string[] {
  if (!theirs || typeof theirs !== 'object') return ['its version'];
  const t = theirs as Record<string, unknown>;
  return Object.keys(mine).filter((name) => t[name] !== mine[name]);
}

/** Settings that change what any command reads or writes: the store, the queue, the secrets. */
export const STORE_SETTINGS = ['CALHUB_DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_PREFIX', 'CALHUB_ENCRYPTION_KEYS', 'CALHUB_SECRETS_DIR'];

/**
 * Of the settings that differ between the command and the hub, those that keep the hub from doing
 * the work: the store's always (the command is about another store, queue or key ring), and a
 * network policy only where the command checks an address by its own (`accounts connect caldav`
 * its CalDAV server's, `webhooks create|test` the endpoint's); `settings` (`keys rotate`) asks
 * about all of them. Any other difference is no reason to decline: the work — a resync, a channel
 * renewal, a disconnect that revokes the grant and stops the channels — then reaches the providers
 * with the hub's own settings, the ones its syncs use. Declined for those, the command ran it with
 * its own: next to `calhub start --sandbox`, without the emulators' addresses, which only the hub
 * has (found by an outside user).
 */
export function settingsThatMatter(req: { op: unknown; args?: unknown }, differ: string[]): string[] {
  if (req.op === 'settings') return differ;
  const name = (req.args as { name?: unknown } | null)?.name;
  const own = req.op === 'accounts connect caldav' ? ['CALDAV_ALLOW_PRIVATE_NETWORKS'] : req.op === 'command' && (name === 'webhooks create' || name === 'webhooks test') ? ['WEBHOOKS_ALLOW_PRIVATE_NETWORKS'] : [];
  return differ.filter((n) => STORE_SETTINGS.includes(n) || own.includes(n) || !/^[A-Z_]+$/.test(n));
}

/** How a hub that declines for its settings says so; the command reads the names back. */
export const DIFFERENT_SETTINGS = 'configured differently from this hub: ';

/**
 * The declines whose reason the command reports itself, as it would with no hub running: its bad
 * usage (with its help) and its --help. Any other decline of a command that reaches the providers
 * is refused (cli/operations-client.ts), never run with this process's settings.
 */
export const BAD_USAGE = 'bad usage';
export const HELP = 'help';
