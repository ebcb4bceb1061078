import { ValidationError } from '../../shared/errors.ts';
import type { Command } from '../command.ts';
import { print, table } from '../output.ts';
import { openRuntime } from '../runtime.ts';

export const tenantsCreate: Command = {
  name: 'tenants create',
  usage: 'calhub tenants create <name> [--json]',
  summary: 'Create a tenant and print its API key (shown once; stored hashed)',
  options: { json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const name = positionals[0]?.trim();
    if (!name) throw new ValidationError('tenants create needs a name: calhub tenants create <name>');
    const rt = await openRuntime({ quiet: true });
    try {
      const { tenant, apiKey } = await rt.store.tenants.create(name);
      print(Boolean(values.json), { id: tenant.id, name: tenant.name, apiKey }, () => `tenant ${tenant.id} (${tenant.name})\nAPI key (shown once): ${apiKey}`);
      return 0;
    } finally {
      await rt.close();
    }
  },
};

export const tenantsList: Command = {
  name: 'tenants list',
  usage: 'calhub tenants list [--json]',
  summary: 'List tenants',
  options: { json: { type: 'boolean' } },
  async run({ values }) {
    const rt = await openRuntime({ quiet: true });
    try {
      const list = await rt.store.tenants.list();
      print(Boolean(values.json), list, () => table([['ID', 'NAME', 'CREATED'], ...list.map((t) => [t.id, t.name, t.createdAt])]));
      return 0;
    } finally {
      await rt.close();
    }
  },
};
