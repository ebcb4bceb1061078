/**
 * The modules of the commands a running `calhub start` may do for a command process, and which of
 * their commands it does (cli/operations.ts); apart from cli/command-table.ts, which also names
 * `start`, so that the hub's side does not import itself.
 */
import { parseArgs } from 'node:util';
import type { Command } from './command.ts';
import { usageMessage } from './command-usage.ts';

export type CommandModules = Array<[load: () => Promise<Record<string, unknown>>, names: string[]]>;

export const HOSTABLE_MODULES: CommandModules = [
  [() => import('./commands/tenants.ts'), ['tenants create', 'tenants list', 'tenants allow-redirect', 'tenants oauth-app', 'tenants redirects', 'tenants api-keys list', 'tenants api-keys create', 'tenants api-keys revoke']],
  [() => import('./commands/accounts.ts'), ['accounts connect google', 'accounts connect microsoft', 'accounts list', 'accounts show', 'accounts disconnect', 'accounts disable', 'accounts enable']],
  [() => import('./commands/rules.ts'), ['rules create', 'rules list', 'rules show', 'rules pause', 'rules resume', 'rules update', 'rules delete']],
  [() => import('./commands/conflicts.ts'), ['conflicts list', 'conflicts resolve']],
  [() => import('./commands/calendars.ts'), ['calendars create', 'calendars delete', 'calendars rename', 'calendars busy', 'calendars zone', 'calendars sync', 'calendars policy', 'calendars unflag', 'calendars quarantine', 'calendars writes']],
  [() => import('./commands/runs.ts'), ['runs list', 'runs revert']],
  [() => import('./commands/queue.ts'), ['queue list', 'queue retry']],
  [() => import('./commands/webhooks.ts'), ['webhooks create', 'webhooks list', 'webhooks show', 'webhooks update', 'webhooks delete', 'webhooks rotate-secret', 'webhooks retire-previous-secret', 'webhooks test', 'webhooks deliveries', 'webhooks replay']],
  [() => import('./commands/channels.ts'), ['channels list', 'channels renew']],
];

/**
 * The commands a running `calhub start` of the same data dir does for the command process
 * (cli/operations.ts): those that only read and write the store or the queue. Not those that read
 * stdin, files or secrets from the command's environment (`tenants oauth-app`), wait on a
 * browser (`accounts connect google|microsoft`), change the key ring (`keys rotate`), have an
 * operation of their own (`status`, `resync`, `accounts connect caldav`) or are no work for a hub.
 */
const HANDED = new Set([
  'tenants create', 'tenants list', 'tenants allow-redirect', 'tenants redirects', 'tenants api-keys list', 'tenants api-keys create', 'tenants api-keys revoke',
  'accounts list', 'accounts show', 'accounts disconnect', 'accounts disable', 'accounts enable',
  'rules create', 'rules list', 'rules show', 'rules pause', 'rules resume', 'rules update', 'rules delete', 'conflicts list', 'conflicts resolve',
  'calendars create', 'calendars delete', 'calendars rename', 'calendars busy', 'calendars zone', 'calendars sync', 'calendars policy', 'calendars unflag', 'calendars quarantine', 'calendars writes', 'runs list', 'runs revert', 'queue list', 'queue retry',
  'webhooks create', 'webhooks list', 'webhooks show', 'webhooks update', 'webhooks delete', 'webhooks rotate-secret', 'webhooks retire-previous-secret', 'webhooks test', 'webhooks deliveries', 'webhooks replay',
  'channels list', 'channels renew',
]);

export const handedToHub = (name: string): boolean => HANDED.has(name);

/**
 * Of those, the ones that reach the providers (a write, a channel, a revocation, or a sync run here
 * when no worker takes it): with the settings of whoever runs them. A hub that declines them for its
 * settings gets them refused, never run here with this process's (cli/operations-client.ts).
 */
const REACH_PROVIDERS = new Set([
  'accounts disconnect', 'calendars create', 'calendars delete', 'calendars rename', 'calendars sync', 'channels renew',
  'conflicts resolve', 'rules create', 'rules resume', 'rules update', 'rules delete', 'runs revert',
]);

export const reachesProviders = (name: string): boolean => REACH_PROVIDERS.has(name);

/** Of those, the ones that check an endpoint's address or send to it, by WEBHOOKS_ALLOW_PRIVATE_NETWORKS. */
const WEBHOOK_ADDRESSES = new Set(['webhooks create', 'webhooks update', 'webhooks test', 'webhooks replay']);

/**
 * The settings besides the store's that a command's work goes by: a running hub that does it with
 * values of its own says so before the command's output. Every command was told about every
 * setting that differed, `tenants create` and `conflicts list` too, which use neither.
 */
export function settingsUsedBy(name: string): string[] {
  return [...(REACH_PROVIDERS.has(name) ? ['CALDAV_ALLOW_PRIVATE_NETWORKS'] : []), ...(WEBHOOK_ADDRESSES.has(name) ? ['WEBHOOKS_ALLOW_PRIVATE_NETWORKS'] : [])];
}

/** The named command of `modules`, its module loaded. */
export async function loadFrom(modules: CommandModules, name: string): Promise<Command> {
  const entry = modules.find(([, names]) => names.includes(name));
  if (!entry) throw new Error(`${name}: no such command`);
  const exported = Object.values(await entry[0]()).flat() as Array<Partial<Command>>;
  const command = exported.find((c) => c?.name === name);
  if (!command) throw new Error(`${name}: the module named for it does not export it`);
  return command as Command;
}

/** The arguments after the command's name, parsed by its options (throws on bad usage). */
export function parseCommandArgs(command: Command, rest: string[]) {
  try {
    return parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new Error(usageMessage(command, e as { code?: string; message: string }));
  }
}
