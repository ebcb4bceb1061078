/**
 * One run of a command, as main.ts and a running hub (cli/operations-server.ts) both start it: the
 * options every command shares are checked here, not in each command. `--tenant` names a tenant
 * that must exist: a list of an unknown tenant printed an empty table with exit 0, and a typo read
 * as "this tenant has nothing". The check needs the store, which the command opens (cli/with-hub.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Command } from './command.ts';

interface Invocation {
  tenant: string | null;
  /** Checked once per run, however many times the command opens the hub. */
  tenantChecked: boolean;
}

const current = new AsyncLocalStorage<Invocation>();

type Values = Record<string, string | boolean | undefined>;

export function invoke(command: Command, parsed: { values: Values; positionals: string[] }): Promise<number> {
  const t = parsed.values.tenant;
  const tenant = typeof t === 'string' && t.trim() ? t.trim() : null;
  return current.run({ tenant, tenantChecked: false }, () => command.run(parsed));
}

/** The tenant the running command names with --tenant, not yet checked (and from now on taken as checked); null: none. */
export function tenantToCheck(): string | null {
  const inv = current.getStore();
  if (!inv?.tenant || inv.tenantChecked) return null;
  inv.tenantChecked = true;
  return inv.tenant;
}
